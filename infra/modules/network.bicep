// Virtual network shared by the Container Apps environment and the function app. The environment is
// internal (no public endpoint), so the function app reaches the inference app through VNet
// integration instead of the internet.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Virtual network name.')
param name string

@description('Address space of the virtual network.')
param addressPrefix string

@description('Subnet for the Container Apps environment (workload profiles need at least a /27).')
param containerAppsSubnetPrefix string

@description('Subnet for Flex Consumption VNet integration.')
param functionsSubnetPrefix string

@description('Subnet API Management (v2 tier) sends its backend calls from; the function app admits only this subnet.')
param apimSubnetPrefix string

// API Management's VNet integration needs a network security group on its subnet; the default rules suffice
// (outbound only: the gateway's inbound side stays public).
resource apimNsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: '${name}-apim-nsg'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: 'snet-container-apps'
        properties: {
          addressPrefix: containerAppsSubnetPrefix
          // New subnets are private by default; the apps still need outbound internet (registry
          // pulls, public PaaS endpoints). Production would put a NAT gateway here instead.
          defaultOutboundAccess: true
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'snet-functions'
        properties: {
          addressPrefix: functionsSubnetPrefix
          defaultOutboundAccess: true
          // Flex Consumption integrates through the same delegation as Container Apps.
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'snet-apim'
        properties: {
          addressPrefix: apimSubnetPrefix
          defaultOutboundAccess: true
          networkSecurityGroup: {
            id: apimNsg.id
          }
          // API Management v2 VNet integration (outbound): its calls to the function app leave from this subnet.
          delegations: [
            {
              name: 'api-management'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
          // The Microsoft.Web service endpoint tags those calls with this subnet, so the function app's access
          // restriction can admit exactly this subnet (and so this API Management instance) and deny the rest.
          serviceEndpoints: [
            {
              service: 'Microsoft.Web'
            }
          ]
        }
      }
    ]
  }
}

output id string = vnet.id
output containerAppsSubnetId string = vnet.properties.subnets[0].id
output functionsSubnetId string = vnet.properties.subnets[1].id
output apimSubnetId string = vnet.properties.subnets[2].id
