// Azure OpenAI with one chat and one embedding deployment. API keys are disabled; callers use
// Entra ID and the 'Cognitive Services OpenAI User' role.

@description('Azure region (must offer the chosen models).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Account name; also the custom subdomain, which Entra ID authentication requires.')
param name string

@description('Chat model deployment.')
param chatDeployment modelDeployment

@description('Embedding model deployment.')
param embeddingDeployment modelDeployment

@export()
@description('A model deployment: deployment name, model name/version, SKU and capacity (thousands of tokens per minute).')
type modelDeployment = {
  name: string
  model: string
  version: string
  sku: 'GlobalStandard' | 'Standard' | 'DataZoneStandard'
  @minValue(1)
  capacity: int
}

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chatDeployment.name
  sku: {
    name: chatDeployment.sku
    capacity: chatDeployment.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatDeployment.model
      version: chatDeployment.version
    }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
}

resource embedding 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: embeddingDeployment.name
  sku: {
    name: embeddingDeployment.sku
    capacity: embeddingDeployment.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embeddingDeployment.model
      version: embeddingDeployment.version
    }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
  // The service rejects concurrent deployment operations on one account.
  dependsOn: [
    chat
  ]
}

output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chat.name
output embeddingDeploymentName string = embedding.name
