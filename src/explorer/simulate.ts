/**
 * Simulation: random walks, for configurations too large to explore exhaustively (TLC's
 * `-simulate`). Each walk starts in a random initial state and takes up to `depth` steps, each a
 * uniformly random choice among the enabled action instances, checking the requested invariants on
 * every state and transition properties on every step. The first violation stops the simulation
 * and comes back with its trace.
 *
 * Walks are reproducible: the random choices come from a seeded generator (xoshiro128**), so the
 * same model, parameters and seed give the same walks, whatever the machine. Only model-agnostic
 * operations are used (successors, encode/decode to keep states), like the explorer.
 */
import { timeLimitTimer } from './bfs.js';
import { fingerprint } from './fingerprint.js';
import { newSketch, sketchAdd } from './sketch.js';
import type { InvariantProperty, Model, TransitionProperty } from './model.js';
import type { TraceStep } from './trace.js';

export interface SimulateOptions {
  /** Number of walks. */
  readonly runs: number;
  /** Largest number of steps of a walk. */
  readonly depth: number;
  /** Seed of the random choices (an integer; the same seed gives the same walks). */
  readonly seed: number;
  /** Names of the invariants and transition properties to check. */
  readonly check: readonly string[];
  /**
   * Search bias, 0..1 (default 0: uniform). At each step, with this probability the walk takes the
   * enabled action instance fired least so far in this simulation (ties: the first), otherwise a
   * uniformly random one: a swarm's shards differ in bias as well as in seed, so that together
   * they cover rarely enabled actions as well as the common paths.
   */
  readonly bias?: number;
  readonly timeLimitSeconds?: number;
  /** Aborting stops the simulation cleanly with the statistics so far (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SimulationProgress) => void;
  readonly progressIntervalMs?: number;
}

export interface SimulationProgress {
  readonly runs: number;
  readonly steps: number;
  readonly seconds: number;
}

export type SimulationStopReason = 'violation' | 'timeLimit' | 'interrupted';

export interface SimulationViolation<S> {
  readonly property: string;
  readonly kind: 'invariant' | 'transition';
  /** Which walk (0-based) found it. */
  readonly run: number;
  /** Number of steps of the trace (the trace has one more state than steps). */
  readonly traceLength: number;
  /** From the walk's initial state to the violating state (for a step property, its post-state). */
  readonly trace: TraceStep<S>[];
}

export interface Simulation<S> {
  /** Every requested walk was made and no property was violated. */
  readonly complete: boolean;
  readonly stopReason: SimulationStopReason | null;
  readonly seed: number;
  /** Walks made (the last one possibly cut short by a violation or a stop). */
  readonly runs: number;
  /** Steps taken over all walks. */
  readonly steps: number;
  /** Successor states enumerated (one per enabled action instance, over all visited states). */
  readonly generated: number;
  /** Walks that reached a state with no enabled action before `depth` steps. */
  readonly deadlocks: number;
  /** Steps of the longest walk. */
  readonly longestRun: number;
  readonly seconds: number;
  /** Per action instance: how often a walk took it. */
  readonly fired: Float64Array;
  /** A HyperLogLog sketch of the distinct states visited (`sketch.ts`). */
  readonly sketch: Uint8Array;
  readonly violation: SimulationViolation<S> | null;
}

const SLICE_MS = 50;

export async function simulate<S>(model: Model<S>, options: SimulateOptions): Promise<Simulation<S>> {
  const t0 = performance.now();
  const { runs, depth, seed, check } = options;
  if (!Number.isInteger(runs) || runs < 0) throw new RangeError(`runs must be a non-negative integer, got ${runs}`);
  if (!Number.isInteger(depth) || depth < 0) throw new RangeError(`depth must be a non-negative integer, got ${depth}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const bias = options.bias ?? 0;
  if (!(bias >= 0 && bias <= 1)) throw new RangeError(`bias must be in 0..1, got ${bias}`);
  const want = new Set(check);
  for (const name of want) {
    const p = model.properties.find((q) => q.name === name);
    if (!p) throw new RangeError(`model '${model.name}' has no property '${name}'`);
    if (p.kind === 'liveness') throw new RangeError(`'${name}' is a liveness property: simulation checks invariants and step properties only`);
  }
  const invariants = model.properties.filter((p): p is InvariantProperty<S> => p.kind === 'invariant' && want.has(p.name));
  const transitions = model.properties.filter((p): p is TransitionProperty<S> => p.kind === 'transition' && want.has(p.name));

  const W = model.stateWords;
  const nActions = model.actions.length;
  const rng = new Xoshiro128(seed);
  const initial = model.initialStates();
  const fired = new Float64Array(nActions);
  // The walk so far (packed states and actions), to rebuild a trace; the enabled successors of the
  // current state (packed) and their actions.
  const path = new Uint32Array((depth + 1) * W);
  const pathActions = new Int32Array(depth + 1);
  const succ = new Uint32Array(Math.max(1, nActions) * W);
  const succActions = new Int32Array(Math.max(1, nActions));
  let nSucc = 0;
  const emit = (k: number, next: S) => {
    if (nSucc >= succActions.length) throw new Error(`model '${model.name}' emitted more successors than it has action instances`);
    model.encode(next, succ, nSucc * W);
    succActions[nSucc] = k;
    nSucc++;
  };
  let cur = model.scratch();
  let post = model.scratch();
  const sketch = newSketch();
  const fp = new Int32Array(2);
  const seen = (words: Uint32Array, off: number) => {
    fingerprint(words, off, W, fp);
    sketchAdd(sketch, fp[0]!, fp[1]!);
  };

  let stopReason: SimulationStopReason | null = null;
  let external: SimulationStopReason | null = null;
  const onAbort = () => (external ??= 'interrupted');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  const timer = timeLimitTimer(options.timeLimitSeconds, () => (external ??= 'timeLimit'));
  let run = 0;
  let steps = 0;
  let generated = 0;
  let deadlocks = 0;
  let longestRun = 0;
  const ticker = options.onProgress
    ? setInterval(() => options.onProgress!({ runs: run, steps, seconds: (performance.now() - t0) / 1000 }), options.progressIntervalMs ?? 1000)
    : undefined;
  let violation: SimulationViolation<S> | null = null;

  const traceOf = (length: number): TraceStep<S>[] => {
    const out: TraceStep<S>[] = [];
    for (let k = 0; k <= length; k++) {
      const s = model.scratch();
      model.decode(path, k * W, s);
      const a = k === 0 ? -1 : pathActions[k]!;
      out.push({ action: a < 0 ? null : model.actions[a]!.label, actionIndex: a, state: s });
    }
    return out;
  };

  try {
    let sliceEnd = performance.now() + SLICE_MS;
    walks: for (; run < runs; run++) {
      if (performance.now() >= sliceEnd) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceEnd = performance.now() + SLICE_MS;
      }
      if (external !== null) {
        stopReason = external;
        break;
      }
      if (initial.length === 0) break;
      model.encode(initial[rng.below(initial.length)]!, path, 0);
      model.decode(path, 0, cur);
      seen(path, 0);
      for (const p of invariants) {
        if (!p.holds(cur)) {
          violation = { property: p.name, kind: 'invariant', run, traceLength: 0, trace: traceOf(0) };
          break walks;
        }
      }
      let step = 0;
      for (; step < depth; step++) {
        nSucc = 0;
        model.successors(cur, emit);
        generated += nSucc;
        if (nSucc === 0) {
          deadlocks++;
          break;
        }
        let j = rng.below(nSucc);
        if (bias > 0 && rng.unit() < bias) {
          // The least-fired enabled instance. (With a bias, every step draws two numbers, so a
          // walk's choices depend on the seed and the bias only.)
          j = 0;
          for (let q = 1; q < nSucc; q++) if (fired[succActions[q]!]! < fired[succActions[j]!]!) j = q;
        }
        const k = succActions[j]!;
        model.decode(succ, j * W, post);
        path.set(succ.subarray(j * W, (j + 1) * W), (step + 1) * W);
        seen(path, (step + 1) * W);
        pathActions[step + 1] = k;
        fired[k]!++;
        steps++;
        for (const p of transitions) {
          if (!p.holds(cur, post, k)) {
            violation = { property: p.name, kind: 'transition', run, traceLength: step + 1, trace: traceOf(step + 1) };
            break walks;
          }
        }
        for (const p of invariants) {
          if (!p.holds(post)) {
            violation = { property: p.name, kind: 'invariant', run, traceLength: step + 1, trace: traceOf(step + 1) };
            break walks;
          }
        }
        [cur, post] = [post, cur];
      }
      longestRun = Math.max(longestRun, step);
    }
  } finally {
    if (timer) clearTimeout(timer);
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (violation) {
    stopReason = 'violation';
    longestRun = Math.max(longestRun, violation.traceLength);
  }
  // A violation breaks out in the middle of walk `run`; a stop, before starting it.
  const made = violation ? run + 1 : run;
  return {
    complete: stopReason === null && violation === null,
    stopReason,
    seed,
    runs: made,
    steps,
    generated,
    deadlocks,
    longestRun,
    seconds: (performance.now() - t0) / 1000,
    fired,
    sketch,
    violation,
  };
}

/**
 * xoshiro128** (Blackman and Vigna), seeded through splitmix32: small, fast, and the same sequence
 * on every platform, which is all reproducible walks need.
 */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let x = seed | 0;
    const split = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    // Seeds beyond 32 bits still matter: fold the high part in.
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const high = Math.floor(seed / 2 ** 32) | 0;
    this.a = split();
    this.b = split() ^ high;
    this.c = split();
    this.d = split();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform integer in `[0, n)`. */
  /** A uniform number in [0, 1). */
  unit(): number {
    return this.next() / 2 ** 32;
  }

  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
