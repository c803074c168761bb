import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

// Node symmetry changes how many states are kept, never what is found: on every explored scenario
// in specs/, the safety verdicts and shortest trace lengths are the same with and without it (the
// liveness properties are checked without symmetry in any case, so they are left out here).
const files = findScenarioFiles('specs').filter((f) => !f.includes('/conformance/'));

describe('node symmetry: the same safety verdicts and trace lengths on every scenario', () => {
  it.each(files)('%s', async (file) => {
    const run = async (symmetry: 'nodes' | 'none') => {
      const plan = resolvePlan(loadScenarioFile(file), { symmetry }, file);
      const r = await runScenario(plan, { workers: 2, noLiveness: true, memoryBytes: 2 * 2 ** 30 });
      return { used: r.symmetry.used, distinct: r.distinctStates, found: r.properties.filter((p) => p.kind !== 'liveness').map((p) => [p.name, p.verdict, p.traceLength ?? null]) };
    };
    const reduced = await run('nodes');
    const full = await run('none');
    expect(reduced.found).toEqual(full.found);
    expect(full.used).toBe(false);
    // Upstream's controller, or a variant that declares nodesAlike: reduced whenever there are nodes to rename.
    if (reduced.used) expect(reduced.distinct).toBeLessThanOrEqual(full.distinct);
  });
});
