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

/** Each variant leaves a file `<name>.looping` as it starts looping: then a signal finds it looping. */
const looping = (name: string) => path.join(tmp, `${name}.looping`);
const enter = (name: string) => `fs.writeFileSync(${JSON.stringify(looping(name))}, ''); for (;;);`;
const create = (name: string, change: string) =>
  `import fs from 'node:fs';\nexport default { name: 'v', description: 'loops', controller(api, upstream) {\n  return api.modify(upstream, 'CtlCreate', (a) => (${change}));\n} };\n`;
const LOOPS = {
  guard: variant('guard', create('guard', `{ ...a, when: { ...a.when, forever: (c, i) => { if (i === 1) { ${enter('guard')} } return true; } } }`)),
  effect: variant('effect', create('effect', `{ ...a, then: (w, i, c) => { if (i === 2) { ${enter('effect')} } a.then(w, i, c); } }`)),
  load: variant('load', `import fs from 'node:fs';\n${enter('load')}\nexport default { name: 'v', description: 'loops', controller(api, upstream) { return upstream; } };\n`),
  controller: variant('controller', `import fs from 'node:fs';\nexport default { name: 'v', description: 'loops', controller(api, upstream) { ${enter('controller')} } };\n`),
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Seconds from the start (or from the signal, when one was sent) to the exit. */
  seconds: number;
}

/** Runs the CLI; with `signal`, sends it once the file `when` exists (the variant is looping). */
function run(args: string[], signal?: NodeJS.Signals, when?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let from = performance.now();
    // Never left behind, whatever happens.
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const poll = signal
      ? setInterval(() => {
          if (when !== undefined && !fs.existsSync(when)) return;
          clearInterval(poll);
          from = performance.now();
          child.kill(signal);
        }, 50)
      : undefined;
    child.on('close', (code) => {
      clearTimeout(kill);
      clearInterval(poll);
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
  it('by --time-limit 2, in a guard, with one worker: exit code 3 and the statistics so far', async () => {
    const guard = await run(check(LOOPS.guard, '--time-limit', '2', '--workers', '1'));
    // Two seconds, one more for the threads to come back before they are terminated, and start-up.
    stopped(guard, 'timeLimit', 15);
    // CtlCreate(1) is first enabled in a state of depth 5: the levels before it are complete.
    expect(guard.stdout).toMatch(/: 8 distinct states, 8 generated, depth 5,/);
  }, 60_000);

  it.runIf(LONG)('by --time-limit 2 while it loads', async () => {
    const load = await run(check(LOOPS.load, '--time-limit', '2', '--workers', '1'));
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
    // One at a time: each waits for its variant's mark, which the others would share.
    const runs: Run[] = [];
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const name of ['guard', 'load'] as const) {
        fs.rmSync(looping(name), { force: true });
        runs.push(await run(check(LOOPS[name], '--workers', '1'), signal, looping(name)));
      }
    }
    for (const r of runs) {
      // Within the grace period after the signal, and some room for a busy machine.
      stopped(r, 'interrupted', 10);
      expect(r.stderr).toMatch(/Interrupted \(SIG(INT|TERM)\): stopping exploration/);
    }
  }, 120_000);
});
