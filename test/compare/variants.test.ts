import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { compareScenario } from '../../src/compare/compare.js';
import { InputError } from '../../src/explorer/params.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-variants-'));

async function verdicts(file: string, controller: string) {
  const plan = resolvePlan(loadScenarioFile(file), { controller }, file);
  const r = await runScenario(plan, { outDir: null, workers: 1 });
  return Object.fromEntries(r.properties.map((p) => [p.name, p.verdict]));
}

describe('controller variants', () => {
  it('no-ready-wait breaks OrderedCreation and nothing else on the ordered deployment', async () => {
    const file = 'specs/ordered-deployment.yaml';
    const c = await compareScenario(resolvePlan(loadScenarioFile(file), { controller: 'upstream' }, file), resolvePlan(loadScenarioFile(file), { controller: 'no-ready-wait' }, file), {
      outDir: null,
      workers: 1,
    });
    expect(c.properties.filter((p) => p.change !== 'same').map((p) => [p.name, p.change])).toEqual([['OrderedCreation', 'broken']]);
    expect(c.properties.find((p) => p.name === 'OrderedCreation')!.counterexample!.traceLength).toBe(2);
  });

  it('fence-before-replace fixes AtMostOne under force deletion, not under Node deletion of a partitioned node', async () => {
    expect((await verdicts('specs/force-delete-breaks-at-most-one.yaml', 'fence-before-replace')).AtMostOne).toBe('holds');
    expect((await verdicts('specs/force-delete-breaks-at-most-one.yaml', 'upstream')).AtMostOne).toBe('violated');
    expect((await verdicts('specs/partitioned-node-deleted.yaml', 'fence-before-replace')).AtMostOne).toBe('violated');
  });

  it('delete-pvc-with-pod breaks NoDataLoss under a plain rolling update', async () => {
    expect((await verdicts('specs/variant-delete-pvc-with-pod.yaml', 'upstream')).NoDataLoss).toBe('holds');
    expect((await verdicts('specs/variant-delete-pvc-with-pod.yaml', 'delete-pvc-with-pod')).NoDataLoss).toBe('violated');
  });

  it('runs variants on worker threads too', async () => {
    const file = 'specs/variant-no-ready-wait.yaml';
    const r = await runScenario(resolvePlan(loadScenarioFile(file), {}, file), { outDir: null, workers: 2 });
    expect(r.properties.find((p) => p.name === 'OrderedCreation')).toMatchObject({ verdict: 'violated', traceLength: 2 });
  });
});

describe('misbehaving variants get one clear error naming the variant and the action', () => {
  const write = (name: string, body: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, `export default { name: '${name.replace(/\..*/, '')}', description: 'test', controller(api, upstream) { ${body} } };\n`);
    return file;
  };
  const run = async (file: string) => {
    const plan = resolvePlan(loadScenarioFile('specs/ordered-deployment.yaml'), { controller: file }, 'specs/ordered-deployment.yaml');
    return runScenario(plan, { outDir: null, workers: 1 });
  };

  it('a condition that throws', async () => {
    const file = write('throws.mjs', `return upstream.map((a) => a.name !== 'CtlCreate' ? a : { ...a, when: { ...a.when, boom: () => { throw new Error('boom'); } } });`);
    await expect(run(file)).rejects.toThrow(/controller variant 'throws': CtlCreate\(0\) guard threw: boom/);
  });

  it('a condition that modifies the state it reads (reaching past the API)', async () => {
    const file = write('impure.mjs', `return upstream.map((a) => a.name !== 'CtlCreate' ? a : { ...a, when: { sneaky: (c) => { c.at[0] = 0; return true; }, ...a.when } });`);
    await expect(run(file)).rejects.toThrow(/'impure': CtlCreate\(0\) guard modified the state it was given/);
  });

  it('an effect that leaves a malformed state', async () => {
    const file = write('malformed.mjs', `return upstream.map((a) => a.name !== 'CtlCreate' ? a : { ...a, then: (w, i) => w.createPod(i, 99) });`);
    await expect(run(file)).rejects.toThrow(/'malformed': CtlCreate\(0\) effect produced a malformed state: byte \d+ holds 99, more than its maximum 1/);
  });

  it('an action that is not a declaration: the old family format, a bad screen, a missing condition', async () => {
    const old = write('old.mjs', `return upstream.map((a) => ({ name: a.name, instances: [[0]], label: () => a.name, guard: () => false, effect: () => {} }));`);
    await expect(run(old)).rejects.toThrow(/'old': action 0 \(CtlCreate\) is an action family with a guard function, the variant format before the controller API/);
    const screen = write('screen.mjs', `return upstream.map((a) => ({ ...a, screen: ['nope'] }));`);
    await expect(run(screen)).rejects.toThrow(/'screen': action 0 \(CtlCreate\): screen names 'nope', which is not one of its conditions/);
    const drop = write('drop.mjs', `return upstream.map((a) => a.name !== 'CtlCreate' ? a : { ...a, when: api.without(a.when, 'noSuchCondition') });`);
    await expect(run(drop)).rejects.toThrow(/'drop' failed to build its actions: no condition 'noSuchCondition' to drop \(conditions: inRange, podAbsent/);
  });

  it('a module that is not a variant, and a missing one', async () => {
    const file = path.join(tmp, 'nothing.mjs');
    fs.writeFileSync(file, 'export const x = 1;\n');
    await expect(run(file)).rejects.toThrow(/must export default \{ name, description, controller/);
    expect(() => resolvePlan(loadScenarioFile('specs/ordered-deployment.yaml'), { controller: 'no-such-variant' })).toThrow(InputError);
  });

  it('TypeScript variants with syntax errors are reported, not crashed on', async () => {
    const file = path.join(tmp, 'broken.ts');
    fs.writeFileSync(file, 'export default { name: "broken", controller( };\n');
    await expect(run(file)).rejects.toThrow(/controller variant .*broken\.ts/);
  });
});
