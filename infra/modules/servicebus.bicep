// Service Bus: the intake and execution queues and the request-events fan-out topic.
// Local (SAS) auth is disabled, so producers and consumers need Entra ID data roles.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Namespace name.')
param name string

@description('Standard is the cheapest tier with topics and duplicate detection.')
@allowed([
  'Standard'
  'Premium'
])
param skuName string

@description('Deliveries before a message is dead-lettered.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int

@description('Window in which a repeated MessageId is dropped (ISO 8601).')
param duplicateDetectionWindow string

@description('Queues to create.')
param queueNames string[]

@description('Topic that carries request lifecycle events.')
param topicName string

@description('Subscriptions on the topic.')
param subscriptionNames string[]

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
    capacity: skuName == 'Premium' ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for queueName in queueNames: {
    parent: namespace
    name: queueName
    properties: {
      lockDuration: 'PT1M'
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      defaultMessageTimeToLive: 'P14D'
      enableBatchedOperations: true
    }
  }
]

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: topicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    enableBatchedOperations: true
  }
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [
  for subscriptionName in subscriptionNames: {
    parent: topic
    name: subscriptionName
    properties: {
      lockDuration: 'PT1M'
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      defaultMessageTimeToLive: 'P14D'
      enableBatchedOperations: true
    }
  }
]

output name string = namespace.name
// serviceBusEndpoint is 'https://<name>.servicebus.windows.net:443/' in public Azure; keep only the host so
// sovereign clouds work unchanged.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
output queueNames string[] = [for (queueName, i) in queueNames: queues[i].name]
output topicName string = topic.name
output subscriptionNames string[] = [for (subscriptionName, i) in subscriptionNames: subscriptions[i].name]
