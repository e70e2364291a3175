// Production: zone-redundant storage and Cosmos DB, provisioned throughput, purge protection,
// more always-ready capacity. No secrets here: identities and Entra ID replace keys everywhere.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'am-prod')
param environmentType = 'prod'
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param openAiLocation = readEnvironmentVariable('AZURE_OPENAI_LOCATION', 'swedencentral')

param logRetentionInDays = 90
param logDailyQuotaGb = -1
param storageSku = 'Standard_ZRS'
param serviceBusSku = 'Standard'
param serviceBusMaxDeliveryCount = 10
param cosmosServerless = false
param cosmosAutoscaleMaxThroughput = 4000
param cosmosZoneRedundant = true
param keyVaultPurgeProtection = true
param registrySku = 'Standard'

param chatDeployment = {
  name: 'chat'
  model: 'gpt-4.1-mini'
  version: '2025-04-14'
  sku: 'GlobalStandard'
  capacity: 100
}
param embeddingDeployment = {
  name: 'embedding'
  model: 'text-embedding-3-small'
  version: '1'
  sku: 'Standard'
  capacity: 120
}

param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param inferenceCpu = 8
param inferenceMemory = '56Gi'
param inferenceMinReplicas = 2
param inferenceMaxReplicas = 4
param inferenceImage = readEnvironmentVariable('SERVICE_INFERENCE_IMAGE_NAME', '')

param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 200
param functionAlwaysReadyHttp = 2
param functionAlwaysReadyDurable = 2

param apimSku = 'StandardV2'
param apimPublisherEmail = readEnvironmentVariable('APIM_PUBLISHER_EMAIL', 'apartment-manager@example.com')
param apimPublisherName = 'Apartment Manager'
param importOpenApiFromApp = bool(readEnvironmentVariable('IMPORT_OPENAPI_FROM_APP', 'false'))
param apiAudiences = [
  readEnvironmentVariable('API_AUDIENCE', 'api://apartment-manager')
]
param apiClientId = readEnvironmentVariable('API_CLIENT_ID', '')
// Whose tokens the app accepts: the web app's registration by default, or a comma-separated list.
param apiAllowedClientApplications = split(readEnvironmentVariable('API_ALLOWED_CLIENT_APPLICATIONS', readEnvironmentVariable('WEB_CLIENT_ID', '')), ',')
// Who may deploy (SCM site): comma-separated CIDRs, e.g. your public address as 203.0.113.7/32.
param deploymentAllowedIpRanges = split(readEnvironmentVariable('DEPLOYMENT_ALLOWED_IP_RANGES', ''), ',')
param executionWebhookBaseUrl = readEnvironmentVariable('EXECUTION_WEBHOOK_BASE_URL', 'https://integrations.apartment-manager.example.com/v1')
// The app roles of the API registration; the code knows the same two (resident, admin), compared case-insensitively.
param apiRequiredRoles = [
  'Resident'
  'Admin'
]
param corsAllowedOrigins = [
  readEnvironmentVariable('WEB_ORIGIN', 'https://apartment-manager.example.com')
]
param rateLimitCalls = 120
param rateLimitPeriodSeconds = 60
