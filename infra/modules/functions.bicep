// Function app on Flex Consumption. Every connection is identity-based (no keys or connection
// strings in app settings), and the app's system-assigned identity gets exactly the data-plane
// roles it uses, scoped as narrowly as the service allows. The role assignments live here, next to
// the identity, so the infrastructure tests can tie each one to its principal.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Function app name (azd service "api").')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Runtime version of the dotnet-isolated worker.')
param dotnetVersion string

@description('Instance memory in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound on instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the HTTP trigger group.')
@minValue(0)
param alwaysReadyHttp int

@description('Always-ready instances for the Durable Functions group (orchestrators, activities, entities).')
@minValue(0)
param alwaysReadyDurable int

@description('Subnet for VNet integration (reaches the internal inference app).')
param subnetId string

@description('Storage account for AzureWebJobsStorage, the Durable task hub and the deployment package.')
param storageAccountName string

@description('Blob container URL of the deployment package.')
param deploymentContainerUrl string

@description('Application Insights component name.')
param appInsightsName string

@description('Application Insights connection string (an endpoint locator, not a credential: local auth is off).')
param appInsightsConnectionString string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Service Bus fully qualified namespace.')
param serviceBusFullyQualifiedNamespace string

@description('Queues the app sends to and receives from.')
param serviceBusQueueNames string[]

@description('Topic the app publishes to and whose subscriptions it reads.')
param serviceBusTopicName string

@description('Cosmos DB account name.')
param cosmosAccountName string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Key Vault name.')
param keyVaultName string

@description('Key Vault URI.')
param keyVaultUri string

@description('Azure OpenAI account name.')
param openAiAccountName string

@description('Azure OpenAI endpoint.')
param openAiEndpoint string

@description('Chat deployment name.')
param openAiChatDeployment string

@description('Base URL of the external systems\' webhooks (work orders, notifications, ledger) that actions are sent to.')
param executionWebhookBaseUrl string

@description('Name of the Key Vault secret holding the webhook signing key (HMAC-SHA256, at least 16 characters).')
param webhookSigningSecretName string = 'execution-webhook-signing-secret'

@description('FQDN of the inference container app.')
param inferenceFqdn string

@description('Client id of the API\'s Entra ID app registration; enables platform authentication (Easy Auth). Empty leaves it off, and the app then answers 401 to every API call.')
param apiClientId string

@description('Token audiences the platform accepts (the API\'s application ID URI and client id).')
param apiAudiences string[]

@description('Path of the OpenAPI document the app serves (left anonymous for the gateway import).')
param openApiPath string

@description('Client ids of the applications whose tokens the app accepts (Easy Auth allowedApplications): the web app and any automation clients. API Management forwards the caller\'s token, so these are the callers\' client applications.')
param allowedClientApplications string[]

@description('The subnet API Management sends its backend calls from: the only source the app admits.')
param apimSubnetId string

@description('CIDR ranges allowed to the deployment (SCM) site, e.g. the machine running azd deploy; empty denies everyone.')
param deploymentAllowedIpRanges string[]

// Signed inbound webhooks: no bearer token (the app verifies their HMAC signature), so the platform's authentication
// lets them through. One entry per /api/v1/hooks/* route of the app; a test keeps this equal to the OpenAPI document.
var signedHookPaths = [
  '/api/v1/hooks/work-orders'
]

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
// Built-in Cosmos DB data-plane role (not an Azure RBAC role): read/write items, no account control.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' existing = [
  for queueName in serviceBusQueueNames: {
    parent: serviceBus
    name: queueName
  }
]

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: serviceBus
  name: serviceBusTopicName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Reachable on its public address, but the access restrictions below admit only API Management's subnet.
    publicNetworkAccess: 'Enabled'
    // Flex Consumption sends outbound traffic (and DNS) through the integrated subnet, so the
    // inference app's name resolves in the private zone linked to this network.
    virtualNetworkSubnetId: subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      // Inbound: only API Management (its VNet-integration subnet, identified through the Microsoft.Web service
      // endpoint), so nobody reaches the app around the gateway's token check and rate limits. Everything else: 403.
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: [
        {
          name: 'api-management'
          description: 'API Management gateway (VNet integration subnet)'
          action: 'Allow'
          priority: 100
          vnetSubnetResourceId: apimSubnetId
        }
      ]
      // The deployment (SCM) site has its own list: nobody but the listed deployers.
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Deny'
      scmIpSecurityRestrictions: [
        for (range, i) in deploymentAllowedIpRanges: {
          name: 'deployer-${i}'
          description: 'azd deploy / CI'
          action: 'Allow'
          priority: 100 + i
          ipAddress: range
        }
      ]
      appSettings: [
        // Host storage and the Durable Functions task hub, by identity.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
        { name: 'CosmosDb__accountEndpoint', value: cosmosEndpoint }
        { name: 'CosmosDb__Database', value: cosmosDatabaseName }
        { name: 'CosmosDb__RequestsContainer', value: 'requests' }
        { name: 'CosmosDb__ResidentsContainer', value: 'residents' }
        // The execution log shared by every instance (claims with leases): exactly once across instances.
        { name: 'CosmosDb__ExecutionsContainer', value: 'executions' }
        // The app reads the caller from Easy Auth's x-ms-client-principal only when the platform validates tokens.
        { name: 'EasyAuth__Enabled', value: string(!empty(apiClientId)) }
        // The LLM stage (AzureOpenAIOptions): on when Endpoint and Deployment are set; managed identity, no key.
        { name: 'AzureOpenAI__Endpoint', value: openAiEndpoint }
        { name: 'AzureOpenAI__Deployment', value: openAiChatDeployment }
        // The GPU model server (InferenceClientOptions), with the in-process models as its fallback.
        { name: 'Inference__Mode', value: 'Remote' }
        { name: 'Inference__BaseUrl', value: 'https://${inferenceFqdn}/' }
        // The learning engine's timer trigger: nightly at 02:00 UTC (six-field NCRONTAB).
        { name: 'LearningSchedule', value: '0 0 2 * * *' }
        // Actions go to the external systems as signed webhooks (ExecutionOptions); the signing key is a Key Vault
        // reference, resolved by the platform with the app's identity (Key Vault Secrets User, below).
        { name: 'Execution__Mode', value: 'Webhook' }
        { name: 'Execution__Webhook__WorkOrdersUrl', value: '${executionWebhookBaseUrl}/work-orders' }
        { name: 'Execution__Webhook__NotificationsUrl', value: '${executionWebhookBaseUrl}/notifications' }
        { name: 'Execution__Webhook__LedgerUrl', value: '${executionWebhookBaseUrl}/ledger' }
        { name: 'Execution__Webhook__SigningSecret', value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${webhookSigningSecretName}/)' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: [
          { name: 'http', instanceCount: alwaysReadyHttp }
          { name: 'durable', instanceCount: alwaysReadyDurable }
        ]
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// Publishing with basic (user/password) credentials is the site's "local auth"; deployments go
// through Entra ID (azd uses the OneDeploy API with the signed-in identity).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// Platform authentication: the bearer token APIM forwards is validated again at the app, so the app
// is not open to callers that bypass the gateway. No client secret: it only validates tokens.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(apiClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      // Probes, the OpenAPI document API Management imports and the signed inbound webhooks (HMAC-verified by
      // the app, which answers 401 to anything unsigned) pass without a token.
      excludedPaths: concat(
        [
          '/api/v1/health'
          '/api/v1/health/ready'
          openApiPath
        ],
        signedHookPaths
      )
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: apiAudiences
          // Only tokens issued to these client applications (appid / azp claim).
          defaultAuthorizationPolicy: {
            allowedApplications: allowedClientApplications
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// --- Storage: host locks and the deployment package (blob), Durable queues and history tables. ---
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, site.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: host storage and deployment package'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, site.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: Durable task hub queues'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, site.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: Durable task hub history and instances tables'
  }
}

// --- Service Bus: send and receive on each entity it uses, not the whole namespace. ---
resource queueSenders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in serviceBusQueueNames: {
    name: guid(queues[i].id, site.id, roles.serviceBusDataSender)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
      principalId: site.identity.principalId
      principalType: 'ServicePrincipal'
      description: 'functions: send to queue ${queueName}'
    }
  }
]

resource queueReceivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in serviceBusQueueNames: {
    name: guid(queues[i].id, site.id, roles.serviceBusDataReceiver)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
      principalId: site.identity.principalId
      principalType: 'ServicePrincipal'
      description: 'functions: receive from queue ${queueName}'
    }
  }
]

resource topicSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, site.id, roles.serviceBusDataSender)
  scope: topic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: publish request events'
  }
}

// Scoped to the topic, the receiver role covers its subscriptions.
resource topicReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(topic.id, site.id, roles.serviceBusDataReceiver)
  scope: topic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: read request-event subscriptions'
  }
}

// --- Cosmos DB: data contributor on the one database, through Cosmos' own RBAC. ---
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, site.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: site.identity.principalId
    scope: '${cosmos.id}/dbs/${cosmosDatabaseName}'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, site.id, roles.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: read gateway secrets'
  }
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(openAi.id, site.id, roles.cognitiveServicesOpenAiUser)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAiUser)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: call chat and embedding deployments'
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, site.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'functions: send telemetry with Entra ID'
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
