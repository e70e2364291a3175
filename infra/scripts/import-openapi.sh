#!/bin/sh
# azd postdeploy hook: the function app now serves its OpenAPI document, so provision again with
# IMPORT_OPENAPI_FROM_APP=true and API Management (re)imports the operations from it. Set
# SKIP_OPENAPI_IMPORT=true to skip (e.g. when only the inference image changed).
set -eu
if [ "${SKIP_OPENAPI_IMPORT:-false}" = "true" ]; then
  echo "SKIP_OPENAPI_IMPORT=true: API Management keeps its current operations."
  exit 0
fi
azd env set IMPORT_OPENAPI_FROM_APP true
azd provision --no-prompt
