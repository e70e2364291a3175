#!/bin/sh
# azd preprovision hook: azd reads infra/main.bicepparam; copy the file of the environment type
# (AZURE_ENV_TYPE = dev | prod, default dev) there. The copy is generated and git-ignored.
set -eu
env_type="${AZURE_ENV_TYPE:-dev}"
here="$(cd "$(dirname "$0")/.." && pwd)"
source_file="$here/main.$env_type.bicepparam"
if [ ! -f "$source_file" ]; then
  echo "No parameter file for AZURE_ENV_TYPE='$env_type' ($source_file)." >&2
  exit 1
fi
cp "$source_file" "$here/main.bicepparam"
echo "Using $(basename "$source_file") for azd environment '${AZURE_ENV_NAME:-?}'."
