// Private DNS for the internal Container Apps environment: its default domain resolves to the
// environment's internal load balancer inside the virtual network. A separate module because the
// zone name (the environment's default domain) is only known at deployment time.

@description('Tags applied to every resource.')
param tags object

@description('Zone name: the environment default domain.')
param zoneName string

@description('Internal IP of the environment.')
param staticIp string

@description('Virtual network to link.')
param vnetId string

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: zoneName
  location: 'global'
  tags: tags
}

resource wildcard 'Microsoft.Network/privateDnsZones/A@2020-06-01' = {
  parent: zone
  name: '*'
  properties: {
    ttl: 300
    aRecords: [
      { ipv4Address: staticIp }
    ]
  }
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: zone
  name: 'vnet'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnetId
    }
  }
}
