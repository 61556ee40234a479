import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** Operation metrics, on the app's own registry (served at /v1/ecs/metrics). */
export function createOperationMetrics(registry: Registry) {
  return {
    finished: new Counter({
      name: 'ecs_api_operations_total',
      help: 'Operations finished by this process, by kind and outcome (succeeded or failed)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'ecs_api_operation_duration_seconds',
      help: 'Time from an operation first starting to finishing, resumes included',
      labelNames: ['kind'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'ecs_api_operations_in_flight',
      help: 'Operations this process is running now',
      registers: [registry],
    }),
  }
}

export type OperationMetrics = ReturnType<typeof createOperationMetrics>
