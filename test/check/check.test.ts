import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { InputError } from '../../src/input/errors.js';
import { writeCounterexampleFiles } from '../../src/report/files.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

// The check returns verdicts and counterexamples as data and writes nothing; src/report/files.ts
// writes the files. An exception during exploration is bad input only when a controller variant
// (user code) runs; otherwise it is a bug in stsmc and reaches the CLI unchanged (exit code 4).

// A fault injected into the explorer, the way a bug in stsmc would surface there.
const fault = vi.hoisted(() => ({ error: null as Error | null }));
vi.mock('../../src/explorer/bfs.js', async (importOriginal) => {
  const bfs = await importOriginal<typeof import('../../src/explorer/bfs.js')>();
  return { ...bfs, explore: (...args: Parameters<typeof bfs.explore>) => (fault.error ? Promise.reject(fault.error) : bfs.explore(...args)) };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-check-'));
const FILE = 'specs/force-delete-breaks-at-most-one.yaml';
const plan = (controller?: string) => resolvePlan(loadScenarioFile(FILE), controller ? { controller } : {}, FILE);

afterEach(() => {
  fault.error = null;
  vi.restoreAllMocks();
});

describe('the check returns data and writes nothing', () => {
  it('counterexamples come back in memory, with no files; no file or folder is written', async () => {
    const writes = [vi.spyOn(fs, 'writeFileSync'), vi.spyOn(fs, 'mkdirSync'), vi.spyOn(fs, 'writeSync')];
    const r = await runScenario(plan(), { workers: 1 });
    const violated = r.properties.filter((p) => p.verdict === 'violated');
    expect(violated.map((p) => p.name)).toContain('AtMostOne');
    for (const p of r.properties) expect(p.files).toEqual([]);
    for (const p of violated) expect(p.counterexample?.steps.length).toBe(p.traceLength! + 1);
    for (const w of writes) expect(w).not.toHaveBeenCalled();
  });

  it('the writer fills in the files, in the order ITF, DOT, SVG, HTML, and leaves the result it was given as it was', async () => {
    const r = await runScenario(plan(), { workers: 1 });
    const out = path.join(tmp, 'out');
    const writes = vi.spyOn(fs, 'writeFileSync'); // the spy the previous test relies on sees the writer's writes
    const written = await writeCounterexampleFiles(r, out);
    expect(writes).toHaveBeenCalledTimes(4 * r.properties.filter((p) => p.counterexample).length);
    for (const p of written.properties) {
      const base = path.join(out, r.scenario, p.name);
      expect(p.files).toEqual(p.counterexample ? [`${base}.itf.json`, `${base}.dot`, `${base}.svg`, `${base}.html`] : []);
      for (const f of p.files) expect(fs.statSync(f).size).toBeGreaterThan(0);
    }
    expect(r.properties.every((p) => p.files.length === 0)).toBe(true);
  });

  it('an --out that cannot be written is bad input: "cannot write <path>: <reason>"', async () => {
    const r = await runScenario(plan(), { workers: 1 });
    const notADir = path.join(tmp, 'a-file');
    fs.writeFileSync(notADir, 'x');
    const err = await writeCounterexampleFiles(r, notADir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`cannot write ${path.join(notADir, r.scenario)}: ENOTDIR: not a directory`);
  });
});

describe('an exception while exploring', () => {
  it('without a controller variant, is a bug in stsmc: it propagates unchanged, not as bad input', async () => {
    fault.error = new TypeError('injected fault');
    const err = await runScenario(plan(), { workers: 1 }).catch((e: unknown) => e);
    expect(err).toBe(fault.error);
    expect(err).not.toBeInstanceOf(InputError);
  });

  it("with a controller variant, is its author's input error: one line naming the variant and the scenario", async () => {
    fault.error = new TypeError('injected fault');
    const err = await runScenario(plan('no-ready-wait'), { workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe("controller variant 'no-ready-wait' failed while exploring force-delete-breaks-at-most-one: injected fault");
    expect((err as Error).cause).toBe(fault.error);
  });

  it('an InputError stays as it is, with or without a variant', async () => {
    fault.error = new InputError('bad input from below');
    for (const controller of [undefined, 'no-ready-wait']) {
      await expect(runScenario(plan(controller), { workers: 1 })).rejects.toBe(fault.error);
    }
  });
});

describe('the CLI', () => {
  it('stsmc check --out <a file>: refused before the run; a folder that cannot be made: one line saying what cannot be written', () => {
    const notADir = path.join(tmp, 'out-file');
    fs.writeFileSync(notADir, 'x');
    const run = (out: string) => spawnSync(process.execPath, [path.resolve('bin/stsmc.js'), 'check', FILE, '--out', out, '--quiet', '--workers', '1'], { encoding: 'utf8', timeout: 120_000 });
    const file = run(notADir);
    expect(file.status).toBe(2);
    expect(file.stderr).toBe(`stsmc: error: --out ${notADir} exists and is not a folder\n`);
    // Below a file: nothing exists there yet, so the run goes ahead and the write fails.
    const below = path.join(notADir, 'sub');
    const r = run(below);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`stsmc: error: cannot write ${path.join(below, 'force-delete-breaks-at-most-one')}: ENOTDIR: not a directory (the verdicts above stand; their counterexample files were not written)\n`);
    // The result is not lost: the verdicts and the counterexample are printed all the same.
    expect(r.stdout).toMatch(/force-delete-breaks-at-most-one\s+AtMostOne\s+violated \(7\)\s+violated\s+7\s+ok/);
  });
});
