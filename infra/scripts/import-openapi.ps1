# azd postdeploy hook: the function app now serves its OpenAPI document, so provision again with
# IMPORT_OPENAPI_FROM_APP=true and API Management (re)imports the operations from it. Set
# SKIP_OPENAPI_IMPORT=true to skip (e.g. when only the inference image changed).
$ErrorActionPreference = 'Stop'
if ($env:SKIP_OPENAPI_IMPORT -eq 'true') {
  Write-Host 'SKIP_OPENAPI_IMPORT=true: API Management keeps its current operations.'
  exit 0
}
azd env set IMPORT_OPENAPI_FROM_APP true
azd provision --no-prompt
