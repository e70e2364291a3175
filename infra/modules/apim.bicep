// API Management in front of the function app. The API's operations come from the app's own OpenAPI
// document (/openapi/v1.json); one API-level policy (policies/api.xml) covers every operation:
// CORS, correlation id, body size limit, Entra ID JWT validation with app roles, and a per-subject
// rate limit. Subscription keys are off: callers authenticate with tokens only.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Service name.')
param name string

@description('SKU. StandardV2: the tier (short of Premium) whose gateway can send its backend calls through a VNet subnet (VNet integration) without being injected into the VNet; the function app admits only that subnet. BasicV2 cannot, Developer only through classic VNet injection (not done here), and the ApiManagement service tag covers only the control plane, not gateway calls.')
@allowed([
  'StandardV2'
])
param skuName string

@description('Subnet (delegated to Microsoft.Web/serverFarms, Microsoft.Web service endpoint) the gateway sends its backend calls from.')
param subnetId string

@description('Publisher e-mail shown in the developer portal and used for service notifications.')
param publisherEmail string

@description('Publisher name.')
param publisherName string

@description('Function app host name, the backend.')
param functionAppHostName string

@description('Application Insights component name for gateway logs.')
param appInsightsName string

@description('Application Insights connection string (an endpoint locator, not a credential: local auth is off).')
param appInsightsConnectionString string

@description('Absolute URL of an OpenAPI document to import instead of the committed one (infra/openapi/apartment-manager.openapi.json, which a test keeps equal to the API).')
param openApiSpecUrl string

@description('Entra ID tenant that issues the access tokens.')
param tenantId string

@description('Accepted token audiences (the API app registration\'s application ID URI and/or client id).')
@minLength(1)
param audiences string[]

@description('App roles of which a caller must hold at least one.')
@minLength(1)
param requiredRoles string[]

@description('Browser origins allowed by CORS.')
@minLength(1)
param allowedOrigins string[]

@description('Calls allowed per subject per renewal period.')
@minValue(1)
param rateLimitCalls int

@description('Rate-limit window in seconds.')
@minValue(1)
param rateLimitPeriodSeconds int

@description('Largest accepted request body in bytes.')
@minValue(1)
@maxValue(102400)
param maxRequestBodyBytes int

var backendId = 'function-app'
var loginEndpoint = environment().authentication.loginEndpoint
var policyXml = reduce(
  [
    { token: '__ALLOWED_ORIGINS__', value: join(map(allowedOrigins, origin => '<origin>${origin}</origin>'), '') }
    { token: '__AUDIENCES__', value: join(map(audiences, audience => '<audience>${audience}</audience>'), '') }
    { token: '__ROLES__', value: join(map(requiredRoles, role => '<value>${role}</value>'), '') }
    { token: '__OPENID_CONFIG_V2__', value: '${loginEndpoint}${tenantId}/v2.0/.well-known/openid-configuration' }
    { token: '__OPENID_CONFIG_V1__', value: '${loginEndpoint}${tenantId}/.well-known/openid-configuration' }
    { token: '__RATE_LIMIT_CALLS__', value: string(rateLimitCalls) }
    { token: '__RATE_LIMIT_PERIOD__', value: string(rateLimitPeriodSeconds) }
    { token: '__MAX_BODY_BYTES__', value: string(maxRequestBodyBytes) }
    { token: '__BACKEND_ID__', value: backendId }
  ],
  loadTextContent('../policies/api.xml'),
  (xml, substitution) => replace(xml, substitution.token, substitution.value)
)
var roles = {
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource service 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: 1
  }
  // Used only to write gateway telemetry to Application Insights with Entra ID.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
    // VNet integration (v2 tiers): the gateway stays public for callers, its calls to the backend leave from subnetId.
    virtualNetworkType: 'External'
    virtualNetworkConfiguration: {
      subnetResourceId: subnetId
    }
    customProperties: {
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'False'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'False'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11': 'False'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30': 'False'
    }
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, service.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: service.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'api management: send gateway telemetry with Entra ID'
  }
}

resource logger 'Microsoft.ApiManagement/service/loggers@2024-05-01' = {
  parent: service
  name: 'app-insights'
  properties: {
    loggerType: 'applicationInsights'
    resourceId: appInsights.id
    credentials: {
      connectionString: appInsightsConnectionString
      identityClientId: 'SystemAssigned'
    }
  }
  dependsOn: [
    telemetryPublisher
  ]
}

resource backend 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: service
  name: backendId
  properties: {
    description: 'Function app (Flex Consumption)'
    protocol: 'http'
    url: 'https://${functionAppHostName}'
    tls: {
      validateCertificateChain: true
      validateCertificateName: true
    }
  }
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: service
  name: 'apartment-manager'
  properties: {
    displayName: 'Apartment Manager API'
    // Empty suffix: the app's routes already start with /api/v1, so gateway and app paths match.
    path: ''
    protocols: ['https']
    subscriptionRequired: false
    serviceUrl: 'https://${functionAppHostName}'
    format: empty(openApiSpecUrl) ? 'openapi+json' : 'openapi+json-link'
    // loadJsonContent (1 MB) rather than loadTextContent (128 K characters): the description outgrew the text limit.
    value: empty(openApiSpecUrl) ? string(loadJsonContent('../openapi/apartment-manager.openapi.json')) : openApiSpecUrl
  }
}

resource apiPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: policyXml
  }
  dependsOn: [
    backend
  ]
}

resource apiDiagnostics 'Microsoft.ApiManagement/service/apis/diagnostics@2024-05-01' = {
  parent: api
  name: 'applicationinsights'
  properties: {
    loggerId: logger.id
    alwaysLog: 'allErrors'
    httpCorrelationProtocol: 'W3C'
    verbosity: 'information'
    sampling: {
      samplingType: 'fixed'
      percentage: 100
    }
  }
}

output gatewayUrl string = service.properties.gatewayUrl
output name string = service.name
output apiName string = api.name
