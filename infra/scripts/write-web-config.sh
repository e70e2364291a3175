#!/bin/sh
# azd predeploy hook of the 'web' service (runs in web/ after `npm run build`): writes dist/config.json, which tells
# the web app where the API is (API Management) and how to sign in (Entra ID through MSAL). Nothing secret: a client
# id, a tenant and a scope. WEB_CLIENT_ID is the single-page-application registration's client id (see infra/README.md).
set -eu
: "${API_GATEWAY_URL:?API_GATEWAY_URL is missing: run azd provision first}"
: "${AZURE_TENANT_ID:?AZURE_TENANT_ID is missing}"
: "${WEB_CLIENT_ID:?Set WEB_CLIENT_ID (azd env set WEB_CLIENT_ID <client id of the web app registration>)}"
scope="${API_SCOPE:-${API_AUDIENCE:-api://apartment-manager-dev}/access_as_user}"
cat > dist/config.json <<JSON
{
  "apiBaseUrl": "${API_GATEWAY_URL}",
  "auth": "msal",
  "clientId": "${WEB_CLIENT_ID}",
  "authority": "https://login.microsoftonline.com/${AZURE_TENANT_ID}",
  "apiScope": "${scope}"
}
JSON
echo "web: wrote dist/config.json for ${API_GATEWAY_URL}"
