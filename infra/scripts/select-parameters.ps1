# azd preprovision hook: azd reads infra/main.bicepparam; copy the file of the environment type
# (AZURE_ENV_TYPE = dev | prod, default dev) there. The copy is generated and git-ignored.
$ErrorActionPreference = 'Stop'
$envType = if ($env:AZURE_ENV_TYPE) { $env:AZURE_ENV_TYPE } else { 'dev' }
$infra = Split-Path -Parent $PSScriptRoot
$source = Join-Path $infra "main.$envType.bicepparam"
if (-not (Test-Path $source)) { throw "No parameter file for AZURE_ENV_TYPE='$envType' ($source)." }
Copy-Item $source (Join-Path $infra 'main.bicepparam') -Force
Write-Host "Using main.$envType.bicepparam for azd environment '$env:AZURE_ENV_NAME'."
