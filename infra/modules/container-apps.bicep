// Container Apps environment (internal, workload profiles incl. a serverless GPU profile) and the
// always-warm ONNX Runtime inference app. The app pulls its image with a user-assigned identity so
// AcrPull exists before the first revision is created (a system-assigned identity would not).

@description('Azure region (must offer the GPU workload profile type).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container Apps environment name.')
param environmentName string

@description('Inference container app name (azd service "inference").')
param appName string

@description('User-assigned identity of the inference app.')
param identityName string

@description('Subnet delegated to Microsoft.App/environments.')
param infrastructureSubnetId string

@description('Log Analytics workspace that receives the environment logs via diagnostic settings.')
param logAnalyticsWorkspaceId string

@description('Application Insights component the app sends telemetry to.')
param appInsightsName string

@description('Application Insights connection string (an endpoint locator, not a credential: local auth is off).')
param appInsightsConnectionString string

@description('Registry the image is pulled from.')
param registryName string

@description('Image reference; azd replaces it on deploy.')
param image string

@description('GPU workload profile type, e.g. Consumption-GPU-NC8as-T4 or Consumption-GPU-NC24-A100.')
param gpuProfileType string

@description('CPU cores per replica.')
param cpu int

@description('Memory per replica, e.g. 56Gi.')
param memory string

@description('Always-warm replicas; at least one so no request ever waits for a cold GPU start.')
@minValue(1)
param minReplicas int

@description('Upper bound on replicas.')
@minValue(1)
param maxReplicas int

@description('Port the model server listens on.')
param targetPort int

var gpuProfileName = 'gpu'
var roles = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'inference app: pull its image'
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'inference app: send telemetry with Entra ID'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      // No public endpoint at all: ingress is reachable from the virtual network only.
      internal: true
    }
    // Logs go through diagnostic settings instead of a workspace shared key.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource inference 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'inference' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      // In an internal environment 'external' means "exposed on the environment's internal load
      // balancer": reachable from the virtual network (the function app), never from the internet.
      ingress: {
        external: true
        targetPort: targetPort
        transport: 'http'
        allowInsecure: false
      }
      registries: [
        {
          server: registry.properties.loginServer
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'inference'
          image: image
          resources: {
            cpu: cpu
            memory: memory
          }
          env: [
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(targetPort) }
            // DefaultAzureCredential picks the user-assigned identity from this.
            { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
            { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identity.properties.clientId}' }
          ]
          probes: [
            {
              // Loading the ONNX models onto the GPU takes a while; give it up to five minutes.
              type: 'Startup'
              httpGet: { path: '/healthz', port: targetPort }
              periodSeconds: 10
              failureThreshold: 30
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: targetPort }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: targetPort }
              periodSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: {
              metadata: {
                concurrentRequests: '32'
              }
            }
          }
        ]
      }
    }
  }
  // The first revision pulls from the registry; the pull must already be authorised.
  dependsOn: [
    acrPull
  ]
}

output environmentId string = environment.id
output defaultDomain string = environment.properties.defaultDomain
output staticIp string = environment.properties.staticIp
output appName string = inference.name
output fqdn string = inference.properties.configuration.ingress.fqdn
output identityPrincipalId string = identity.properties.principalId
