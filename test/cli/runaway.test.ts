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
function run(args: string[], signal?: NodeJS.Signals, when?: string, afterMs = 0): Promise<Run> {
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
          if (performance.now() - from < afterMs) return;
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
  it('by --time-limit 1, in a guard, with one worker: exit code 3 and the statistics so far', async () => {
    const guard = await run(check(LOOPS.guard, '--time-limit', '1', '--workers', '1'));
    // One second, one more for the threads to come back before they are terminated, and start-up.
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

// simulate, replay --controller and --dump-graph run the variant on the calling thread: they run on
// a worker thread under a supervisor (src/cli/isolated.ts), which forwards signals and the time
// limit, and terminates the command when the variant does not give control back.
describe('a command that runs a looping variant on its own thread is stopped', () => {
  const ABORTED = /stsmc: stopped: the command did not stop within 5 s of (its time limit|SIGINT|SIGTERM): the controller variant's code it was running does not return/;
  const simulate = (file: string, ...more: string[]) => ['simulate', 'specs/ordered-deployment.yaml', '--controller', file, '--out', path.join(tmp, 'sim'), ...more];

  it.runIf(LONG)('simulate, by its --time-limit: exit code 3 and one line saying what happened', async () => {
    const r = await run(simulate(LOOPS.guard, '--time-limit', '1'));
    expect(r.code).toBe(3);
    // One second, the five-second grace, start-up and a busy machine.
    expect(r.seconds).toBeLessThan(20);
    expect(r.stderr).toMatch(ABORTED);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.runIf(LONG)('replay --controller, by Ctrl-C', async () => {
    fs.rmSync(looping('guard'), { force: true });
    const r = await run(['replay', '--controller', LOOPS.guard, '--steps', 'CtlCreate(0),Schedule(0,1),KubeletRun(0),KubeletReady(0)'], 'SIGINT', looping('guard'));
    expect(r.code).toBe(3);
    expect(r.seconds).toBeLessThan(15);
    expect(r.stderr).toMatch(ABORTED);
  }, 60_000);

  it.runIf(LONG)('simulate while the variant loads, by SIGTERM; a second signal ends it at once', async () => {
    fs.rmSync(looping('load'), { force: true });
    const r = await run(simulate(LOOPS.load), 'SIGTERM', looping('load'));
    expect([r.code, r.seconds < 15]).toEqual([3, true]);
    expect(r.stderr).toMatch(ABORTED);
  }, 60_000);

  it.runIf(LONG)('simulate of a scenario whose controller: names a looping module in its folder, by --time-limit', async () => {
    const scenario = path.join(tmp, 'loops.yaml');
    fs.writeFileSync(scenario, `name: loops\ndescription: a scenario naming a module of its own folder\ncontroller: ./guard.mjs\nparams: { budget: 1 }\n`);
    const r = await run(['simulate', scenario, '--time-limit', '1', '--out', path.join(tmp, 'sim')]);
    expect([r.code, r.seconds < 20]).toEqual([3, true]);
    expect(r.stderr).toMatch(ABORTED);
  }, 60_000);

  it.runIf(LONG)('a simulation that is not stuck stops by itself on a signal: its statistics, exit code 3', async () => {
    const plain = variant('plain', `export default { name: 'plain', description: 'upstream', nodesAlike: true, controller(api, upstream) { return upstream; } };\n`);
    const r = await run(['simulate', '--model', 'statefulset', '--controller', plain, '--set', 'R=4', '--set', 'budget=6', '--set', 'userOps=scale', '--check', 'AtMostOne', '--runs', '100000000', '--out', path.join(tmp, 'sim')], 'SIGTERM', undefined, 1500);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^statefulset: [\d,]+ walks, [\d,]+ steps .* seed 1, [\d.]+ s\nNo violation of AtMostOne found/);
    expect(r.stderr).not.toMatch(/stsmc: stopped/);
  }, 60_000);

  it('a timer the variant leaves behind does not keep the process alive; its output is whole', async () => {
    const timer = variant('timer', `setInterval(() => {}, 1000);\nexport default { name: 'v', description: 'timer', controller(api, upstream) { return upstream; } };\n`);
    const [plain, left] = await Promise.all([
      run(['simulate', 'specs/force-delete-breaks-at-most-one.yaml', '--runs', '300', '--json', '--out', path.join(tmp, 'sim1')]),
      run(['simulate', 'specs/force-delete-breaks-at-most-one.yaml', '--runs', '300', '--json', '--controller', timer, '--out', path.join(tmp, 'sim2')]),
    ]);
    expect(left.seconds).toBeLessThan(20);
    const strip = (s: string) => {
      const j = JSON.parse(s) as Record<string, unknown>;
      delete j.seconds;
      return JSON.stringify(j, (k, v: unknown) => (k === 'controller' || k === 'files' || k === 'seconds' ? undefined : v));
    };
    expect(left.code).toBe(plain.code);
    expect(strip(left.stdout)).toBe(strip(plain.stdout));
  }, 60_000);
});
