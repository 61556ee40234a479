import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * One registry per app instance (not prom-client's global one), so several apps can live in one
 * process, as they do in tests.
 */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration, by route template',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    awsCalls: new Counter({
      name: 'ecs_api_aws_calls_total',
      help: 'AWS API calls, by service, operation and outcome (ok or the error name)',
      labelNames: ['service', 'operation', 'outcome'] as const,
      registers: [registry],
    }),
    awsDuration: new Histogram({
      name: 'ecs_api_aws_call_duration_seconds',
      help: 'AWS API call duration including SDK retries',
      labelNames: ['service', 'operation', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>

const deploymentMetricsByRegistry = new WeakMap<Registry, ReturnType<typeof newDeploymentMetrics>>()

function newDeploymentMetrics(registry: Registry) {
  return {
    finished: new Counter({
      name: 'ecs_api_deployments_total',
      help: 'Deployments that ended, by outcome (SUCCEEDED, FAILED, ROLLED_BACK, ABORTED)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'ecs_api_deployment_duration_seconds',
      help: 'Time from a deployment starting to its outcome, by outcome',
      labelNames: ['outcome'] as const,
      buckets: [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
      registers: [registry],
    }),
  }
}

/** Deployment metrics on `registry`, made once per registry (the trackers of one app share them). */
export function deploymentMetrics(registry: Registry): ReturnType<typeof newDeploymentMetrics> {
  let metrics = deploymentMetricsByRegistry.get(registry)
  if (!metrics) {
    metrics = newDeploymentMetrics(registry)
    deploymentMetricsByRegistry.set(registry, metrics)
  }
  return metrics
}
