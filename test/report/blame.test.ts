/** The cells the HTML viewer outlines as making a property false (src/report/blame.ts). */
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../../src/check/counterexample.js';
import { runScenario } from '../../src/check/runScenario.js';
import { blamedCells, blames } from '../../src/report/blame.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

async function counterexamples(file: string): Promise<Counterexample[]> {
  const result = await runScenario(resolvePlan(loadScenarioFile(file)), { workers: 1 });
  return result.properties.flatMap((p) => (p.counterexample ? [p.counterexample] : []));
}

const show = (cells: readonly { object: string; field: string }[]) => cells.map((c) => `${c.object}.${c.field}`).sort();

// Scenarios that together violate every property of the StatefulSet model but PartitionRespected
// (no scenario violates it): invariants, transition properties, liveness lassos and stutters.
const SCENARIOS = [
  'specs/force-delete-breaks-at-most-one.yaml',
  'specs/parallel-scale-down.yaml',
  'specs/pvc-deleted-reclaim-delete.yaml',
  'specs/scale-down-when-scaled-delete-data.yaml',
  'specs/attach/force-delete-partitioned-rwo.yaml',
  'specs/stale-reads/rolling-update-sees-old-readiness.yaml',
  'specs/rollouts/stuck-after-revert.yaml',
  'specs/scale-down-blocked-permanent.yaml',
  'specs/partitioned-canary-update.yaml',
  'specs/faults-converge-permanent.yaml',
];

describe('blamed cells', () => {
  it('are, for AtMostOne after a force deletion, the two nodes\' containers of web-0, and nothing one step earlier', async () => {
    const [cx] = await counterexamples('specs/force-delete-breaks-at-most-one.yaml');
    expect(cx!.property.name).toBe('AtMostOne');
    expect(show(blamedCells(cx!))).toEqual(['Node node-1.container web-0', 'Node node-2.container web-0']);
    // The state before the violation satisfies AtMostOne: nothing in it is to blame.
    expect(blamedCells({ ...cx!, steps: cx!.steps.slice(0, -1) })).toEqual([]);
  });

  it('point at cells that exist, for every violated property of a scenario set covering them all', async () => {
    const seen = new Set<string>();
    for (const file of SCENARIOS) {
      for (const cx of await counterexamples(file)) {
        seen.add(cx.property.name);
        expect(blames(cx.property.name), cx.property.name).toBe(true);
        const cells = blamedCells(cx);
        expect(cells.length, `${file} ${cx.property.name}`).toBeGreaterThan(0);
        const last = cx.steps.at(-1)!.view;
        const before = cx.steps.at(-2)?.view;
        for (const c of cells) {
          // A field of an object of the violating state, or of one the violating step deleted (shown struck out).
          const object = last.get(c.object) ?? before?.get(c.object) ?? null;
          expect(object?.has(c.field), `${file} ${cx.property.name}: ${c.object}.${c.field}`).toBe(true);
        }
        if (cx.property.name === 'RolloutCompletes') expect(show(cells)).toEqual(['StatefulSet web.currentRevision', 'StatefulSet web.updateRevision']);
        // web-1 deleted while web-0, below replicas=1, does not exist: the deleted pod, and the replicas that want web-0.
        if (cx.property.name === 'OrderedTermination') expect(show(cells)).toEqual(['Pod web-1.phase', 'StatefulSet web.replicas']);
        // After the revert, web-2 keeps the bad revision and is never Ready; the replicas are not to blame (every pod exists).
        if (cx.property.name === 'RecoversAfterRevert') expect(show(cells)).toEqual(['Pod web-2.ready', 'Pod web-2.revision']);
        if (cx.property.name === 'NoDataLoss') expect(show(cells)).toContain('PVC data-web-0.volume');
      }
    }
    expect([...seen].sort()).toEqual(
      [
        'AtMostOne',
        'AtMostOneWriter',
        'EventuallyConverged',
        'NoDataLoss',
        'NoUnsafeDetach',
        'OrderedCreation',
        'OrderedTermination',
        'OrderedUpdate',
        'RecoversAfterRevert',
        'ReverseOrderUpdate',
        'RolloutCompletes',
        'ScaleDownCompletes',
        'ScaleDownKeepsData',
        'StableStorage',
      ],
    );
  }, 60_000);

  it('are none for another model, or a property it does not know', async () => {
    const [cx] = await counterexamples('specs/force-delete-breaks-at-most-one.yaml');
    expect(blamedCells({ ...cx!, model: 'other' })).toEqual([]);
    expect(blamedCells({ ...cx!, property: { ...cx!.property, name: 'SomeVariantProperty' } })).toEqual([]);
  });
});
