#!/usr/bin/env node
// The import graph of src/: every relative import (static, `export … from`, dynamic `import('…')`)
// resolved to its .ts file. Used by the architecture test (no cycle, layers respected) and to count
// the house's shape: `node scripts/import-graph.mjs [ROOT] --summary`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Every .ts file under DIR, as paths relative to ROOT with forward slashes. */
function tsFiles(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(root, rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** { file: [imported file, …] } for src/ of ROOT; unresolvable relative imports are reported. */
export function importGraph(root) {
  const files = tsFiles(root, 'src').sort();
  const graph = {};
  const unresolved = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const deps = new Set();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(root, dirname(file), fileName.replace(/\.js$/, '.ts'));
      const candidates = [target, `${target}.ts`, join(target, 'index.ts')];
      const hit = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
      if (!hit) { unresolved.push(`${file}: ${fileName}`); continue; }
      deps.add(relative(root, hit).split(sep).join('/'));
    }
    graph[file] = [...deps].sort();
  }
  return { graph, unresolved };
}

/** Strongly connected components with more than one file (or a self-import): the import cycles. */
export function importCycles(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const idx = new Map();
  const low = new Map();
  const cycles = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index += 1;
    stack.push(v); onStack.add(v);
    for (const w of graph[v] ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const component = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || (graph[v] ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of Object.keys(graph)) if (!idx.has(v)) visit(v);
  return cycles;
}

/** The folder under src/ a file belongs to (a top-level file is its own layer: `version`). */
export const layerOf = (file) => file.split('/')[1].replace(/\.ts$/, '');

/** Layer → layer edges with their counts. */
export function layerEdges(graph) {
  const edges = {};
  for (const [from, deps] of Object.entries(graph)) {
    for (const to of deps) {
      const a = layerOf(from);
      const b = layerOf(to);
      if (a !== b) edges[`${a} -> ${b}`] = (edges[`${a} -> ${b}`] ?? 0) + 1;
    }
  }
  return edges;
}

/** Files outside src/cli that read the `process` global (not a member named `process`, e.g. `records.process`). */
export function processUsers(root, graph) {
  return Object.keys(graph).filter((f) => !f.startsWith('src/cli/')
    && /(?<![.\w$])process\s*[.[]|[^.\w$]process\)/.test(readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { graph, unresolved } = importGraph(root);
  const cycles = importCycles(graph);
  const edges = layerEdges(graph);
  const twoWay = Object.keys(edges).filter((e) => { const [a, b] = e.split(' -> '); return a < b && edges[`${b} -> ${a}`]; });
  const lines = Object.values(graph).length;
  const summary = {
    files: lines,
    lines: Object.keys(graph).reduce((n, f) => n + readFileSync(join(root, f), 'utf8').split('\n').length, 0),
    cycles: cycles.length,
    files_in_cycles: cycles.reduce((n, c) => n + c.length, 0),
    two_way_layer_pairs: twoWay.map((e) => e.replace(' -> ', ' <-> ')),
    files_touching_process_outside_cli: processUsers(root, graph),
    unresolved,
  };
  if (process.argv.includes('--summary')) console.log(JSON.stringify(summary, null, 2));
  else console.log(JSON.stringify({ graph, cycles, edges }, null, 2));
}
