import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The CLI as users run it: the built bin (npm test builds first), real exit codes and streams.
const bin = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-cli-'));

function stsmc(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenario(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function expectBadInput(r: ReturnType<typeof stsmc>, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('stsmc check: bad input gets one clear line and exit code 2', () => {
  it('unknown parameter', () => {
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'replicaz=3'), /unknown parameter 'replicaz'/);
  });
  it('value out of its domain', () => {
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'R=99'), /'R' must be in 1\.\.8, got 99/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'policy=Random'), /'policy' must be one of OrderedReady, Parallel/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'faults=meteor'), /unknown value 'meteor'/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'R=2', '--set', 'initReplicas=3'), /'initReplicas' must be in 0\.\.R/);
 
  });
  it('volume attachment: a value out of domain, or a part of it without attachment', () => {
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'attach=rwx'), /'attach' must be one of none, rwo, rwop, got 'rwx'/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'forceDetach=disabled'), /'forceDetach' needs volume attachment/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--set', 'userOps=taintOutOfService'), /'taintOutOfService' needs volume attachment/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--check', 'NoUnsafeDetach'), /'NoUnsafeDetach' does not apply to this configuration/);
  });
  it('malformed YAML', () => {
    const file = scenario('bad.yaml', 'name: x\nparams: { R: 3\n');
    expectBadInput(stsmc('check', file), /bad\.yaml: malformed YAML/);
  });
  it('scenario with a wrong shape', () => {
    const file = scenario('shape.yaml', 'name: x\nparams: {}\nexpectt: {}\n');
    expectBadInput(stsmc('check', file), /shape\.yaml: .*expectt/);
  });
  it('unknown property name, in --check and in a scenario', () => {
    expectBadInput(stsmc('check', '--model', 'statefulset', '--check', 'AtMostTwo'), /unknown property 'AtMostTwo'/);
    const file = scenario('prop.yaml', 'name: x\nexpect: { Sanity: holds }\n');
    expectBadInput(stsmc('check', file), /expect: unknown property 'Sanity'/);
  });
  it('unknown model, missing file, unknown option', () => {
    expectBadInput(stsmc('check', '--model', 'deployment'), /unknown model 'deployment'/);
    expectBadInput(stsmc('check', path.join(tmp, 'nope.yaml')), /no such scenario file/);
    expect(stsmc('check', '--frobnicate').code).toBe(2);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--max-states', 'lots'), /--max-states must be a positive integer/);
  });
});

describe('stsmc check: results and exit codes', () => {
  it('--json prints one document with verdicts, statistics and files', () => {
    const out = path.join(tmp, 'out');
    const r = stsmc('check', 'specs/force-delete-breaks-at-most-one.yaml', '--json', '--workers', '1', '--out', out);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const res = doc.results[0];
    expect(res).toMatchObject({ scenario: 'force-delete-breaks-at-most-one', model: 'statefulset', complete: true, workers: 1 });
    expect(res.distinctStates).toBeGreaterThan(0);
    expect(res.coverage.ForceDeletePod).toBeGreaterThan(0);
    const p = res.properties.find((x: { name: string }) => x.name === 'AtMostOne');
    expect(p).toMatchObject({ kind: 'invariant', verdict: 'violated', expected: 'violated', traceLength: 7 });
    expect(p.files).toEqual(['itf.json', 'dot', 'svg', 'html'].map((ext) => path.join(out, 'force-delete-breaks-at-most-one', `AtMostOne.${ext}`)));
    for (const f of p.files) expect(fs.existsSync(f)).toBe(true);
  });

  it('exit code 1 when a verdict differs from the expected one', () => {
    const file = scenario('wrong.yaml', 'name: wrong\nparams: { userOps: [forceDeletePod] }\ncheck: [AtMostOne]\n');
    const r = stsmc('check', file, '--workers', '1', '--out', path.join(tmp, 'out'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/AtMostOne\s+holds\s+violated\s+7\s+UNEXPECTED/);
    expect(r.stdout).toMatch(/Step 7: KubeletRun\(0\)\s+<-- violation/);
  });

  it('exit code 3 and partial statistics when a limit stops exploration', () => {
    const r = stsmc('check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'budget=3', '--check', 'AtMostOne,NoDataLoss', '--max-states', '2000', '--workers', '1');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/STOPPED: maxStates/);
    expect(r.stdout).toMatch(/AtMostOne\s+holds\s+unknown/);
  });

  it('Ctrl-C (a real SIGINT) stops a long run with exit code 3, partial statistics and open verdicts', async () => {
    // budget=4 takes tens of seconds: the signal arrives while exploring, after start-up.
    const args = ['check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'userOps=all', '--set', 'budget=4', '--check', 'EventuallyConverged', '--workers', '2'];
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGINT');
    const code = await exited;
    expect(stderr).toMatch(/Interrupted: stopping exploration/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(3);
    expect(stdout).toMatch(/statefulset: [\d,]+ distinct states, [\d,]+ generated, depth \d+, .*STOPPED: interrupted/);
    expect(stdout).toMatch(/EventuallyConverged\s+holds\s+unknown/);
  }, 60_000);

  it('--check none explores only', () => {
    const r = stsmc('check', '--model', 'statefulset', '--check', 'none', '--json', '--workers', '1');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ distinctStates: 50, properties: [] });
  });

  it('list shows models, parameters with domains and defaults, and properties', () => {
    const r = stsmc('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/statefulset:/);
    expect(r.stdout).toMatch(/policy\s+OrderedReady \| Parallel\s+\(default OrderedReady\)/);
    expect(r.stdout).toMatch(/AtMostOne\s+invariant/);
    expect(r.stdout).toMatch(/twophase:/);
  });
});
