import type { FastifyReply, FastifyRequest } from 'fastify'
import type { JsonValue } from '../codec/index.js'
import { deploymentContext, type DeploymentContext } from '../domain/deployments/context.js'
import { followDeployment } from '../domain/deployments/read-deployments.js'
import { deploymentJson, deploymentLocation, type Deployment } from '../domain/deployments/view.js'
import { markWaitApplied, requestedWaitSeconds } from '../http/wait-preference.js'
import { contextOf } from './request-context.js'

/**
 * What the routes that start deployments share: the context, the wait the caller asked for (read
 * before anything changes, so a bad one is a 400 with nothing done), and the answer's headers.
 */

export function deploymentContextOf(request: FastifyRequest): DeploymentContext {
  const { config } = request.server
  return deploymentContext(
    contextOf(request),
    {
      deadlineSeconds: config.deployments.deadlineSeconds,
      pollMinMs: config.deployments.pollMinMs,
      pollMaxMs: config.deployments.pollMaxMs,
      registry: {
        allowedPrivateHosts: [...config.images.allowedPrivateHosts],
        allowedRealmHosts: [...config.images.allowedRealmHosts],
        insecureHosts: [...config.images.insecureHosts],
        timeoutMs: config.images.timeoutMs,
      },
    },
    request.tokenId,
  )
}

/** Seconds the caller asked to wait (`Prefer: wait=N` or `?wait=N`); a 400 naming the field otherwise. */
export function waitOf(request: FastifyRequest): number | undefined {
  return requestedWaitSeconds(request, request.server.config.deployments.maxWaitSeconds)
}

/** Sets `X-Deployment-Id` and `Location`; with a wait, holds until the outcome or the wait ran out. */
export async function withDeployment(
  request: FastifyRequest,
  reply: FastifyReply,
  deployment: Deployment,
  wait: number | undefined,
): Promise<Deployment> {
  void reply.header('X-Deployment-Id', deployment.id).header('Location', deploymentLocation(deployment))
  if (wait === undefined) return deployment
  const ctx = contextOf(request)
  const gone = new AbortController()
  const onClose = (): void => {
    if (request.raw.socket?.destroyed) gone.abort()
  }
  request.raw.on('close', onClose)
  try {
    const last = await followDeployment(ctx, deployment, { untilMs: Date.now() + wait * 1000, signal: gone.signal })
    markWaitApplied(reply, wait)
    return last
  } finally {
    request.raw.off('close', onClose)
  }
}

type JsonObject = { [key: string]: JsonValue }

/**
 * The answer of a service create or update: the body as it was, the headers of the deployment it
 * started and, when the caller waited, the deployment under the new top-level key `Deployment`.
 * Tracking is extra: when it cannot start (the store is down), the change is answered as before.
 */
export async function answerWithDeployment(
  request: FastifyRequest,
  reply: FastifyReply,
  body: JsonObject,
  wait: number | undefined,
  start: () => Promise<Deployment | undefined>,
): Promise<JsonObject> {
  let deployment: Deployment | undefined
  try {
    deployment = await start()
  } catch (err) {
    request.log.warn({ err: { message: (err as Error).message } }, 'the change was made but its deployment could not be tracked')
    return body
  }
  if (!deployment) return body
  const last = await withDeployment(request, reply, deployment, wait)
  return wait === undefined ? body : { ...body, Deployment: deploymentJson(last) }
}

/** 202 Accepted with the deployment a rollback or abort started (its headers set by `withDeployment`). */
export function replyStarted(reply: FastifyReply, deployment: Deployment): FastifyReply {
  return reply.code(202).send(deploymentJson(deployment))
}
