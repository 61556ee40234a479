import { describe, expect, it } from 'vitest'
import { fargateSizeProblem } from '../../src/aws/fargate-sizes.js'

describe('Fargate task sizes', () => {
  it.each([
    ['256', '512'],
    ['256', '2048'],
    ['.25 vCPU', '0.5 GB'],
    ['512', '4096'],
    ['1 vCPU', '2 GB'],
    ['1024', '8192'],
    ['2048', '16384'],
    ['4096', '30720'],
    ['8192', '61440'],
    ['16384', '122880'],
  ])('accepts cpu %s with memory %s', (cpu, memory) => {
    expect(fargateSizeProblem(cpu, memory)).toBeUndefined()
  })

  it.each([
    ['256', '4096', /does not fit cpu 256/],
    ['512', '512', /does not fit cpu 512/],
    ['1024', '2500', /does not fit/],
    ['8192', '20000', /does not fit/],
    ['300', '1024', /cpu 300 is not a Fargate size/],
    ['lots', '1024', /is not a Fargate size/],
    ['256', 'big', /memory big is not a number/],
  ])('refuses cpu %s with memory %s', (cpu, memory, problem) => {
    expect(fargateSizeProblem(cpu, memory)).toMatch(problem)
  })
})
