/**
 * The folder graph of src/, drawn from every module's imports (TypeScript's own pre-processor), runs
 * one way: each edge is one layers.config.js allows, and no folders import each other, directly or
 * round a longer cycle. Lint reports the offending line; this says what the whole graph looks like.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { entryModules, layers } from '../../layers.config.js'

const SRC = resolve(import.meta.dirname, '../../src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** `routes` for src/routes/x.ts, `app.ts` for src/app.ts. */
const partOf = (file: string) => relative(SRC, file).split(sep)[0] ?? ''

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue
      const from = partOf(file)
      const to = partOf(resolve(dirname(file), fileName).replace(/\.js$/, '.ts'))
      if (from === to) continue
      if (!graph.has(from)) graph.set(from, new Set())
      graph.get(from)!.add(to)
    }
  }
  return graph
}

describe('import direction of src/', () => {
  const graph = folderGraph()

  it('has only the edges layers.config.js allows', () => {
    const upward: string[] = []
    for (const [from, targets] of graph) {
      if (entryModules.includes(from)) continue
      const allowed = layers[from]
      expect(allowed, `src/${from} is not in layers.config.js`).toBeDefined()
      for (const to of targets) if (!allowed?.includes(to)) upward.push(`${from} -> ${to}`)
    }
    expect(upward).toEqual([])
  })

  it('has no cycle between folders', () => {
    const state = new Map<string, 'open' | 'done'>()
    const cycles: string[] = []
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '))
        return
      }
      state.set(node, 'open')
      for (const next of graph.get(node) ?? []) visit(next, [...path, node])
      state.set(node, 'done')
    }
    for (const node of graph.keys()) visit(node, [])
    expect(cycles).toEqual([])
  })

  it('sees the layers it checks (the graph is not empty)', () => {
    expect(graph.get('routes')).toContain('domain')
    expect(graph.get('domain')).toContain('workflows')
    expect(graph.get('workflows')).toContain('aws')
  })
})
