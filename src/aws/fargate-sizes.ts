/**
 * The task sizes Fargate accepts: each CPU value allows a range of memory values in fixed steps
 * (AWS ECS developer guide, "Task CPU and memory"). Checking them here turns a late AWS rejection,
 * after the cluster, role and secrets were made, into an early 400.
 */

interface MemoryRange {
  min: number
  max: number
  step: number
}

/** CPU units -> allowed memory in MiB. */
const SIZES = new Map<number, MemoryRange | number[]>([
  [256, [512, 1024, 2048]],
  [512, { min: 1024, max: 4096, step: 1024 }],
  [1024, { min: 2048, max: 8192, step: 1024 }],
  [2048, { min: 4096, max: 16384, step: 1024 }],
  [4096, { min: 8192, max: 30720, step: 1024 }],
  [8192, { min: 16384, max: 61440, step: 4096 }],
  [16384, { min: 32768, max: 122880, step: 8192 }],
])

/** `"1024"` or `"1 vCPU"` (ECS accepts both) in CPU units; undefined when neither. */
function parseCpu(value: string): number | undefined {
  const units = /^\s*(\d+)\s*$/.exec(value)
  if (units) return Number(units[1])
  const vcpu = /^\s*(\d*\.?\d+)\s*vcpu\s*$/i.exec(value)
  return vcpu ? Math.round(Number(vcpu[1]) * 1024) : undefined
}

/** `"2048"` or `"2 GB"` (ECS accepts both) in MiB; undefined when neither. */
function parseMemory(value: string): number | undefined {
  const mib = /^\s*(\d+)\s*$/.exec(value)
  if (mib) return Number(mib[1])
  const gb = /^\s*(\d*\.?\d+)\s*gb\s*$/i.exec(value)
  return gb ? Math.round(Number(gb[1]) * 1024) : undefined
}

function describe(range: MemoryRange | number[]): string {
  return Array.isArray(range)
    ? range.join(', ')
    : `${range.min} to ${range.max} in steps of ${range.step}`
}

/** Why this cpu/memory pair is not a Fargate size, or undefined when it is one. */
export function fargateSizeProblem(cpu: string, memory: string): string | undefined {
  const units = parseCpu(cpu)
  const mib = parseMemory(memory)
  const cpus = [...SIZES.keys()].join(', ')
  if (units === undefined || !SIZES.has(units)) return `cpu ${cpu} is not a Fargate size (one of ${cpus} units)`
  if (mib === undefined) return `memory ${memory} is not a number of MiB`
  const range = SIZES.get(units) ?? []
  const ok = Array.isArray(range)
    ? range.includes(mib)
    : mib >= range.min && mib <= range.max && (mib - range.min) % range.step === 0
  return ok ? undefined : `memory ${memory} does not fit cpu ${cpu} on Fargate (allowed MiB: ${describe(range)})`
}
