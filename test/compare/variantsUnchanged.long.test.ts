import { describe, expect, it } from 'vitest';
import { compareScenario } from '../../src/compare/compare.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

// Every shipped variant, compared with upstream on every explored scenario that names no
// controller of its own (what `stsmc compare --variant V` runs): the state counts, each property's
// verdicts and change, and, for each counterexample, its trace (action labels) and what it says in
// its last state about the fair actions that are disabled. A rewrite of the controller or of a
// variant that changes any of it shows here; the snapshot was taken before the controller API.
const VARIANTS = ['no-ready-wait', 'max-unavailable', 'delete-pvc-with-pod', 'fence-before-replace'];
const files = findScenarioFiles('specs').filter((f) => loadScenarioFile(f).controller === undefined);

describe('shipped variants: stsmc compare is unchanged', () => {
  it.each(VARIANTS)('%s', async (variant) => {
    const rows: unknown[] = [];
    for (const file of files) {
      const base = resolvePlan(loadScenarioFile(file), { controller: 'upstream' }, file);
      const plan = resolvePlan(loadScenarioFile(file), { controller: variant }, file);
      const c = await compareScenario(base, plan, { workers: 2 });
      rows.push({
        scenario: c.scenario,
        counts: [c.base.distinctStates, c.base.generatedStates, c.variant.distinctStates, c.variant.generatedStates, c.variant.depth],
        properties: c.properties.map((p) => {
          const v = c.variant.properties.find((q) => q.name === p.name)!;
          const cx = v.counterexample;
          return {
            name: p.name,
            verdicts: `${p.base} -> ${p.variant} (${p.change})`,
            ...(cx ? { trace: cx.steps.slice(1).map((s) => s.action).join(', '), loopBack: cx.loopBack, stutter: cx.stutter?.map((d) => `${d.label}: ${d.failing.join(' ')}`) } : {}),
          };
        }),
      });
    }
    await expect(JSON.stringify(rows, null, 1) + '\n').toMatchFileSnapshot(`__snapshots__/compare-${variant}.json`);
  });
});
