/**
 * Traces in the operator's words (src/report/operatorView.ts): the model's bookkeeping hidden or
 * said once, its words explained where they first appear, labels with the pods' own ordinals, in
 * the text trace and the viewer's data alike; the ITF file unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../../src/check/counterexample.js';
import { runScenario } from '../../src/check/runScenario.js';
import { viewerData } from '../../src/report/html.js';
import { counterexampleToItf } from '../../src/report/itf.js';
import { renderText } from '../../src/report/text.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

async function counterexample(file: string, property: string, set: Record<string, string> = {}): Promise<Counterexample> {
  const result = await runScenario(resolvePlan(loadScenarioFile(file), { set }), { workers: 1 });
  return result.properties.find((p) => p.name === property)!.counterexample!;
}

const FORCE_DELETE = 'specs/force-delete-breaks-at-most-one.yaml';

describe('the operator view of a trace', () => {
  it('says the event budget once, in the header, and never as a change', async () => {
    const text = renderText(await counterexample(FORCE_DELETE, 'AtMostOne'));
    const lines = text.split('\n');
    expect(lines[1]).toBe('  events allowed per behaviour: 2 (budget: each fault or user operation is one event; this trace uses 1)');
    expect(text).not.toMatch(/Environment|budget=|budget \d -> \d/);
  });

  it('shows the identity in words: what its fields mean once, and the first write as a sentence', async () => {
    const lines = renderText(await counterexample(FORCE_DELETE, 'AtMostOne')).split('\n');
    expect(lines).toContain('    Identity web-0: failing=no, wrote data=no');
    expect(lines).toContain('    Identity web-0: has written data to data-web-0');
    expect(lines.join('\n')).not.toMatch(/wroteData|broken/);
    const explained = lines.filter((l) => l.startsWith('      (Identity '));
    expect(explained).toEqual([expect.stringContaining('(Identity web-0: the pod\'s name and its claim data-web-0, which outlive each pod object web-0')]);
    expect(lines[lines.indexOf('    Identity web-0: failing=no, wrote data=no') + 1]).toBe(explained[0]);
  });

  it('explains a model word under the first line that uses it, and only there', async () => {
    const lines = renderText(await counterexample(FORCE_DELETE, 'AtMostOne')).split('\n');
    const first = lines.indexOf('    Node node-1: container web-0 live -> stale');
    expect(first).toBeGreaterThan(0);
    expect(lines[first + 1]).toMatch(/^ {6}\(stale: a container still running for a pod object the API server no longer has/);
    expect(lines.filter((l) => l.includes('(stale:'))).toHaveLength(1);
  });

  it('explains an owned claim (the retention policy\'s owner reference)', async () => {
    const text = renderText(await counterexample('specs/scale-down-when-scaled-delete-data.yaml', 'ScaleDownKeepsData'));
    expect(text).toMatch(/status bound -> owned\n {6}\(owned: the claim carries an ownerReference to its pod .*so the garbage collector deletes it with the pod\)/);
  });

  it('labels steps with the pods\' own ordinals under ordinals.start, in the text and the viewer, and keeps the model\'s in the ITF file', async () => {
    const cx = await counterexample(FORCE_DELETE, 'AtMostOne', { startOrdinal: '3' });
    const text = renderText(cx);
    expect(text).toContain(
      "  ordinals are shown as the pods' own (ordinals.start = 3): CtlCreate(3) is the model's CtlCreate(0); the .itf.json file and stsmc replay use the model's labels, counted from 0",
    );
    expect(text).toContain('  Step 1: CtlCreate(3) — the StatefulSet controller creates pod web-3 (and claim data-web-3 if it is missing)');
    expect(text).toContain('  Step 2: Schedule(3,1) — the scheduler binds web-3 to node-1');
    expect(text).toContain('  Step 4: ForceDeletePod(3) — kubectl delete pod web-3 --force --grace-period=0');
    expect(text).toContain('    Identity web-3: has written data to data-web-3');
    expect(text.split('\n').filter((l) => l.startsWith('  Step ') && l.includes('(0)'))).toEqual([]);
    expect(text).not.toContain('web-0');

    const data = viewerData(cx);
    expect(data.steps.map((s) => s.action)).toEqual([null, 'CtlCreate(3)', 'Schedule(3,1)', 'KubeletRun(3)', 'ForceDeletePod(3)', 'CtlCreate(3)', 'Schedule(3,2)', 'KubeletRun(3)']);
    expect(data.steps[4]!.words).toBe('kubectl delete pod web-3 --force --grace-period=0');
    expect(data.notes).toEqual([expect.stringMatching(/^events allowed per behaviour: 2 /), expect.stringMatching(/^ordinals are shown as the pods' own \(ordinals.start = 3\)/)]);
    // The actor is still found by the model's label.
    expect(data.steps[4]!.actor).toBe('user');

    const itf = JSON.stringify(counterexampleToItf(cx));
    expect(itf).toContain('"action":"CtlCreate(0)"');
    expect(itf).not.toContain('CtlCreate(3)');
  });

  it('gives the viewer the same lines, the explanations of each step, and no bookkeeping table', async () => {
    const cx = await counterexample(FORCE_DELETE, 'AtMostOne');
    const data = viewerData(cx);
    const lines = renderText(cx).split('\n');
    for (const s of data.steps) for (const c of s.changes) expect(lines).toContain(`    ${c}`);
    expect(data.steps[4]!.glosses).toEqual([expect.stringMatching(/^stale: /)]);
    expect(data.steps[0]!.glosses).toEqual([expect.stringMatching(/^Identity web-0: /)]);
    for (const s of data.steps) expect(s.groups.map((g) => g.kind)).not.toContain('Environment');
    // The stale container's cell carries its explanation.
    const node1 = data.steps[4]!.groups.find((g) => g.kind === 'Node')!;
    const stale = node1.rows.find((r) => r.object === 'Node node-1')!.cells[node1.columns.indexOf('container web-0')]!;
    expect(stale).toMatchObject({ text: 'stale', note: expect.stringMatching(/^stale: /) });
  });

  it('leaves another model\'s trace as the model shows it', async () => {
    const cx = await counterexample(FORCE_DELETE, 'AtMostOne');
    const text = renderText({ ...cx, model: 'another', params: { ...cx.params, startOrdinal: 3 } });
    expect(text).toContain('    Environment: budget 2 -> 1');
    expect(text).toContain('    Identity web-0: wroteData no -> yes');
    expect(text).toContain('  Step 1: CtlCreate(0)\n');
    expect(text).not.toContain('events allowed');
  });
});
