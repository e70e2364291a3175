// Container Registry for the inference image. The admin user stays off; pulls use a managed
// identity with AcrPull (granted in the container-apps module next to that identity).

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Registry name (5-50 alphanumerics).')
@minLength(5)
@maxLength(50)
param name string

@description('Basic is enough for one image and a few pulls a day; Standard/Premium add throughput and geo-replication.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
    // Lets `azd deploy` push and the app pull with Entra ID tokens only.
    policies: {
      azureADAuthenticationAsArmPolicy: {
        status: 'enabled'
      }
    }
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
