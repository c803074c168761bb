import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { compareScenario } from '../../src/compare/compare.js';
import { InputError } from '../../src/input/errors.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-variants-'));
/**
 * A memory budget for the runs in this process: the default reserves most of the free memory,
 * and a test process holding that cannot start the CLI (spawn fails with ENOMEM).
 */
const SMALL = 256 * 2 ** 20;

async function verdicts(file: string, controller: string) {
  const plan = resolvePlan(loadScenarioFile(file), { controller }, file);
  const r = await runScenario(plan, { workers: 1, memoryBytes: SMALL });
  return Object.fromEntries(r.properties.map((p) => [p.name, p.verdict]));
}

describe('controller variants', () => {
  it('no-ready-wait breaks OrderedCreation and nothing else on the ordered deployment', async () => {
    const file = 'specs/ordered-deployment.yaml';
    const c = await compareScenario(resolvePlan(loadScenarioFile(file), { controller: 'upstream' }, file), resolvePlan(loadScenarioFile(file), { controller: 'no-ready-wait' }, file), {
      workers: 1,
      memoryBytes: SMALL,
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

  it('delete-stuck-pending (PR #100289) fixes a Pending pod stuck after a revert and breaks the update order: what stsmc compare shows', async () => {
    const changes = async (file: string) => {
      const c = await compareScenario(resolvePlan(loadScenarioFile(file), { controller: 'upstream' }, file), resolvePlan(loadScenarioFile(file), { controller: 'delete-stuck-pending' }, file), {
        workers: 1,
        memoryBytes: SMALL,
      });
      return c.properties.filter((p) => p.change !== 'same').map((p) => [p.name, p.change, p.counterexample?.traceLength ?? '-']);
    };
    expect(await changes('specs/rollouts/pr100289-fixes-pending.yaml')).toEqual([['RecoversAfterRevert', 'fixed', '-']]);
    expect(await changes('specs/rollouts/pr100289-breaks-update-order.yaml')).toEqual([['ReverseOrderUpdate', 'broken', 5]]);
    // A crash-looping pod is Running, not Pending: the fix does not apply.
    expect(await changes('specs/rollouts/pr100289-misses-unready.yaml')).toEqual([]);
  });

  it('runs variants on worker threads too', async () => {
    const file = 'specs/variant-no-ready-wait.yaml';
    const r = await runScenario(resolvePlan(loadScenarioFile(file), {}, file), { workers: 2, memoryBytes: SMALL });
    expect(r.properties.find((p) => p.name === 'OrderedCreation')).toMatchObject({ verdict: 'violated', traceLength: 2 });
  });
});

describe('the tutorial variant (README, "Writing a controller variant"): wait-for-detach', () => {
  const verdict = async (file: string, set: Record<string, string> = {}) => {
    const plan = resolvePlan(loadScenarioFile(file), { controller: 'wait-for-detach', set }, file);
    const r = await runScenario(plan, { workers: 1, noLiveness: true, memoryBytes: SMALL });
    return Object.fromEntries(r.properties.map((p) => [p.name, p.traceLength ?? p.verdict]));
  };

  it('fixes the same-node double mount of ReadWriteOnce under force deletion', async () => {
    expect(await verdict('specs/attach/force-delete-healthy-rwo.yaml')).toMatchObject({ AtMostOne: 'holds', AtMostOneWriter: 'holds' });
  });

  it('not on an unreachable node while the force detach on timeout is on: the detach it waits for is the lie', async () => {
    expect(await verdict('specs/attach/force-delete-partitioned-rwo.yaml')).toMatchObject({ AtMostOne: 11, AtMostOneWriter: 12, NoUnsafeDetach: 7 });
  });

  it('with --disable-force-detach-on-timeout, force deletion and deleting a partitioned Node keep at most one writer', async () => {
    expect(await verdict('specs/attach/force-delete-partitioned-rwo-no-force-detach.yaml')).toMatchObject({ AtMostOne: 'holds', AtMostOneWriter: 'holds' });
    expect(await verdict('specs/attach/partitioned-node-deleted-rwo-no-force-detach.yaml')).toMatchObject({ AtMostOne: 'holds', AtMostOneWriter: 'holds' });
  });
});

describe('a variant with a type error or no default export: one line naming the file, exit code 2', () => {
  const stsmc = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/stsmc.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  const variant = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('a type error: file, line and column, and the compiler message', () => {
    const file = variant(
      'typo.ts',
      [
        "import type { ControllerVariant } from 'stsmc/variant';",
        'const variant: ControllerVariant = {',
        "  name: 'typo',",
        "  description: 'reads a field that does not exist',",
        '  controller(_api, upstream) {',
        "    return upstream.map((a) => (a.name !== 'CtlCreate' ? a : { ...a, when: { ...a.when, ready: (c, i) => c.pod(i).redy } }));",
        '  },',
        '};',
        'export default variant;',
        '',
      ].join('\n'),
    );
    const r = stsmc('check', 'specs/ordered-deployment.yaml', '--controller', file, '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^stsmc: error: controller variant .*typo\.ts:6:\d+: Property 'redy' does not exist on type 'PodRead'\. Did you mean 'ready'\?$/)]);
  });

  it('no default export', () => {
    const file = variant('noexport.ts', 'export const name = 1;\n');
    const r = stsmc('check', 'specs/ordered-deployment.yaml', '--controller', file, '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/controller variant .*noexport\.ts must export default \{ name, description, controller/)]);
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
    return runScenario(plan, { workers: 1, memoryBytes: SMALL });
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

  it('a condition that is not deterministic', async () => {
    // State kept between calls: every evaluation answers the opposite of the one before, so the
    // first double evaluation differs (a random answer would be caught with high probability only).
    const file = write('flipflop.mjs', `let calls = 0; return api.modify(upstream, 'CtlCreate', (a) => ({ ...a, when: { ...a.when, flip: () => calls++ % 2 === 0 } }));`);
    await expect(run(file)).rejects.toThrow(/'flipflop': CtlCreate\(\d\) guard is not deterministic \(two evaluations on the same state differ\)/);
  });

  it('process.exit in a condition, in controller() or at load is an error naming the variant, not a silent exit', async () => {
    const inGuard = write('exits.mjs', `return api.modify(upstream, 'CtlCreate', (a) => ({ ...a, when: { ...a.when, bye: () => process.exit(0) } }));`);
    await expect(run(inGuard)).rejects.toThrow(/controller variant 'exits' called process\.exit\(0\): a variant must not end the run/);
    const inBuild = write('exitsEarly.mjs', `process.exit(0);`);
    await expect(run(inBuild)).rejects.toThrow(/controller variant 'exitsEarly' called process\.exit\(0\)/);
    const atLoad = path.join(tmp, 'exitsAtLoad.mjs');
    fs.writeFileSync(atLoad, `process.exit(0);\nexport default { name: 'x', description: '', controller: (a, u) => u };\n`);
    await expect(run(atLoad)).rejects.toThrow(/controller variant .*exitsAtLoad\.mjs called process\.exit\(0\) while loading/);
    expect(typeof process.exit).toBe('function');
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
