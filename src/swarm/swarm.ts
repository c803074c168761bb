/**
 * Swarm verification (as SPIN's swarm): N independent, diversified random searches of one
 * configuration, run anywhere (one process each, for example the pods of a Kubernetes Indexed Job),
 * whose results are merged afterwards. Shard K of N walks with its own seed (`seed + K`: disjoint
 * streams) and its own search bias (`K / N`: shard 0 walks uniformly, the others favour the
 * action instances they have fired least), so the shards explore different parts of the space.
 *
 * A shard's result is data (JSON): the statistics, the action coverage by label, a sketch of the
 * distinct states seen (`explorer/sketch.ts`: merging sketches is exact), and its violation, with
 * the counterexample files it wrote and the command that replays them. Merging checks that every
 * result is a shard of the same configuration and the same swarm.
 */
import { sketchEstimate, sketchMerge, SKETCH_REGISTERS } from '../explorer/sketch.js';
import type { Simulation } from '../explorer/simulate.js';
import { InputError } from '../input/errors.js';

/** Which shard: `K/N` (0 ≤ K < N), or from a Kubernetes Indexed Job's environment. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const MAX_SHARDS = 10_000;

/**
 * `--shard K/N`, or `--shard job`: K from `JOB_COMPLETION_INDEX` and N from `JOB_COMPLETIONS`, as
 * Kubernetes sets them in the pods of an Indexed Job.
 */
export function parseShard(v: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const fromJob = v.trim() === 'job';
  const text = fromJob ? `${env.JOB_COMPLETION_INDEX ?? ''}/${env.JOB_COMPLETIONS ?? ''}` : v.trim();
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const where = fromJob ? `--shard job (JOB_COMPLETION_INDEX=${JSON.stringify(env.JOB_COMPLETION_INDEX ?? null)}, JOB_COMPLETIONS=${JSON.stringify(env.JOB_COMPLETIONS ?? null)})` : `--shard ${JSON.stringify(v)}`;
  if (!m) throw new InputError(`${where}: expected K/N with 0 <= K < N, e.g. 0/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS || index >= count) throw new InputError(`${where}: shard ${index} of ${count} is out of range (0 <= K < N <= ${MAX_SHARDS})`);
  return { index, count };
}

/** The seed and bias of shard K of N, for a swarm seeded with `seed`. */
export function shardSearch(shard: Shard, seed: number): { seed: number; bias: number } {
  return { seed: seed + shard.index, bias: shard.index / shard.count };
}

export interface ShardViolation {
  readonly property: string;
  readonly kind: 'invariant' | 'transition';
  readonly traceLength: number;
  /** Which shard and walk found it. */
  readonly shard: number;
  readonly walk: number;
  /** Whether the scenario expects this property to be violated. */
  readonly expected: boolean;
  readonly files: readonly string[];
  /** The command that replays the counterexample (its `.itf.json`). */
  readonly replay: string | null;
}

/** What identifies one swarm: every shard of it has the same. */
export interface SwarmKey {
  readonly scenario: string;
  readonly model: string;
  readonly controller: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly check: readonly string[];
  readonly seed: number;
  readonly runs: number;
  readonly depth: number;
  readonly shards: number;
}

export interface ShardResult extends SwarmKey {
  readonly kind: 'stsmc-shard';
  readonly shard: number;
  readonly walks: number;
  readonly steps: number;
  readonly generated: number;
  readonly deadlocks: number;
  readonly longestWalk: number;
  readonly stopReason: string | null;
  /** Times each action instance was taken, by label (instances never taken are left out). */
  readonly coverage: Readonly<Record<string, number>>;
  /** The HyperLogLog registers of the distinct states seen, base64. */
  readonly sketch: string;
  readonly violations: readonly ShardViolation[];
}

export interface MergedResult extends SwarmKey {
  readonly kind: 'stsmc-swarm';
  readonly shardsMerged: readonly number[];
  readonly walks: number;
  readonly steps: number;
  readonly generated: number;
  readonly deadlocks: number;
  readonly longestWalk: number;
  /** Estimated distinct states seen by all shards together (HyperLogLog, about 1.6% error). */
  readonly distinctStates: number;
  readonly coverage: Readonly<Record<string, number>>;
  readonly sketch: string;
  /** Per property, the shortest violation any shard found (ties: the lowest shard). */
  readonly violations: readonly ShardViolation[];
}

/** A shard's result from its simulation. */
export function shardResult(key: SwarmKey, shard: Shard, sim: Simulation<unknown>, labels: readonly string[], violation: ShardViolation | null): ShardResult {
  const coverage: Record<string, number> = {};
  sim.fired.forEach((n, k) => {
    if (n > 0) coverage[labels[k]!] = n;
  });
  return {
    kind: 'stsmc-shard',
    ...key,
    shard: shard.index,
    walks: sim.runs,
    steps: sim.steps,
    generated: sim.generated,
    deadlocks: sim.deadlocks,
    longestWalk: sim.longestRun,
    stopReason: sim.stopReason,
    coverage,
    sketch: Buffer.from(sim.sketch).toString('base64'),
    violations: violation ? [violation] : [],
  };
}

const KEY_FIELDS = ['scenario', 'model', 'controller', 'params', 'check', 'seed', 'runs', 'depth', 'shards'] as const;

/** Reads one shard result (or an earlier merge) from parsed JSON, refusing anything else. */
export function asShardResult(doc: unknown, file: string): ShardResult | MergedResult {
  if (doc === null || typeof doc !== 'object') throw new InputError(`${file}: not a shard result of stsmc simulate --shard (nor a merge of them)`);
  const d = doc as Record<string, unknown>;
  if (d.kind !== 'stsmc-shard' && d.kind !== 'stsmc-swarm') throw new InputError(`${file}: not a shard result of stsmc simulate --shard (nor a merge of them)`);
  for (const f of KEY_FIELDS) if (d[f] === undefined) throw new InputError(`${file}: a shard result without '${f}'`);
  if (typeof d.sketch !== 'string' || Buffer.from(d.sketch, 'base64').length !== SKETCH_REGISTERS) throw new InputError(`${file}: its state sketch is not ${SKETCH_REGISTERS} registers`);
  const shards = d.shards as number;
  if (d.kind === 'stsmc-shard' && !(Number.isInteger(d.shard) && (d.shard as number) >= 0 && (d.shard as number) < shards)) throw new InputError(`${file}: shard ${JSON.stringify(d.shard)} is not one of 0..${shards - 1}`);
  if (d.kind === 'stsmc-swarm' && !(Array.isArray(d.shardsMerged) && d.shardsMerged.every((k) => Number.isInteger(k) && k >= 0 && k < shards))) throw new InputError(`${file}: 'shardsMerged' is malformed`);
  for (const n of ['walks', 'steps', 'generated', 'deadlocks', 'longestWalk']) if (!Number.isSafeInteger(d[n]) || (d[n] as number) < 0) throw new InputError(`${file}: '${n}' is not a count`);
  if (!Array.isArray(d.violations) || d.coverage === null || typeof d.coverage !== 'object') throw new InputError(`${file}: 'violations' or 'coverage' is malformed`);
  return d as unknown as ShardResult | MergedResult;
}

/** The merge of shard results (and of earlier merges) of one swarm. */
export function mergeShards(parts: readonly { file: string; result: ShardResult | MergedResult }[]): MergedResult {
  if (parts.length === 0) throw new InputError('merge needs at least one shard result');
  const first = parts[0]!;
  const keyOf = (r: SwarmKey) => JSON.stringify(KEY_FIELDS.map((f) => r[f]));
  const shards = new Map<number, string>();
  for (const { file, result } of parts) {
    if (keyOf(result) !== keyOf(first.result)) {
      const differs = KEY_FIELDS.find((f) => JSON.stringify(result[f]) !== JSON.stringify(first.result[f]));
      throw new InputError(`${file} is not a shard of the same swarm as ${first.file}: its ${differs} differs`);
    }
    for (const k of result.kind === 'stsmc-shard' ? [result.shard] : result.shardsMerged) {
      if (shards.has(k)) throw new InputError(`shard ${k} appears twice: in ${shards.get(k)} and ${file}`);
      shards.set(k, file);
    }
  }
  const sketch = new Uint8Array(SKETCH_REGISTERS);
  const coverage: Record<string, number> = {};
  const shortest = new Map<string, ShardViolation>();
  let walks = 0;
  let steps = 0;
  let generated = 0;
  let deadlocks = 0;
  let longestWalk = 0;
  for (const { result } of parts) {
    walks += result.walks;
    steps += result.steps;
    generated += result.generated;
    deadlocks += result.deadlocks;
    longestWalk = Math.max(longestWalk, result.longestWalk);
    sketchMerge(sketch, new Uint8Array(Buffer.from(result.sketch, 'base64')));
    for (const [label, n] of Object.entries(result.coverage)) coverage[label] = (coverage[label] ?? 0) + n;
    for (const v of result.violations) {
      const best = shortest.get(v.property);
      if (best === undefined || v.traceLength < best.traceLength || (v.traceLength === best.traceLength && v.shard < best.shard)) shortest.set(v.property, v);
    }
  }
  const key = Object.fromEntries(KEY_FIELDS.map((f) => [f, first.result[f]])) as unknown as SwarmKey;
  return {
    kind: 'stsmc-swarm',
    ...key,
    shardsMerged: [...shards.keys()].sort((a, b) => a - b),
    walks,
    steps,
    generated,
    deadlocks,
    longestWalk,
    distinctStates: sketchEstimate(sketch),
    coverage: Object.fromEntries(Object.entries(coverage).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    sketch: Buffer.from(sketch).toString('base64'),
    violations: [...shortest.values()].sort((a, b) => (a.property < b.property ? -1 : 1)),
  };
}

/** The merged result in words. */
export function mergedText(m: MergedResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const missing = m.shards - m.shardsMerged.length;
  const lines = [
    `${m.scenario}: swarm of ${m.shards} shard${m.shards === 1 ? '' : 's'} (seed ${m.seed}), ${m.shardsMerged.length} merged${missing > 0 ? ` (${missing} missing)` : ''}`,
    `  ${n(m.walks)} walks, ${n(m.steps)} steps (longest ${m.longestWalk}, ${m.deadlocks} ended with nothing enabled), about ${n(m.distinctStates)} distinct states seen`,
    `  ${Object.keys(m.coverage).length} action instances taken`,
  ];
  if (m.violations.length === 0) lines.push(`  no violation of ${m.check.join(', ') || 'any property'} found (a search, not a proof)`);
  for (const v of m.violations) {
    lines.push(`  ${v.property} violated in ${v.traceLength} steps (shard ${v.shard}, walk ${v.walk})${v.expected ? ', as the scenario expects' : ''}`);
    if (v.replay) lines.push(`    replay: ${v.replay}`);
  }
  return lines.join('\n');
}
