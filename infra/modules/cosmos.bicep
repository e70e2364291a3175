// Cosmos DB (NoSQL API). Keys are disabled (disableLocalAuth): the app authenticates with Entra ID
// and a Cosmos data-plane role assignment, which lives in the functions module next to the identity.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Account name.')
param name string

@description('Database name.')
param databaseName string

@description('Serverless for dev (pay per request unit); provisioned autoscale otherwise.')
param serverless bool

@description('Autoscale ceiling in RU/s for the database when not serverless.')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Zone redundancy for the write region.')
param zoneRedundant bool

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    // Point-in-time restore for provisioned accounts; serverless (dev) keeps the default periodic backup.
    backupPolicy: serverless
      ? { type: 'Periodic' }
      : {
          type: 'Continuous'
          continuousModeProperties: {
            tier: 'Continuous7Days'
          }
        }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

// One document per request (history embedded), partitioned by resident so a resident's reads and
// writes stay in one logical partition. Admin listings page cross-partition with keyset order
// (createdKey desc, id desc) -- createdKey is the adapter's fixed-width UTC sort key -- which needs the
// composite indexes below (they must match the adapter's RequestsContainerDefinition).
resource requests 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'requests'
  properties: {
    resource: {
      id: 'requests'
      partitionKey: {
        paths: ['/residentId']
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/residentId/?' }
          { path: '/status/?' }
          { path: '/category/?' }
          { path: '/urgency/?' }
          { path: '/building/?' }
          { path: '/unit/?' }
          { path: '/createdKey/?' }
          { path: '/id/?' }
        ]
        // Free text, pipeline outputs and history are never filtered on; not indexing them keeps
        // write RU charges flat as documents grow.
        excludedPaths: [
          { path: '/*' }
          { path: '/"_etag"/?' }
        ]
        compositeIndexes: [
          [
            { path: '/createdKey', order: 'descending' }
            { path: '/id', order: 'descending' }
          ]
          [
            { path: '/status', order: 'ascending' }
            { path: '/createdKey', order: 'descending' }
            { path: '/id', order: 'descending' }
          ]
        ]
      }
      defaultTtl: -1
    }
  }
}

// Change-feed processor leases (e.g. projecting request events); partitioned by /id as the
// change feed processor requires.
resource leases 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'leases'
  properties: {
    resource: {
      id: 'leases'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

// Domain events recorded from the requests' change feed, webhook subscriptions and deliveries, the audit trail
// and the change-feed cursor (the adapter's CosmosPlatform); partition key /pk: events:{residentId}, webhooks,
// deliveries, audit, cursors. Default (consistent, all paths) indexing: the adapter sorts on single properties only.
resource platform 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'platform'
  properties: {
    resource: {
      id: 'platform'
      partitionKey: {
        paths: ['/pk']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

// The resident directory: one document per resident (building, unit, contact), read by id.
resource residents 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'residents'
  properties: {
    resource: {
      id: 'residents'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

// The execution log every function app instance shares (the adapter's CosmosExecutionLog): one document per
// idempotency key, claimed with a lease before an action is sent. Partition key /id: a claim is a create of that id
// (409 for every other instance), takeover and completion are ETag-conditional replaces of it, and
// GET /api/v1/executions/{id} is a point read -- all single-partition operations.
resource executions 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'executions'
  properties: {
    resource: {
      id: 'executions'
      partitionKey: {
        paths: ['/id']
        kind: 'Hash'
        version: 2
      }
    }
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames string[] = [requests.name, leases.name, platform.name, residents.name, executions.name]
