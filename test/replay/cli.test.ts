import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `stsmc replay` as users run it: the built bin (npm test builds first), exit codes and streams.
const bin = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-replay-cli-'));

function stsmc(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectBadInput(r: ReturnType<typeof stsmc>, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('stsmc replay', () => {
  it('prints each step, the final state, what is enabled and why the rest is not', () => {
    const r = stsmc('replay', '--set', 'nodes=1', '--steps', 'CtlCreate(0), Schedule(0,1), KubeletRun(0), KubeletReady(0)');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Step 2: Schedule\(0,1\)\n    Pod web-0: node - -> node-1/);
    expect(r.stdout).toMatch(/Final state \(after step 4\):\n(.*\n)*    Pod web-0: revision=0, node=node-1, phase=Running, ready=yes/);
    expect(r.stdout).toMatch(/Enabled \(1\): CtlCreate\(1\)/);
    expect(r.stdout).toMatch(/\n  CtlCreate\(2\): predecessorsReady\n/);
    expect(r.stdout).toMatch(/No checked safety property is violated/);
  });

  it('a step that cannot fire stops the replay with exit code 1, naming its failing conditions', () => {
    const r = stsmc('replay', '--steps', 'CtlCreate(0),Schedule(0,1),KubeletRun(0),CtlCreate(1)');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Step 4: CtlCreate\(1\)  <-- not enabled: predecessorsReady\n    it needs predecessorsReady: every lower ordinal is Running and Ready/);
    expect(r.stdout).toMatch(/Stopped: step 4 \(CtlCreate\(1\)\) is not enabled: predecessorsReady/);
    const j = stsmc('replay', '--json', '--steps', 'CtlCreate(0),Schedule(0,1),KubeletRun(0),CtlCreate(1)');
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout);
    expect(doc.stopped).toEqual({ step: 4, label: 'CtlCreate(1)', failing: ['predecessorsReady'], needs: { predecessorsReady: 'every lower ordinal is Running and Ready' } });
    expect(doc.steps.map((s: { label: string }) => s.label)).toEqual(['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)']);
    expect(doc.enabled).toEqual(['KubeletReady(0)']);
    expect(j.stderr).toMatch(/step 4 \(CtlCreate\(1\)\) is not enabled: predecessorsReady/);
  });

  it('--json: steps with label, changed and violations; final; enabled; disabled', () => {
    const r = stsmc('replay', '--json', '--set', 'userOps=forceDeletePod', '--set', 'budget=1', '--steps', 'CtlCreate(0),Schedule(0,1),KubeletRun(0),ForceDeletePod(0),CtlCreate(0),Schedule(0,2),KubeletRun(0)');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['steps', 'final', 'enabled', 'disabled']));
    expect(doc.steps[6]).toEqual({
      label: 'KubeletRun(0)',
      changed: [
        { object: 'Pod web-0', kind: 'changed', fields: { phase: { from: 'Pending', to: 'Running' } } },
        { object: 'Node node-2', kind: 'changed', fields: { 'container web-0': { from: 'none', to: 'live' } } },
      ],
      violations: ['AtMostOne'],
    });
    expect(doc.final['Node node-1']['container web-0']).toBe('stale');
    expect(doc.enabled).toContain('KubeletKillStale(1,0)');
    expect(doc.disabled['ForceDeletePod(0)']).toEqual(['budget']);
  });

  it('--steps-file, --init and a scripted scenario as the source of steps', () => {
    const file = path.join(tmp, 'steps.txt');
    fs.writeFileSync(file, '# scale down to one replica\nScale(1)\nCtlScaleDown(2), KubeletTerminate(2) # web-2 first\nCtlScaleDown(1)\n');
    const r = stsmc('replay', '--set', 'start=running', '--set', 'userOps=scale', '--init', '7', '--steps-file', file, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.init).toBe(7);
    expect(doc.initial['Pod web-0'].node).toBe('node-2');
    expect(doc.steps.map((x: { label: string }) => x.label)).toEqual(['Scale(1)', 'CtlScaleDown(2)', 'KubeletTerminate(2)', 'CtlScaleDown(1)']);
    expect(doc.final['Pod web-2']).toBeNull();
    expect(doc.final['Pod web-1']).toEqual(expect.objectContaining({ terminating: true, node: 'node-2' }));
    const s = stsmc('replay', 'specs/conformance/scales-down.yaml');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/from initial state 0 of 1, 7 steps/);
  });

  it('--from replays a counterexample written by stsmc check and checks it is reproduced', () => {
    const out = path.join(tmp, 'out');
    expect(stsmc('check', 'specs/force-delete-breaks-at-most-one.yaml', '--workers', '1', '--quiet', '--out', out).code).toBe(0);
    const itf = path.join(out, 'force-delete-breaks-at-most-one', 'AtMostOne.itf.json');
    const r = stsmc('replay', '--from', itf);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Step 7: KubeletRun\(0\)  <-- violation/);
    expect(r.stdout).toMatch(/Reproduced: AtMostOne \(invariant\) is violated in the state after step 7, as in the trace\./);
    const j = JSON.parse(stsmc('replay', '--from', itf, '--json').stdout);
    expect(j.trace).toMatchObject({ property: 'AtMostOne', kind: 'invariant', reproduced: true, divergence: null });

    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    doc.states[6]['#meta'].action = 'Schedule(0,1)';
    const bad = path.join(tmp, 'bad.itf.json');
    fs.writeFileSync(bad, JSON.stringify(doc));
    const b = stsmc('replay', '--from', bad);
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/NOT reproduced: step 6 \(Schedule\(0,1\)\) reaches a different state than the trace/);
  });

  it('bad input: one line and exit code 2', () => {
    expectBadInput(stsmc('replay', '--steps', 'CtlCreat(0)'), /step 1: unknown action 'CtlCreat\(0\)' \(did you mean CtlCreate\?\)/);
    expectBadInput(stsmc('replay', '--steps', 'Scale(2)'), /Scale is not part of this configuration; it exists when userOps includes scale/);
    expectBadInput(stsmc('replay', '--steps', 'CtlCreate(0)', '--init', '1'), /--init 1 is out of range: this configuration has 1 initial state/);
    expectBadInput(stsmc('replay', '--steps', 'CtlCreate(0)', '--init', 'x'), /--init must be a non-negative integer/);
    expectBadInput(stsmc('replay'), /no steps: give --steps/);
    // npm test stops here (its two-minute budget); the long suite (STSMC_LONG) tries every case.
    if (!process.env.STSMC_LONG) return;
    expectBadInput(stsmc('replay', '--steps', 'CtlAdvance', '--from', 'x.itf.json'), /only one of --steps, --steps-file and --from/);
    expectBadInput(stsmc('replay', '--from', path.join(tmp, 'missing.itf.json')), /missing\.itf\.json: no such file/);
    expectBadInput(stsmc('replay', '--steps-file', path.join(tmp, 'missing.txt')), /cannot read steps file/);
    expectBadInput(stsmc('replay', '--set', 'R=99', '--steps', 'CtlAdvance'), /'R' must be in 1\.\.8/);
    expectBadInput(stsmc('replay', path.join(tmp, 'nope.yaml'), '--steps', 'CtlAdvance'), /no such scenario file/);
    const notJson = path.join(tmp, 'not.itf.json');
    fs.writeFileSync(notJson, '{"states": []');
    expectBadInput(stsmc('replay', '--from', notJson), /not valid JSON/);
    const notOurs = path.join(tmp, 'other.itf.json');
    fs.writeFileSync(notOurs, JSON.stringify({ '#meta': {}, vars: [], states: [{}] }));
    expectBadInput(stsmc('replay', '--from', notOurs), /was not written by stsmc/);
  });
});
