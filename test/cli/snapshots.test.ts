import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The exact text the CLI prints, pinned in files under __snapshots__/: any change to the output of
// check, replay or compare shows up as a diff to review (`vitest -u` accepts it). The built bin
// runs as users run it (npm test builds first). What varies from run to run is normalised:
// durations become `<t> s` and the output directory `<out>`; every run uses one worker.
const bin = path.resolve('bin/stsmc.js');

function run(...args: string[]): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-snap-'));
  try {
    const argv = args.map((a) => (a === '<out>' ? out : a));
    const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    const normalise = (s: string) => s.split(out).join('<out>').replace(/\b\d+(?:\.\d+)? s\b/g, '<t> s');
    const parts = [`$ stsmc ${args.join(' ')}`, `exit code ${r.status}`, '--- stdout', normalise(r.stdout)];
    if (r.stderr) parts.push('--- stderr', normalise(r.stderr));
    return parts.join('\n');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const snapshot = (name: string) => path.join('__snapshots__', `${name}.txt`);

describe('CLI text output (snapshots)', () => {
  it('check: a violation with its counterexample', async () => {
    const text = run('check', '--quiet', '--workers', '1', '--out', '<out>', 'specs/parallel-creation.yaml');
    await expect(text).toMatchFileSnapshot(snapshot('check-parallel-creation'));
  });

  it('check: every property holds', async () => {
    const text = run('check', '--quiet', '--workers', '1', '--out', '<out>', 'specs/attach/force-delete-healthy-rwop.yaml');
    await expect(text).toMatchFileSnapshot(snapshot('check-force-delete-healthy-rwop'));
  });

  it('replay: steps, the final state, what is enabled and why the rest is not', async () => {
    const text = run('replay', '--steps', 'CtlCreate(0),Schedule(0,1),KubeletRun(0)', '--set', 'R=1');
    await expect(text).toMatchFileSnapshot(snapshot('replay-steps'));
  });

  it('compare: the table, the states and the counterexample of the broken property', async () => {
    const text = run('compare', '--variant', 'no-ready-wait', '--workers', '1', '--out', '<out>', 'specs/ordered-deployment.yaml');
    await expect(text).toMatchFileSnapshot(snapshot('compare-no-ready-wait'));
  });
});
