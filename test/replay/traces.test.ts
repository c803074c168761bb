import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { is } from 'immutable';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import type { Model } from '../../src/explorer/model.js';
import { factory, loadModelAsync } from '../../src/registry.js';
import { parseTrace, readTraceFile, replayTrace } from '../../src/replay/trace.js';
import { writeCounterexampleFiles } from '../../src/report/files.js';
import { ActionIndex } from '../../src/scenario/labels.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';
import { tinyModel, type Fair } from '../explorer/tinyModels.js';

// Every counterexample `stsmc check` writes for the scenarios in specs/*.yaml, replayed from its
// ITF file, must reproduce the same states, step by step, and the same violation.
const seeds = fs
  .readdirSync('specs')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join('specs', f));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-replay-'));
let replayed = 0;

describe('replaying saved counterexamples', () => {
  it('there are seed scenarios with counterexamples', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of seeds) {
    it(file, async () => {
      const plan = resolvePlan(loadScenarioFile(file), {}, file);
      const result = await writeCounterexampleFiles(await runScenario(plan, { workers: 1 }), out);
      const model = (await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) })) as Model<unknown>;
      for (const p of result.properties.filter((x) => x.counterexample)) {
        const itf = p.files.find((f) => f.endsWith('.itf.json'))!;
        const saved = readTraceFile(itf);
        expect(saved.header.property.name).toBe(p.name);
        const { outcome, check } = replayTrace(model, saved, new ActionIndex(model, plan.factory));
        expect([p.name, check.detail, check.reproduced]).toEqual([p.name, check.detail, true]);
        expect(check.divergence).toBeNull();
        // The same steps and states as the counterexample the check built in memory.
        const cx = p.counterexample!;
        expect(outcome.steps.map((s) => s.label)).toEqual(cx.steps.slice(1).map((s) => s.action));
        expect(is(outcome.initialView, cx.steps[0]!.view)).toBe(true);
        outcome.steps.forEach((s, k) => expect(is(s.view, cx.steps[k + 1]!.view)).toBe(true));
        if (p.kind !== 'liveness') expect(outcome.steps.length).toBe(p.traceLength);
        replayed++;
      }
    });
  }

  it('every kind of seed violation was among them', () => {
    expect(replayed).toBeGreaterThanOrEqual(10);
  });

  it('a trace whose states were tampered with is not reproduced, and says where it diverges', async () => {
    const plan = resolvePlan(loadScenarioFile('specs/force-delete-breaks-at-most-one.yaml'));
    const result = await writeCounterexampleFiles(await runScenario(plan, { workers: 1 }), out);
    const itf = result.properties.find((p) => p.name === 'AtMostOne')!.files[0]!;
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    doc.states[5].pod['#map'][0][1].rev = { '#bigint': '1' };
    const model = factory('statefulset').create(plan.params);
    const { check } = replayTrace(model, parseTrace(doc), new ActionIndex(model));
    expect(check.reproduced).toBe(false);
    expect(check.divergence).toMatchObject({ step: 5, label: 'CtlCreate(0)' });
    expect(check.detail).toBe('step 5 (CtlCreate(0)) reaches a different state than the trace');

    const shorter = JSON.parse(fs.readFileSync(itf, 'utf8'));
    shorter.states.pop();
    const r2 = replayTrace(model, parseTrace(shorter), new ActionIndex(model));
    expect(r2.check.reproduced).toBe(false);
    expect(r2.check.detail).toMatch(/AtMostOne holds in the last state/);
  });
});

describe('replaying liveness counterexamples: the loop or the stutter must close and be fair', () => {
  // 0 -Go-> 1 -Back-> 0, and 1 -Done-> 2; "eventually state 2".
  const model = (done: Fair) =>
    tinyModel({
      states: 3,
      initial: [0],
      actions: [
        { name: 'Go', fairness: 'weak', edges: [[0, 1]] },
        { name: 'Back', fairness: 'weak', edges: [[1, 0]] },
        { name: 'Done', fairness: done, edges: [[1, 2]] },
      ],
      properties: [{ name: 'Finishes', form: 'eventually', p: [2] }],
    });
  const trace = (states: number[], actions: string[], extra: Record<string, unknown> = {}) =>
    parseTrace({
      '#meta': { model: 'tiny', params: {}, property: { name: 'Finishes', kind: 'liveness', description: '' }, ...(extra.stutter ? { stutter: extra.stutter } : {}) },
      vars: ['state'],
      states: states.map((st, k) => ({ '#meta': { index: k, ...(k ? { action: actions[k - 1] } : {}) }, state: { '#bigint': String(st) } })),
      ...(extra.loop !== undefined ? { loop: extra.loop } : {}),
    });
  const check = (m: ReturnType<typeof model>, t: ReturnType<typeof trace>) => replayTrace(m, t, new ActionIndex(m)).check;

  it('a fair loop that never reaches P is reproduced', () => {
    const c = check(model('weak'), trace([0, 1, 0], ['Go', 'Back'], { loop: 0 }));
    expect(c.detail).toBe('Finishes (liveness): the last state is state 0 again, closing a loop that violates it forever');
    expect(c.reproduced).toBe(true);
  });

  it('an unfair loop, or one that does not close, is not', () => {
    expect(check(model('strong'), trace([0, 1, 0], ['Go', 'Back'], { loop: 0 })).detail).toBe('the loop is not fair: Done (strongly fair) can act infinitely often and is never taken');
    expect(check(model('weak'), trace([0, 1], ['Go'], { loop: 0 })).detail).toBe('the last state is not state 0: the loop does not close');
  });

  it('stuttering is reproduced only where no fair action can act', () => {
    const m = tinyModel({
      states: 2,
      initial: [0],
      actions: [{ name: 'Go', fairness: 'none', edges: [[0, 1]] }],
      properties: [{ name: 'Finishes', form: 'eventually', p: [2] }],
    });
    expect(check(m, trace([0], [], { stutter: [] })).reproduced).toBe(true);
    expect(check(model('weak'), trace([0, 1], ['Go'], { stutter: [] })).detail).toBe('stuttering in the last state is not fair: Back (weakly fair) can act throughout and is never taken');
    expect(check(model('weak'), trace([0, 1], ['Go'], { stutter: [{ label: 'Back', failing: ['x'] }] })).detail).toBe('Back is enabled in the last state, but the trace says the behaviour stutters there');
  });
});
