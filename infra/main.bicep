// Agentic Apartment Manager: all of Azure in one deployment (azd: `azd up`).
// Subscription scope so azd can create the resource group. Every data-plane service has local/key
// auth disabled; every identity gets only the roles it uses (see modules/functions.bicep,
// modules/container-apps.bicep, modules/apim.bicep). Parameter files: main.dev.bicepparam,
// main.prod.bicepparam. Nothing here or in them is a secret.
targetScope = 'subscription'

import { modelDeployment } from 'modules/openai.bicep'

metadata description = 'Agentic Apartment Manager - Functions (Flex Consumption) behind API Management, Cosmos DB, Service Bus, Azure OpenAI and a GPU Container App for inference.'

// ---------------------------------------------------------------- environment

@description('azd environment name; part of every resource name.')
@minLength(1)
@maxLength(24)
param environmentName string

@description('Environment type, used for tags.')
@allowed([
  'dev'
  'prod'
])
param environmentType string

@description('Primary region. It must offer Flex Consumption, Container Apps serverless GPUs and the chosen Azure OpenAI models (e.g. swedencentral, westus3, australiaeast).')
param location string

@description('Region of the Azure OpenAI account (models are not offered everywhere).')
param openAiLocation string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------- sizing

@description('Log retention in days.')
param logRetentionInDays int

@description('Daily log ingestion cap in GB (-1 = none).')
param logDailyQuotaGb int

@description('Storage replication.')
param storageSku string

@description('Service Bus tier.')
param serviceBusSku string

@description('Deliveries before a Service Bus message is dead-lettered.')
param serviceBusMaxDeliveryCount int

@description('Cosmos DB serverless (dev) or provisioned autoscale (prod).')
param cosmosServerless bool

@description('Cosmos DB autoscale ceiling in RU/s when not serverless.')
param cosmosAutoscaleMaxThroughput int

@description('Zone-redundant Cosmos DB write region.')
param cosmosZoneRedundant bool

@description('Key Vault purge protection (irreversible).')
param keyVaultPurgeProtection bool

@description('Container Registry tier.')
param registrySku string

@description('Chat model deployment.')
param chatDeployment modelDeployment

@description('Embedding model deployment.')
param embeddingDeployment modelDeployment

@description('GPU workload profile type of the inference app.')
param gpuProfileType string

@description('CPU cores per inference replica.')
param inferenceCpu int

@description('Memory per inference replica.')
param inferenceMemory string

@description('Always-warm inference replicas (at least 1).')
@minValue(1)
param inferenceMinReplicas int

@description('Maximum inference replicas.')
param inferenceMaxReplicas int

@description('Inference image; empty on the first provision (azd sets SERVICE_INFERENCE_IMAGE_NAME after its first deploy).')
param inferenceImage string = ''

@description('Function app instance memory in MB.')
param functionInstanceMemoryMB int

@description('Function app maximum instances.')
param functionMaximumInstanceCount int

@description('Always-ready instances, HTTP group.')
param functionAlwaysReadyHttp int

@description('Always-ready instances, Durable group.')
param functionAlwaysReadyDurable int

// ---------------------------------------------------------------- API Management

@description('API Management SKU.')
param apimSku string

@description('API Management publisher e-mail.')
param apimPublisherEmail string

@description('API Management publisher name.')
param apimPublisherName string

@description('Path of the OpenAPI document the function app serves.')
param openApiPath string = '/openapi/v1.json'

@description('Import the API from the deployed app (true after the first `azd deploy`; the postdeploy hook sets it).')
param importOpenApiFromApp bool = false

@description('Accepted token audiences (application ID URI, e.g. api://apartment-manager).')
param apiAudiences string[]

@description('Client id of the API app registration (not a secret). Adds it as an audience (v2 tokens) and turns on the function app\'s platform authentication.')
param apiClientId string = ''

@description('Client ids of the applications allowed to call the API (the web app registration and any automation clients); the function app\'s platform authentication refuses tokens issued to any other application.')
param apiAllowedClientApplications string[] = []

@description('CIDR ranges allowed to the function app\'s deployment (SCM) site: the machine or CI runner that runs azd deploy. Empty denies everyone.')
param deploymentAllowedIpRanges string[] = []

@description('Base URL of the external systems\' webhooks (work orders, notifications, ledger); the function app sends actions there, signed with the key in Key Vault secret execution-webhook-signing-secret.')
param executionWebhookBaseUrl string

@description('App roles of which a caller must hold one.')
param apiRequiredRoles string[]

@description('CORS origins (the web app\'s Static Web App origin is added to these).')
param corsAllowedOrigins string[]

@description('Region of the web app\'s Static Web App (a region that offers Static Web Apps).')
param staticWebAppLocation string = 'westeurope'

@description('Calls per subject per window.')
param rateLimitCalls int

@description('Rate-limit window in seconds.')
param rateLimitPeriodSeconds int

@description('Largest accepted request body in bytes.')
param maxRequestBodyBytes int = 65536

// ---------------------------------------------------------------- names

var tags = {
  'azd-env-name': environmentName
  environment: environmentType
  workload: 'apartment-manager'
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var names = {
  logAnalytics: 'log-${environmentName}-${token}'
  appInsights: 'appi-${environmentName}-${token}'
  storage: take('st${replace(environmentName, '-', '')}${token}', 24)
  serviceBus: 'sb-${environmentName}-${token}'
  cosmos: 'cosmos-${environmentName}-${token}'
  keyVault: take('kv${replace(environmentName, '-', '')}${token}', 24)
  openAi: 'oai-${environmentName}-${token}'
  registry: take('cr${replace(environmentName, '-', '')}${token}', 50)
  vnet: 'vnet-${environmentName}-${token}'
  containerAppsEnvironment: 'cae-${environmentName}-${token}'
  inferenceApp: take('ca-inference-${token}', 32)
  inferenceIdentity: 'id-inference-${environmentName}-${token}'
  functionPlan: 'plan-${environmentName}-${token}'
  functionApp: 'func-${environmentName}-${token}'
  apim: 'apim-${environmentName}-${token}'
  staticWebApp: 'swa-${environmentName}-${token}'
}
var serviceBusQueues = [
  'requests-intake'
  'executions'
]
var serviceBusTopic = 'request-events'
var serviceBusSubscriptions = [
  'notifications'
  'webhooks'
  'analytics'
]
var cosmosDatabaseName = 'apartment-manager'
// v1 access tokens carry the application ID URI as audience, v2 tokens the client id.
var audiences = empty(apiClientId) ? apiAudiences : union(apiAudiences, [apiClientId])
// Until azd has pushed the real image, a public sample image lets the app be created.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    skuName: storageSku
    deploymentContainerName: 'app-package'
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: rg
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    name: names.serviceBus
    skuName: serviceBusSku
    maxDeliveryCount: serviceBusMaxDeliveryCount
    duplicateDetectionWindow: 'PT10M'
    queueNames: serviceBusQueues
    topicName: serviceBusTopic
    subscriptionNames: serviceBusSubscriptions
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: rg
  name: 'cosmos'
  params: {
    location: location
    tags: tags
    name: names.cosmos
    databaseName: cosmosDatabaseName
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    zoneRedundant: cosmosZoneRedundant
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    purgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: keyVaultPurgeProtection ? 90 : 7
  }
}

module openAi 'modules/openai.bicep' = {
  scope: rg
  name: 'openai'
  params: {
    location: openAiLocation
    tags: tags
    name: names.openAi
    chatDeployment: chatDeployment
    embeddingDeployment: embeddingDeployment
  }
}

module registry 'modules/registry.bicep' = {
  scope: rg
  name: 'registry'
  params: {
    location: location
    tags: tags
    name: names.registry
    skuName: registrySku
  }
}

module network 'modules/network.bicep' = {
  scope: rg
  name: 'network'
  params: {
    location: location
    tags: tags
    name: names.vnet
    addressPrefix: '10.40.0.0/16'
    containerAppsSubnetPrefix: '10.40.0.0/23'
    functionsSubnetPrefix: '10.40.2.0/24'
    apimSubnetPrefix: '10.40.3.0/24'
  }
}

module containerApps 'modules/container-apps.bicep' = {
  scope: rg
  name: 'container-apps'
  params: {
    location: location
    tags: tags
    environmentName: names.containerAppsEnvironment
    appName: names.inferenceApp
    identityName: names.inferenceIdentity
    infrastructureSubnetId: network.outputs.containerAppsSubnetId
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    appInsightsName: names.appInsights
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    registryName: names.registry
    image: empty(inferenceImage) ? placeholderImage : inferenceImage
    gpuProfileType: gpuProfileType
    cpu: inferenceCpu
    memory: inferenceMemory
    minReplicas: inferenceMinReplicas
    maxReplicas: inferenceMaxReplicas
    targetPort: 8080
  }
  // The registry is referenced by name (known before deployment), so the ordering is explicit.
  dependsOn: [
    registry
  ]
}

module privateDns 'modules/private-dns.bicep' = {
  scope: rg
  name: 'private-dns'
  params: {
    tags: tags
    // The environment's default domain is generated by the service, so it is only known at deploy time.
    #disable-next-line what-if-short-circuiting
    zoneName: containerApps.outputs.defaultDomain
    staticIp: containerApps.outputs.staticIp
    vnetId: network.outputs.id
  }
}

module functions 'modules/functions.bicep' = {
  scope: rg
  name: 'functions'
  params: {
    location: location
    tags: tags
    name: names.functionApp
    planName: names.functionPlan
    dotnetVersion: '10.0'
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    alwaysReadyHttp: functionAlwaysReadyHttp
    alwaysReadyDurable: functionAlwaysReadyDurable
    subnetId: network.outputs.functionsSubnetId
    storageAccountName: names.storage
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsName: names.appInsights
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    serviceBusNamespaceName: names.serviceBus
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusQueueNames: serviceBusQueues
    serviceBusTopicName: serviceBusTopic
    cosmosAccountName: names.cosmos
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    keyVaultName: names.keyVault
    keyVaultUri: keyVault.outputs.vaultUri
    openAiAccountName: names.openAi
    openAiEndpoint: openAi.outputs.endpoint
    openAiChatDeployment: openAi.outputs.chatDeploymentName
    executionWebhookBaseUrl: executionWebhookBaseUrl
    inferenceFqdn: containerApps.outputs.fqdn
    apiClientId: apiClientId
    apiAudiences: audiences
    openApiPath: openApiPath
    allowedClientApplications: filter(apiAllowedClientApplications, id => !empty(trim(id)))
    apimSubnetId: network.outputs.apimSubnetId
    deploymentAllowedIpRanges: filter(deploymentAllowedIpRanges, range => !empty(trim(range)))
  }
  // Resolving the inference FQDN needs the private zone before the first call.
  dependsOn: [
    privateDns
  ]
}

module staticWebApp 'modules/static-web-app.bicep' = {
  scope: rg
  name: 'static-web-app'
  params: {
    location: staticWebAppLocation
    tags: tags
    name: names.staticWebApp
  }
}

module apim 'modules/apim.bicep' = {
  scope: rg
  name: 'apim'
  params: {
    location: location
    tags: tags
    name: names.apim
    skuName: apimSku
    subnetId: network.outputs.apimSubnetId
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionAppHostName: functions.outputs.defaultHostName
    appInsightsName: names.appInsights
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    openApiSpecUrl: importOpenApiFromApp ? 'https://${functions.outputs.defaultHostName}${openApiPath}' : ''
    tenantId: tenant().tenantId
    audiences: audiences
    requiredRoles: apiRequiredRoles
    allowedOrigins: union(corsAllowedOrigins, [staticWebApp.outputs.origin])
    rateLimitCalls: rateLimitCalls
    rateLimitPeriodSeconds: rateLimitPeriodSeconds
    maxRequestBodyBytes: maxRequestBodyBytes
  }
}

// ---------------------------------------------------------------- outputs (azd stores them in .azure/<env>/.env)

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output API_GATEWAY_URL string = apim.outputs.gatewayUrl
output WEB_APP_URL string = staticWebApp.outputs.origin
output WEB_APP_NAME string = staticWebApp.outputs.name
output FUNCTION_APP_NAME string = functions.outputs.name
output FUNCTION_APP_HOSTNAME string = functions.outputs.defaultHostName
output INFERENCE_APP_FQDN string = containerApps.outputs.fqdn
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output KEY_VAULT_URI string = keyVault.outputs.vaultUri
