/**
 * A swarm as Kubernetes runs it: four shard processes with JOB_COMPLETION_INDEX=0..3 and
 * JOB_COMPLETIONS=4, merged with `stsmc merge`, give the same result as one process running the
 * same four shards (`--shards 4`), and find the seeded violations of the safety scenarios.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-swarm-'));

function stsmc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The merged result without where its files went (the two runs write to different folders). */
const portable = (json: string) => {
  const m = JSON.parse(json) as { violations: { files: string[]; replay: string | null }[] };
  return { ...m, violations: m.violations.map((v) => ({ ...v, files: v.files.map((f) => path.relative(f.split(path.sep)[0]!, f)), replay: v.replay?.replace(/--from [^/]+\//, '--from ') })) };
};

describe('swarm: shards in separate processes, merged = one run over the same shards', () => {
  it.each([
    ['specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne'],
    ['specs/parallel-creation.yaml', 'OrderedCreation'],
    ['specs/pvc-deleted-reclaim-delete.yaml', 'NoDataLoss'],
  ])('%s', (scenario, seeded) => {
    const file = path.resolve(scenario);
    const name = path.basename(scenario, '.yaml');
    const common = [file, '--runs', '300', '--depth', '40', '--seed', '7'];
    for (let k = 0; k < 4; k++) {
      const r = stsmc(['simulate', ...common, '--shard', 'job', '--out', 'shards'], { JOB_COMPLETION_INDEX: String(k), JOB_COMPLETIONS: '4' });
      expect(r.code, r.stderr).toBe(0); // the violations found are the ones the scenario expects
    }
    const files = [0, 1, 2, 3].map((k) => path.join('shards', `${name}.shard-${k}-of-4.json`));
    const merged = stsmc(['merge', '--json', ...files]);
    expect(merged.code, merged.stderr).toBe(0);
    const one = stsmc(['simulate', ...common, '--shards', '4', '--json', '--out', 'one']);
    expect(one.code, one.stderr).toBe(0);
    expect(portable(merged.stdout)).toEqual(portable(one.stdout));
    const m = JSON.parse(merged.stdout) as { shardsMerged: number[]; violations: { property: string; replay: string }[]; walks: number; distinctStates: number };
    expect(m.shardsMerged).toEqual([0, 1, 2, 3]);
    expect(m.violations.map((v) => v.property)).toContain(seeded);
    expect(m.distinctStates).toBeGreaterThan(0);
    // The replay command it prints reproduces the violation.
    const v = m.violations.find((x) => x.property === seeded)!;
    const replay = stsmc(v.replay.replace(/^stsmc /, '').split(' '));
    expect(replay.stdout).toMatch(new RegExp(`Reproduced: ${seeded}`));
    // Merging a merge with nothing new is the same merge; a shard twice is refused.
    fs.writeFileSync(path.join(tmp, 'merged.json'), merged.stdout);
    expect(stsmc(['merge', 'merged.json', files[0]!]).stderr.trim()).toMatch(/^stsmc: error: shard 0 appears twice: in merged\.json and /);
  });
});
