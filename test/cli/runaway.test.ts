import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A controller variant of the user's own that loops forever (as it loads, in controller(), in a
// guard, in an effect) runs on worker threads, even with --workers 1: the time limit, Ctrl-C and
// SIGTERM terminate them and the run reports what the complete levels found, exit code 3.
const bin = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-runaway-'));
const LONG = Boolean(process.env.STSMC_LONG);

function variant(name: string, body: string): string {
  const file = path.join(tmp, `${name}.mjs`);
  fs.writeFileSync(file, body);
  return file;
}

const create = (change: string) => `export default { name: 'v', description: 'loops', controller(api, upstream) {\n  return api.modify(upstream, 'CtlCreate', (a) => (${change}));\n} };\n`;
const LOOPS = {
  // CtlCreate(1) is first enabled at depth 4: the levels before it complete.
  guard: variant('guard', create(`{ ...a, when: { ...a.when, forever: (c, i) => { if (i === 1) for (;;); return true; } } }`)),
  effect: variant('effect', create(`{ ...a, then: (w, i, c) => { if (i === 2) for (;;); a.then(w, i, c); } }`)),
  load: variant('load', `for (;;);\nexport default { name: 'v', description: 'loops', controller(api, upstream) { return upstream; } };\n`),
  controller: variant('controller', `export default { name: 'v', description: 'loops', controller(api, upstream) { for (;;); } };\n`),
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Seconds from the start (or from the signal, when one was sent) to the exit. */
  seconds: number;
}

/** Runs the CLI; with `signal`, sends it after `after` ms. */
function run(args: string[], signal?: NodeJS.Signals, after = 1500): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let from = performance.now();
    // Never left behind, whatever happens.
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    if (signal) {
      setTimeout(() => {
        from = performance.now();
        child.kill(signal);
      }, after);
    }
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, seconds: (performance.now() - from) / 1000 });
    });
  });
}

const check = (file: string, ...more: string[]) => ['check', 'specs/ordered-deployment.yaml', '--controller', file, '--out', path.join(tmp, 'out'), ...more];

function stopped(r: Run, reason: 'timeLimit' | 'interrupted', within: number) {
  expect(r.code).toBe(3);
  expect(r.seconds).toBeLessThan(within);
  expect(r.stdout).toMatch(new RegExp(`ordered-deployment \\[controller \\w+\\]: [\\d,]+ distinct states, [\\d,]+ generated, depth \\d+, .* \\(STOPPED: ${reason}\\)`));
  expect(r.stdout).toMatch(/AtMostOne\s+holds\s+unknown/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('a controller variant that loops forever is stopped', () => {
  it('by --time-limit 2, in a guard and while loading, with one worker: exit code 3 and the statistics so far', async () => {
    const [guard, load] = await Promise.all([run(check(LOOPS.guard, '--time-limit', '2', '--workers', '1')), run(check(LOOPS.load, '--time-limit', '2', '--workers', '1'))]);
    // Two seconds, one more for the threads to come back before they are terminated, and start-up.
    stopped(guard, 'timeLimit', 15);
    expect(guard.stdout).toMatch(/: 8 distinct states, 8 generated, depth 5,/);
    stopped(load, 'timeLimit', 15);
    expect(load.stdout).toMatch(/: 0 distinct states, 0 generated, depth 0,/);
    expect(load.stdout).toMatch(/UNKNOWN: stopped while the controller variant was loading \(timeLimit\)/);
  }, 60_000);

  // The other places and thread counts, and the signals, in the long suite (STSMC_LONG).
  it.runIf(LONG)('in an effect and in controller(), with one and two workers', async () => {
    const runs = await Promise.all(
      [LOOPS.effect, LOOPS.controller, LOOPS.guard, LOOPS.load].flatMap((file) => ['1', '2'].map((w) => run(check(file, '--time-limit', '2', '--workers', w)))),
    );
    for (const r of runs) stopped(r, 'timeLimit', 15);
  }, 120_000);

  it.runIf(LONG)('by Ctrl-C and SIGTERM, in a guard and while loading', async () => {
    const runs = await Promise.all(
      (['SIGINT', 'SIGTERM'] as const).flatMap((signal) => [LOOPS.guard, LOOPS.load].map((file) => run(check(file, '--workers', '1'), signal))),
    );
    for (const r of runs) {
      // Within the grace period after the signal, and some room for a busy machine.
      stopped(r, 'interrupted', 10);
      expect(r.stderr).toMatch(/Interrupted \(SIG(INT|TERM)\): stopping exploration/);
    }
  }, 120_000);
});
