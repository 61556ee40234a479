import type { RegisterTaskDefinitionCommandInput, TaskDefinition, UpdateServiceCommandInput } from '@aws-sdk/client-ecs'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { decode } from '../../codec/index.js'
import { ServiceUpdateBody } from './bodies.js'
import { checkTags, MAX_ECS_CLIENT_TAGS, type Tag } from '../../core/tags.js'
import { credentialSecretPrefix } from '../../core/credential-names.js'
import { withCurrentCredentials } from '../../workflows/resources/credentials-update-plan.js'
import { validateCredentials, validateTaskDefinition } from '../taskdefs/validate.js'
import {
  checkCapacityProviderStrategy,
  checkDesiredCount,
  checkLoadBalancers,
  checkRegistryArns,
  fieldError,
  tagsFromEcs,
} from './service-rules.js'

/** A service update request, decoded and checked field by field (no AWS call yet). */
export interface UpdateServicePlan {
  /** A new revision to register: in the family given, else the service's current one. */
  taskDefinition: RegisterTaskDefinitionCommandInput | undefined
  /** The new revision starts or joins another family than the one the service runs. */
  familyChanged: boolean
  credentials: Record<string, CreateSecretCommandInput>
  /** Service parameters; an empty capacity provider strategy already dropped ("keep"). */
  service: UpdateServiceCommandInput | undefined
  /** The client's tags; undefined keeps the current ones. */
  tags: Tag[] | undefined
  forceNewDeployment: boolean
}

/**
 * Decodes and validates the whole update body. Nothing to do (no task definition, service
 * parameters, tags or redeploy) is a 400, as are credentials without a task definition.
 */
export function parseUpdateServiceBody(
  body: unknown,
  space: { org: string; clusterName: string; current: TaskDefinition },
): UpdateServicePlan {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const { value } = decode(ServiceUpdateBody, body)
  const secretPrefix = credentialSecretPrefix(space.org, space.clusterName)

  let service = value.service
  if (service) {
    checkDesiredCount('service.desiredCount', service.desiredCount)
    checkCapacityProviderStrategy('service.capacityProviderStrategy', service.capacityProviderStrategy)
    // An empty strategy means "keep what the service has", as the original treated it.
    if (service.capacityProviderStrategy?.length === 0) {
      const { capacityProviderStrategy: _empty, ...rest } = service
      service = rest
    }
    checkRegistryArns('service.serviceRegistries', service.serviceRegistries)
    checkLoadBalancers('service.loadBalancers', service.loadBalancers)
    if (service.taskDefinition !== undefined && value.taskDefinition) {
      throw fieldError('service.taskDefinition', 'cannot be combined with a taskDefinition to register')
    }
  }

  let taskDefinition = value.taskDefinition
  if (taskDefinition) {
    const current = space.current.containerDefinitions ?? []
    // The service's own family unless another is named: the original moved the service to a family
    // the body names (its clients send the same body to every service); whose family that may be is
    // checked against AWS by the caller.
    const family = taskDefinition.family ?? space.current.family ?? ''
    taskDefinition = {
      ...taskDefinition,
      family,
      // The update rule of repository credentials (shared with the task-definition update).
      containerDefinitions: withCurrentCredentials(current, taskDefinition.containerDefinitions ?? []),
    }
    const currentArns = new Set(current.flatMap((c) => c.repositoryCredentials?.credentialsParameter ?? []))
    validateTaskDefinition(taskDefinition, { path: 'taskDefinition', secretPrefix, allowedSecretArns: currentArns })
  }
  const credentials = value.credentials ?? {}
  if (Object.keys(credentials).length > 0 && !taskDefinition) {
    throw fieldError('credentials', 'needs a taskDefinition whose containers they belong to')
  }
  validateCredentials(credentials, taskDefinition?.containerDefinitions ?? [], { path: 'credentials', secretPrefix })

  const tags = tagsFromEcs('tags', value.tags)
  checkTags(tags, { field: 'tags', max: MAX_ECS_CLIENT_TAGS })
  const forceNewDeployment = value.forceNewDeployment === true
  const serviceChanges = service && Object.keys(service).some((k) => k !== 'cluster' && k !== 'service')
  if (!taskDefinition && !serviceChanges && tags === undefined && !forceNewDeployment) {
    throw fieldError('body', 'has nothing to update: give taskDefinition, service, tags or forceNewDeployment')
  }
  const familyChanged = taskDefinition !== undefined && taskDefinition.family !== space.current.family
  return { taskDefinition, familyChanged, credentials, service: serviceChanges ? service : undefined, tags, forceNewDeployment }
}

