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
    ]
  }
}

output id string = vnet.id
output containerAppsSubnetId string = vnet.properties.subnets[0].id
output functionsSubnetId string = vnet.properties.subnets[1].id
