import { fargateSizeProblem } from '../../aws/fargate-sizes.js'
import type { CheckResult } from '../../core/plan/plan-types.js'
import { fail, pass, type CheckSubject } from './check-subject.js'

/** cpu/memory must be a Fargate size. */
export function taskSizeCheck(subject: CheckSubject): CheckResult {
  const { cpu, memory } = subject.taskDefinition
  const field = 'taskDefinition.cpu/memory'
  const resource = `cpu ${cpu ?? '(none)'}, memory ${memory ?? '(none)'}`
  if (!cpu || !memory) return fail('task-size', resource, field, 'Fargate needs both cpu and memory at task level')
  const problem = fargateSizeProblem(cpu, memory)
  return problem ? fail('task-size', resource, field, problem) : pass('task-size', resource, field)
}
