import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportInternalError } from '../../src/cli/internalError.js';

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
    expect(r.stdout).toMatch(/Step 7: KubeletRun\(0\) — the kubelet starts the container of web-0 \(mounting data-web-0\)\s+<-- violation/);
  });

  it('exit code 3 and partial statistics when a limit stops exploration', () => {
    const r = stsmc('check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'budget=3', '--check', 'AtMostOne,NoDataLoss', '--max-states', '2000', '--workers', '1');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/STOPPED: maxStates/);
    expect(r.stdout).toMatch(/AtMostOne\s+holds\s+unknown/);
  });

  // SIGINT here; SIGTERM, the same handler, in the long suite (each run takes a few seconds).
  it.each(process.env.STSMC_LONG ? (['SIGINT', 'SIGTERM'] as const) : (['SIGINT'] as const))('Ctrl-C or kill (a real %s) stops a long run with exit code 3, partial statistics and open verdicts', async (signal) => {
    // budget=4 takes tens of seconds: the signal arrives while exploring, after start-up.
    const args = ['check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'userOps=all', '--set', 'budget=4', '--check', 'EventuallyConverged', '--workers', '2'];
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill(signal);
    const code = await exited;
    expect(stderr).toMatch(new RegExp(`Interrupted \\(${signal}\\): stopping exploration`));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(3);
    expect(stdout).toMatch(/statefulset: [\d,]+ distinct states, [\d,]+ generated, depth \d+, .*STOPPED: interrupted/);
    expect(stdout).toMatch(/EventuallyConverged\s+holds\s+unknown/);
  }, 60_000);

  it('--check none explores only, with node symmetry unless --symmetry none', () => {
    const r = stsmc('check', '--model', 'statefulset', '--check', 'none', '--json', '--workers', '1');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ distinctStates: 26, properties: [], symmetry: { used: true } });
    const full = stsmc('check', '--model', 'statefulset', '--check', 'none', '--json', '--workers', '1', '--symmetry', 'none');
    expect(JSON.parse(full.stdout).results[0]).toMatchObject({ distinctStates: 50, properties: [], symmetry: { used: false } });
    // Liveness is checked without symmetry, and the report says so.
    const live = stsmc('check', '--model', 'statefulset', '--check', 'EventuallyConverged', '--workers', '1', '--quiet');
    expect(live.stdout).toMatch(/statefulset: 50 distinct states, .* 1 worker, without node symmetry \(liveness properties are checked without symmetry\) \(complete\)/);
    const bad = stsmc('check', '--model', 'statefulset', '--symmetry', 'edges');
    expect([bad.code, bad.stderr.trim()]).toEqual([2, "stsmc: error: --symmetry must be nodes or none, got 'edges'"]);
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

describe('an internal error (a bug in stsmc) exits 4 with one line and a details file', () => {
  // There is no honest way to make an unmodified stsmc throw something other than an InputError
  // from the outside: what a user can get wrong is bad input (exit 2), user code (a controller
  // variant) misbehaving included, and a hook that throws on request would be test-only code in
  // the product. So the test injects a fault into a dependency instead, the way a real bug would
  // surface: the real CLI (built bin, no test switch) runs under `node --import fault.mjs`, which
  // makes writing to standard output throw a TypeError; `stsmc list` writes its listing there and
  // the exception reaches main's handler like any unforeseen one. TMPDIR, honoured by os.tmpdir(),
  // keeps the details file in a directory of the test's own.
  const fault = path.join(tmp, 'fault.mjs');
  fs.writeFileSync(fault, "process.stdout.write = () => { throw new TypeError('injected fault: standard output is broken'); };\n");

  function faulty(env: Record<string, string>, ...args: string[]) {
    const { STSMC_DEBUG: _, ...inherited } = process.env; // only where a test asks for the stack
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(fault).href, bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...inherited, ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('says it is a bug, gives the message and where the details went; the file holds stack, argv and versions', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'internal-'));
    const r = faulty({ TMPDIR: dir }, 'list');
    expect(r.code).toBe(4);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const m = /^stsmc: internal error \(a bug in stsmc, please report it\): injected fault: standard output is broken; details written to (\S+)$/.exec(lines[0]!);
    expect(m, lines[0]).not.toBeNull();
    const file = m![1]!;
    expect(path.dirname(file)).toBe(dir);
    expect(path.basename(file)).toMatch(/^stsmc-internal-error-\d{8}T\d{6}\.\d{3}Z-\d+\.log$/);
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]); // no temp file left behind
    const details = fs.readFileSync(file, 'utf8');
    expect(details).toMatch(/^TypeError: injected fault: standard output is broken\n\s+at /m);
    expect(details).toMatch(/\n\s+at .*dist\/cli\/list\.js/); // the stack reaches into stsmc
    expect(details).toContain(`argv: ${JSON.stringify([process.execPath, bin, 'list'])}`);
    expect(details).toContain(`node version: ${process.version}`);
    expect(details).toContain(`stsmc version: ${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}`);
  });

  it('STSMC_DEBUG also prints the stack', () => {
    const r = faulty({ TMPDIR: fs.mkdtempSync(path.join(tmp, 'internal-')), STSMC_DEBUG: '1' }, 'list');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^stsmc: internal error .*\nTypeError: injected fault: standard output is broken\n\s+at /);
  });

  it('if the details cannot be written, the line says so and the exit code is still 4', () => {
    const notADir = path.join(tmp, 'not-a-dir');
    fs.writeFileSync(notADir, '');
    const r = faulty({ TMPDIR: notADir }, 'list');
    expect(r.code).toBe(4);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^stsmc: internal error \(a bug in stsmc, please report it\): injected fault: standard output is broken; the details could not be written to \S+ \(ENOTDIR: .*\): run again with STSMC_DEBUG=1/);
  });

  it('the handler (in process): a thrown non-Error value, a message on several lines, an error with a cause', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'internal-'));
    const at = new Date('2025-01-02T03:04:05.678Z');
    const line = reportInternalError('oops', ['node', 'stsmc', 'check'], { dir, now: at, pid: 42 });
    const file = path.join(dir, 'stsmc-internal-error-20250102T030405.678Z-42.log');
    expect(line).toBe(`stsmc: internal error (a bug in stsmc, please report it): a non-Error value was thrown: "oops"; details written to ${file}`);
    expect(fs.readFileSync(file, 'utf8')).toContain('a non-Error value was thrown: "oops" (no stack)');
    const e = new Error('first\nsecond', { cause: new RangeError('deeper') });
    const line2 = reportInternalError(e, [], { dir, now: at, pid: 43 });
    expect(line2).toMatch(/: first second; details written to /);
    const text = fs.readFileSync(path.join(dir, 'stsmc-internal-error-20250102T030405.678Z-43.log'), 'utf8');
    expect(text).toMatch(/Error: first\nsecond\n\s+at [^]*\ncaused by:\nRangeError: deeper\n\s+at /);
  });
});
