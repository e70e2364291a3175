// Development: smallest SKUs that still support every feature the app uses. No secrets here:
// identities and Entra ID replace keys everywhere. azd supplies AZURE_ENV_NAME / AZURE_LOCATION.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'am-dev')
param environmentType = 'dev'
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param openAiLocation = readEnvironmentVariable('AZURE_OPENAI_LOCATION', 'swedencentral')

param logRetentionInDays = 30
param logDailyQuotaGb = 1
param storageSku = 'Standard_LRS'
param serviceBusSku = 'Standard'
param serviceBusMaxDeliveryCount = 5
param cosmosServerless = true
param cosmosAutoscaleMaxThroughput = 1000
param cosmosZoneRedundant = false
param keyVaultPurgeProtection = false
param registrySku = 'Basic'

param chatDeployment = {
  name: 'chat'
  model: 'gpt-4.1-mini'
  version: '2025-04-14'
  sku: 'GlobalStandard'
  capacity: 10
}
param embeddingDeployment = {
  name: 'embedding'
  model: 'text-embedding-3-small'
  version: '1'
  sku: 'Standard'
  capacity: 10
}

param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param inferenceCpu = 8
param inferenceMemory = '56Gi'
param inferenceMinReplicas = 1
param inferenceMaxReplicas = 1
param inferenceImage = readEnvironmentVariable('SERVICE_INFERENCE_IMAGE_NAME', '')

param functionInstanceMemoryMB = 2048
param functionMaximumInstanceCount = 40
param functionAlwaysReadyHttp = 1
param functionAlwaysReadyDurable = 1

param apimSku = 'StandardV2'
param apimPublisherEmail = readEnvironmentVariable('APIM_PUBLISHER_EMAIL', 'apartment-manager-dev@example.com')
param apimPublisherName = 'Apartment Manager (dev)'
param importOpenApiFromApp = bool(readEnvironmentVariable('IMPORT_OPENAPI_FROM_APP', 'false'))
param apiAudiences = [
  readEnvironmentVariable('API_AUDIENCE', 'api://apartment-manager-dev')
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
  'http://localhost:5173'
  'https://localhost:5001'
]
param rateLimitCalls = 60
param rateLimitPeriodSeconds = 60
