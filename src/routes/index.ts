import type { FastifyInstance } from 'fastify'
import { loadBalancerRoutes } from './load-balancers.js'
import { serviceRoutes } from './services.js'
import { planRoutes } from './plans.js'
import { operationRoutes } from './operations.js'
import { systemRoutes } from './system.js'
import { imageRoutes } from './images.js'
import { secretRoutes } from './secrets.js'
import { parameterRoutes } from './parameters.js'
import { taskDefRoutes } from './taskdefs.js'
import { scheduleRoutes } from './schedules.js'
import { taskRoutes } from './tasks.js'
import { autoscalingRoutes } from './autoscaling.js'
import { spaceRoutes } from './spaces.js'
import { logRoutes } from './logs.js'
import { deploymentRoutes } from './deployments.js'
import { auditRoutes } from './audit.js'

/**
 * Every route group of the API. Each is a plain (encapsulated) Fastify plugin in its own file.
 */
export async function routes(app: FastifyInstance): Promise<void> {
  await app.register(systemRoutes)
  // route groups: one line each, below
  await app.register(operationRoutes)
  await app.register(imageRoutes)
  await app.register(loadBalancerRoutes)
  await app.register(serviceRoutes)
  await app.register(planRoutes)
  await app.register(secretRoutes)
  await app.register(parameterRoutes)
  await app.register(taskDefRoutes)
  await app.register(scheduleRoutes)
  await app.register(taskRoutes)
  await app.register(autoscalingRoutes)
  await app.register(spaceRoutes)
  await app.register(logRoutes)
  await app.register(deploymentRoutes)
  await app.register(auditRoutes)
}
