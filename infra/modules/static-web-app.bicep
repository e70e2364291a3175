// The resident and manager web app (web/dist) on Azure Static Web Apps. It calls the API through API Management
// (whose CORS policy admits this site's origin) and signs people in with Entra ID through MSAL, with the same app
// roles as the API. azd deploys the files (service 'web' in azure.yaml); its predeploy hook writes config.json.

@description('Azure region (Static Web Apps run in a few regions only; the content is served from the global edge).')
@allowed([
  'westus2'
  'centralus'
  'eastus2'
  'westeurope'
  'eastasia'
])
param location string

@description('Tags applied to every resource (azd-service-name=web is added).')
param tags object

@description('Site name.')
param name string

@description('Free has no SLA; Standard adds custom authentication providers and an SLA.')
@allowed([
  'Free'
  'Standard'
])
param skuName string = 'Free'

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    // Deployed by azd from the repository's built files, not from a linked repository.
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Enabled'
    publicNetworkAccess: 'Enabled'
  }
}

output name string = site.name
output defaultHostname string = site.properties.defaultHostname
output origin string = 'https://${site.properties.defaultHostname}'
