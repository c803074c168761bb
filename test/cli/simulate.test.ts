import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve('bin/stsmc.js');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-sim-'));
const stsmc = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('stsmc simulate', () => {
  it('finds the force-delete violation, the same way for the same seed', () => {
    const args = ['simulate', 'specs/force-delete-breaks-at-most-one.yaml', '--runs', '2000', '--depth', '40', '--seed', '7', '--json', '--out', out];
    const a = JSON.parse(stsmc(...args).stdout);
    const b = JSON.parse(stsmc(...args).stdout);
    expect(a.violation).toMatchObject({ property: 'AtMostOne', kind: 'invariant', expected: 'violated' });
    expect(a.violation.traceLength).toBeGreaterThanOrEqual(7); // a random walk, not a shortest trace
    expect([b.runs, b.steps, b.violation]).toEqual([a.runs, a.steps, a.violation]);
    expect(fs.existsSync(a.violation.files[0])).toBe(true);
  });

  it('exit code 1 when a walk violates a property expected to hold, 0 when none is found', () => {
    const found = stsmc('simulate', '--model', 'statefulset', '--set', 'userOps=forceDeletePod', '--check', 'AtMostOne', '--runs', '3000', '--seed', '1', '--out', out);
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/violated AtMostOne/);
    const none = stsmc('simulate', 'specs/ordered-deployment.yaml', '--runs', '50', '--seed', '1', '--out', out);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/No violation .* found \(simulation is a search, not a proof\)/);
  });

  it('bad input: one line, exit 2', () => {
    const r = stsmc('simulate', 'specs/ordered-deployment.yaml', '--seed', 'abc');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be a non-negative integer/);
    expect(stsmc('simulate').code).toBe(2);
  });
});
