import type { CreateClusterCommandInput, CreateServiceCommandInput, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { decode } from '../../codec/index.js'
import { ServiceCreateBody } from './bodies.js'
import type { RegistryRequest } from '../../workflows/steps/create-service-registry.js'
import { checkGivenNetwork, serviceNetwork, type AccountNetwork } from '../../core/service-network.js'
import { checkTags, MAX_ECS_CLIENT_TAGS, type Tag } from '../../core/tags.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { requireClusterName, validateCredentials, validateTaskDefinition } from '../taskdefs/validate.js'
import {
  checkCapacityProviderStrategy,
  checkDesiredCount,
  checkEcsName,
  checkLaunchType,
  checkLoadBalancers,
  checkRegistryArns,
  fieldError,
  tagsFromEcs,
} from './service-rules.js'

/** A service create request, decoded and checked field by field (no AWS call yet). */
export interface CreateServicePlan {
  clusterName: string
  /** The client's CreateCluster fields: the cluster is created when missing. Absent: it must exist. */
  cluster: CreateClusterCommandInput | undefined
  /** A new task definition to register; absent: `service.taskDefinition` names an existing one. */
  taskDefinition: RegisterTaskDefinitionCommandInput | undefined
  existingTaskDefinition: string | undefined
  credentials: Record<string, CreateSecretCommandInput>
  service: CreateServiceCommandInput
  registry: RegistryRequest
  /** The client's tags (org tags still in: the scope builder refuses another org's). */
  clientTags: Tag[] | undefined
}

/**
 * Decodes and validates the whole create body, so a bad request is refused before anything is
 * written. Keys match case-insensitively; each problem is a 400 naming its field.
 */
export function parseCreateServiceBody(body: unknown, org: string, network: AccountNetwork): CreateServicePlan {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const { value } = decode(ServiceCreateBody, body)
  const service = value.service
  if (!service) throw fieldError('service', 'is required')

  // The space: Cluster.ClusterName, or Service.Cluster when the cluster already exists.
  const fromCluster = value.cluster?.clusterName
  const fromService = service.cluster
  if (value.cluster && !fromCluster && !fromService) throw fieldError('cluster.clusterName', 'is required')
  if (!fromCluster && !fromService) throw fieldError('cluster', 'is required (or service.cluster naming an existing cluster)')
  if (fromCluster && fromService && fromCluster !== fromService) {
    throw fieldError('service.cluster', `names cluster "${fromService}" but cluster.clusterName is "${fromCluster}"`)
  }
  const clusterName = requireClusterName(fromCluster ?? fromService, fromCluster ? 'cluster.clusterName' : 'service.cluster')
  const secretPrefix = credentialSecretPrefix(org, clusterName)

  checkEcsName('service.serviceName', service.serviceName)
  checkDesiredCount('service.desiredCount', service.desiredCount)
  checkCapacityProviderStrategy('service.capacityProviderStrategy', service.capacityProviderStrategy)
  checkLaunchType('service.launchType', service.launchType, (service.capacityProviderStrategy ?? []).length > 0)
  checkLoadBalancers('service.loadBalancers', service.loadBalancers)
  // Refuses a public IP the account does not allow, subnets and security groups it does not list,
  // and a network with no subnet to run in.
  const net = serviceNetwork(service.networkConfiguration, network).awsvpcConfiguration
  checkGivenNetwork('service.networkConfiguration.awsvpcConfiguration', service.networkConfiguration?.awsvpcConfiguration, network)
  if (!net?.subnets?.length) {
    throw fieldError('service.networkConfiguration.awsvpcConfiguration.subnets', 'is required: the account has no default subnets')
  }

  const taskDefinition = value.taskDefinition
  let existingTaskDefinition: string | undefined
  if (taskDefinition) {
    validateTaskDefinition(taskDefinition, { path: 'taskDefinition', secretPrefix })
  } else {
    existingTaskDefinition = service.taskDefinition
    if (!existingTaskDefinition) throw fieldError('taskDefinition', 'is required (or service.taskDefinition naming an existing one)')
  }

  const credentials = value.credentials ?? {}
  if (Object.keys(credentials).length > 0 && !taskDefinition) {
    throw fieldError('credentials', 'needs a taskDefinition whose containers they belong to')
  }
  validateCredentials(credentials, taskDefinition?.containerDefinitions ?? [], { path: 'credentials', secretPrefix })

  const registries = checkRegistryArns('service.serviceRegistries', service.serviceRegistries)
  let registry: RegistryRequest = { kind: 'none' }
  if (value.serviceRegistry && registries.length > 0) {
    throw fieldError('serviceRegistry', 'cannot be combined with service.serviceRegistries: create a registry or name one')
  }
  if (value.serviceRegistry) {
    if (!value.serviceRegistry.Name) throw fieldError('serviceRegistry.Name', 'is required')
    if (!value.serviceRegistry.NamespaceId && !value.serviceRegistry.DnsConfig?.NamespaceId) {
      throw fieldError('serviceRegistry.dnsConfig.namespaceId', 'is required')
    }
    registry = { kind: 'create', input: value.serviceRegistry }
  } else if (registries[0]) {
    registry = { kind: 'existing', arn: registries[0].arn, id: registries[0].id }
  }

  const clientTags = tagsFromEcs('tags', value.tags)
  checkTags(clientTags, { field: 'tags', max: MAX_ECS_CLIENT_TAGS })
  return {
    clusterName,
    cluster: value.cluster,
    taskDefinition,
    existingTaskDefinition,
    credentials,
    // Safer default: a deployment whose tasks keep failing is rolled back by ECS. A request that
    // sets its own deploymentConfiguration keeps it as it is.
    service: service.deploymentConfiguration
      ? service
      : { ...service, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } },
    registry,
    clientTags,
  }
}
