/**
 * The layers of ARCHITECTURE.md, held: no import cycle in src/, every cross-folder import allowed by
 * the layer table, only src/cli touches `process`, and `npm run lint`'s rules fail on a planted
 * violation (so the lint cannot pass by not running).
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
// @ts-expect-error -- plain ESM helper without types
import { importGraph, importCycles } from '../../scripts/import-graph.mjs';
// @ts-expect-error -- plain ESM lint plugin without types
import { LAYERS, layerOfPath, layerViolation } from '../../eslint-rules/layers.js';

const ROOT = process.cwd();
type Graph = { [file: string]: string[] };
const { graph, unresolved } = importGraph(ROOT) as { graph: Graph; unresolved: string[] };

describe('the import graph of src/', () => {
  it('resolves every relative import', () => {
    expect(unresolved).toEqual([]);
  });

  it('has no cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('has every folder of src/ in the layer table', () => {
    const folders = new Set(Object.keys(graph).map((f) => layerOfPath(f) as string));
    expect([...folders].filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it('only imports downwards (type-only imports included)', () => {
    const violations = Object.entries(graph).flatMap(([from, deps]) => deps
      .map((to) => [to, layerViolation(layerOfPath(from), layerOfPath(to))] as const)
      .filter(([, why]) => why)
      .map(([to, why]) => `${from} -> ${to}: ${why}`));
    expect(violations).toEqual([]);
  });
});

describe('npm run lint enforces the layers', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (file: string, text: string) => {
    const results = await eslint.lintText(text, { filePath: join(ROOT, file) });
    return (results[0]?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  };

  it('fails a collector that imports the engine', async () => {
    const messages = await lint('src/collectors/planted.ts', "import { evaluate } from '../engine/evaluate.js';\nexport const x = evaluate;\n");
    expect(messages).toEqual([expect.stringContaining('vaultproof/layers: src/collectors may not import src/engine')]);
  });

  it('fails the snapshot model importing anything of ours', async () => {
    const messages = await lint('src/snapshot/planted.ts', "export type { VaultproofConfig } from '../config/load.js';\n");
    expect(messages).toEqual([expect.stringContaining('vaultproof/layers: src/snapshot may not import src/config')]);
  });

  it('fails a dynamic import that climbs a layer', async () => {
    const messages = await lint('src/renderers/planted.ts', "export const load = () => import('../cli/main.js');\n");
    expect(messages).toEqual([expect.stringContaining('vaultproof/layers: src/renderers may not import src/cli')]);
  });

  it('fails process outside src/cli, and allows it in src/cli', async () => {
    const text = 'export const home = () => process.env.HOME;\n';
    expect(await lint('src/siem/planted.ts', text)).toEqual([expect.stringContaining('vaultproof/no-process')]);
    expect(await lint('src/cli/planted.ts', text)).toEqual([]);
  });

  it('lets a local binding named process and a property named process be', async () => {
    const text = 'export function f(process: { env: Record<string, string> }) { return process.env.X; }\nexport const g = (o: { process: number }) => o.process;\n';
    expect(await lint('src/engine/planted.ts', text)).toEqual([]);
  });
});
