import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The folders of src/ depend on each other one way (see "The application layer" in the shared
// architecture notes): cli → report → use cases → scenario → models by name (src/*.ts) → spec →
// input → explorer. This reads every import of every src/**/*.ts (static, re-exports, type-only
// and dynamic `import('...')` alike), builds the graph of folders, and checks that it has no cycle
// and that no folder imports one above it, so that the cycles once found (check → scenario →
// conformance → check; report → scenario → conformance → replay → report) cannot come back.

const SRC = path.resolve('src');
/** Files directly under src/ (the model registry and the worker's model loader). */
const ROOT = '(src/*.ts)';

/** Top to bottom; a folder may import its own layer's folders (acyclically) and those below. */
const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'bench'],
  ['report'],
  ['check', 'replay', 'compare', 'manifest', 'conformance', 'swarm'],
  ['scenario'],
  [ROOT],
  ['spec', 'examples'],
  ['input'],
  ['explorer'],
];

interface Edge {
  readonly from: string;
  readonly to: string;
  /** One import that makes the edge, `file -> imported file`, for the failure message. */
  readonly example: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? ROOT : parts[0]!;
}

/** Every edge between two different folders of src/, one per pair. */
function folderEdges(): Edge[] {
  const edges = new Map<string, Edge>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue; // a package
      const target = path.resolve(path.dirname(file), ref.fileName).replace(/\.js$/, '.ts');
      if (!target.startsWith(SRC + path.sep)) continue; // e.g. package.json
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to || edges.has(`${from} ${to}`)) continue;
      edges.set(`${from} ${to}`, { from, to, example: `${path.relative('.', file)} -> ${path.relative('.', target)}` });
    }
  }
  return [...edges.values()];
}

/** The cycles of the graph: its strongly connected components with more than one folder (Tarjan). */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

describe('architecture: the folders of src/ depend on each other one way', () => {
  const edges = folderEdges();

  it('reads the imports (the graph is not empty)', () => {
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has('cli', 'check')).toBe(true);
    expect(has('check', 'explorer')).toBe(true);
    expect(has('spec', 'input')).toBe(true);
  });

  it('no cycle between folders', () => {
    const found = cycles(edges).map((scc) => {
      const inside = edges.filter((e) => scc.includes(e.from) && scc.includes(e.to));
      return `${scc.join(', ')}:\n${inside.map((e) => `    ${e.from} -> ${e.to} (${e.example})`).join('\n')}`;
    });
    expect(found, `folders that import each other:\n  ${found.join('\n  ')}`).toEqual([]);
  });

  it('every folder has its place in the layers', () => {
    const folders = [...new Set([...edges.flatMap((e) => [e.from, e.to]), ...sourceFiles(SRC).map(folderOf)])];
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('no folder imports a folder of a layer above its own', () => {
    const upward = edges.filter((e) => layerOf(e.to) >= 0 && layerOf(e.to) < layerOf(e.from)).map((e) => `${e.from} -> ${e.to} (${e.example})`);
    expect(upward).toEqual([]);
  });
});
