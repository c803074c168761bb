/**
 * Breadth-first exploration, level by level, on the calling thread or on worker threads.
 *
 * Levels are ranges of state ids: level 0 is the initial states, and expanding level L appends
 * level L+1 at the end of the store. Every thread (the worker threads of a `WorkerPool`, and this
 * one unless the pool says otherwise) claims chunks of the current level from a shared cursor, so
 * the work balances itself. The threads meet at the end of each level, and when the seen table
 * must grow: once its load passes `GROW_AT`, every thread stops at its next chunk boundary, this
 * thread rehashes into a table twice the size, and the level resumes. Because a level is finished
 * before the next starts, the first violation found of any property is at the smallest depth:
 * counterexamples are shortest, and distinct and generated counts and depth are the same,
 * whatever the number of threads.
 *
 * Limits stop cleanly (`complete: false`, `stopReason`), never with an out-of-memory crash: the
 * store and the table are sized from the memory budget, which is turned into a number of distinct
 * states up front (`memoryPlan`, `tableStateLimit`). The limits on states and memory, and the depth
 * limit, stop at a level boundary, so that what they report does not depend on the number of
 * threads or on how the work was scheduled: when expanding a level would go past the state limit,
 * the part of the next level found so far is dropped, and the run reports the complete levels (their
 * states, the states generated while expanding the levels before them, and the violations found
 * there). Which states of a level a thread happened to find first never shows. A time limit and
 * an abort signal stop at the next chunk boundary instead, with everything found so far.
 */
import os from 'node:os';
import { chunkSize, expanderFor, Stop, type ExpandOutcome, type Expander, type ExpandTarget, type FoundViolation, type LevelRange } from './expand.js';
import { fingerprint } from './fingerprint.js';
import type { Model } from './model.js';
import { collectGarbage } from './release.js';
import { createSeenTable, GROW_AT, HEADROOM, SeenView, type SeenTable } from './seen.js';
import { createStore, Ctl, NO_PARENT, StoreView, type StateStore } from './store.js';
import type { WorkerPool } from './pool.js';

export type StopReason = 'maxStates' | 'maxDepth' | 'timeLimit' | 'memory' | 'interrupted' | 'allViolated';

export interface Progress {
  readonly distinct: number;
  readonly generated: number;
  readonly queue: number;
  readonly depth: number;
  readonly seconds: number;
}

export interface ExploreOptions {
  /** Names of the invariants and transition properties to check. */
  readonly check: readonly string[];
  /** Stop as soon as every checked property is violated (default true). */
  readonly stopWhenAllViolated?: boolean;
  readonly maxStates?: number;
  /** Largest depth to explore (initial states are depth 1). */
  readonly maxDepth?: number;
  readonly timeLimitSeconds?: number;
  /** Memory budget in bytes for the store and the seen table. */
  readonly memoryBytes?: number;
  /** Threads to explore with (see `WorkerPool`); with none, exploration runs on this thread. */
  readonly pool?: WorkerPool;
  /**
   * With a pool, expand tiny levels, and the levels before the workers are up, on this thread
   * alone (default true): a round trip to the workers would cost more than the work. Results are
   * the same either way; tests turn it off to exercise the workers on small models.
   */
  readonly inlineSmallLevels?: boolean;
  /** Aborting stops exploration cleanly with the statistics so far (Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * With a pool: once the time limit or the signal asks to stop, worker threads that are still in
   * the middle of a level this many milliseconds later are terminated (a controller variant that
   * loops forever in a guard or an effect never looks at the stop flag again), and the run ends
   * with the levels completed before. Their states are dropped, as when a state limit stops a level.
   */
  readonly terminateAfterMs?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
}

/** The first violation of a property: where it is, and how long its shortest trace is. */
export interface Violation extends FoundViolation {
  /** Number of steps of the counterexample. */
  readonly traceLength: number;
}

export interface Exploration {
  readonly complete: boolean;
  readonly stopReason: StopReason | null;
  readonly distinct: number;
  readonly generated: number;
  /** Longest shortest path, counting the initial states as depth 1 (TLC's convention). */
  readonly depth: number;
  readonly seconds: number;
  readonly threads: number;
  /** Per action instance: times fired, new states found. */
  readonly fired: Float64Array;
  readonly found: Float64Array;
  readonly violations: ReadonlyMap<string, Violation>;
  /**
   * `levelStarts[L]` is the first id of level L; ids of the last level end at `distinct`, except
   * after a time limit or an abort in the middle of a level: then the last level listed is the one
   * being expanded, and the ids past its end are the part of the next level found so far. (A state
   * or memory limit drops that part: the levels listed are complete.)
   */
  readonly levelStarts: readonly number[];
  readonly store: StateStore;
  /** Bytes held by the store's used part and the seen table at the end. */
  readonly memoryBytes: number;
}

const INITIAL_CAPACITY = 1 << 16;
const SLICE_MS = 50;
/** Ids are 32-bit, and `Ctl.count` is an Int32 that may overshoot the limit by a few chunks. */
const MAX_STORE_STATES = 2 ** 31 - 2 ** 24;

/**
 * How memory is planned. Per distinct state the store holds its packed words, its parent id and
 * the action that reached it (`storeBytesPerState`); the seen table holds 8 bytes per slot and
 * doubles when its load passes `GROW_AT`, so just after growing it is at `GROW_AT / 2` and, while
 * rehashing, old and new tables are alive together. The store's shared buffers are reserved up
 * front for the most states the budget could hold, but the operating system only commits the pages
 * that are written: resident memory follows the states actually found.
 */
export function memoryPlan(stateWords: number, memoryBytes: number): { storeBytesPerState: number; maxStates: number } {
  const storeBytesPerState = stateWords * 4 + 8;
  // Even the fullest table costs 8 / (GROW_AT + HEADROOM) bytes per state: never more states than that.
  const maxStates = Math.max(1024, Math.min(MAX_STORE_STATES, Math.floor(memoryBytes / (storeBytesPerState + 8 / 0.7))));
  return { storeBytesPerState, maxStates };
}

/**
 * The most distinct states the seen table can take within `memoryBytes`, starting at `capacity`
 * slots. The table doubles when its load reaches `GROW_AT`; while it rehashes, the old and the new
 * table are alive together, beside the store, which may hold up to `GROW_AT + HEADROOM` states per
 * slot by then. The first doubling that does not fit decides: one state fewer than would ask for
 * it. This depends on the budget alone, never on when a thread happened to ask for the growth, so a
 * memory stop is the same whatever the number of threads.
 */
export function tableStateLimit(capacity: number, storeBytesPerState: number, maxStates: number, memoryBytes: number): number {
  for (let c = capacity; ; c *= 2) {
    if (!growthFits(c, storeBytesPerState, maxStates, memoryBytes)) return Math.max(0, Math.floor(c * GROW_AT) - 1);
  }
}

/** Whether doubling a table of `capacity` slots fits in the budget (see `tableStateLimit`). */
function growthFits(capacity: number, storeBytesPerState: number, maxStates: number, memoryBytes: number): boolean {
  return Math.min(Math.ceil(capacity * (GROW_AT + HEADROOM)), maxStates) * storeBytesPerState + capacity * 8 * 3 <= memoryBytes;
}

export async function explore<S>(model: Model<S>, options: ExploreOptions): Promise<Exploration> {
  const t0 = performance.now();
  const W = model.stateWords;
  const pool = options.pool;
  const threads = pool ? pool.threads : 1;
  const nActions = model.actions.length;

  const memory = options.memoryBytes ?? defaultMemoryBytes();
  const plan = memoryPlan(W, memory);
  const maxStates = options.maxStates ?? Infinity;
  let capacity = INITIAL_CAPACITY;
  // A small budget gets a small first table (it must at least hold the initial states).
  while (capacity > 1024 && capacity * 8 * 4 > memory) capacity >>= 1;
  // What the budget holds: the store's share, and what the seen table can grow to beside it.
  const memoryStates = Math.max(1, Math.min(plan.maxStates, tableStateLimit(capacity, plan.storeBytesPerState, plan.maxStates, memory)));
  // The store is reserved for the most states the budget allows; if the operating system refuses
  // that much address space, for as much as it grants (and the exploration stops there).
  const { store, capacity: stateLimit } = reserveStore(W, Math.max(1, Math.min(maxStates, memoryStates)));
  const limitReason: StopReason = maxStates <= stateLimit ? 'maxStates' : 'memory';
  const sv = new StoreView(store);
  let table: SeenTable = createSeenTable(capacity);
  let seen = new SeenView(table);

  const fired = new Float64Array(nActions);
  const found = new Float64Array(nActions);
  const violations = new Map<string, Violation>();
  const checked = options.check;
  const stopWhenAllViolated = options.stopWhenAllViolated ?? true;
  let generated = 0;
  let stopReason: StopReason | null = null;

  /**
   * Rehashes into a table twice the size; false (stop: memory) when the budget has no room for the
   * old and the new table side by side (the state limit keeps that from happening: a safety net),
   * or the OS refuses the allocation.
   */
  const growTable = (): boolean => {
    if (!growthFits(table.capacity, plan.storeBytesPerState, plan.maxStates, memory)) return false;
    const bigger = grow(table, seen);
    if (bigger === null) return false;
    table = bigger;
    seen = new SeenView(table);
    // With worker threads, the old table's memory comes back only after a collection everywhere.
    if (pool !== undefined) collectGarbage();
    return true;
  };

  // Level 0: the initial states, deduplicated, invariants checked.
  const fp = new Int32Array(2);
  const buf = new Uint32Array(W);
  const initialInvariants = model.properties.filter((p) => p.kind === 'invariant' && checked.includes(p.name));
  for (const s of model.initialStates()) {
    generated++;
    model.canonicalize?.(s);
    model.encode(s, buf, 0);
    fingerprint(buf, 0, W, fp);
    if (sv.count >= table.capacity * GROW_AT && !growTable()) {
      stopReason = 'memory';
      break;
    }
    if (!seen.insert(fp[0]!, fp[1]!)) continue;
    const id = sv.count;
    if (id >= stateLimit) {
      // A new state past the limit: stop (only a new state past it does, as in `Expander`).
      stopReason = limitReason;
      break;
    }
    sv.states.set(buf, id * W);
    sv.parents[id] = NO_PARENT;
    sv.actions[id] = 0;
    Atomics.store(sv.control, Ctl.count, id + 1);
    for (const p of initialInvariants) {
      if (p.kind === 'invariant' && !violations.has(p.name) && !p.holds(s)) {
        violations.set(p.name, { property: p.name, stateId: id, action: -1, traceLength: 0 });
      }
    }
  }

  const levelStarts = [0];
  let externalStop: StopReason | null = null;
  let stopped = (): void => {};
  const stopRequested = new Promise<void>((resolve) => (stopped = resolve));
  let terminator: ReturnType<typeof setTimeout> | undefined;
  const requestStop = (why: StopReason) => {
    externalStop ??= why;
    stopped();
    if (pool !== undefined && options.terminateAfterMs !== undefined && terminator === undefined) {
      terminator = setTimeout(() => void pool.terminate(), options.terminateAfterMs);
    }
    // Over a pending grow request too (which would otherwise reset the flag), not over a full store.
    for (let cur = Atomics.load(sv.control, Ctl.stop); cur !== Stop.requested && cur !== Stop.full; ) {
      const was = Atomics.compareExchange(sv.control, Ctl.stop, cur, Stop.requested);
      if (was === cur) break;
      cur = was;
    }
  };
  const onAbort = () => requestStop('interrupted');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  const timer = timeLimitTimer(options.timeLimitSeconds, () => requestStop('timeLimit'));
  const progress = options.onProgress;
  let levelEnd = sv.count;
  const distinctNow = () => Math.min(sv.count, stateLimit);
  const ticker = progress
    ? setInterval(() => {
        const distinct = distinctNow();
        const cursor = Math.min(levelEnd, Atomics.load(sv.control, Ctl.cursor));
        const inLevel = Atomics.load(sv.control, Ctl.levelGenerated) >>> 0;
        progress({ distinct, generated: generated + inLevel, queue: Math.max(0, distinct - cursor), depth: levelStarts.length, seconds: (performance.now() - t0) / 1000 });
      }, options.progressIntervalMs ?? 1000)
    : undefined;

  // This thread's expander: for every level without a pool; with one, for the levels it explores
  // alongside the workers (see `PoolOptions.callerExplores`), tiny levels, and the first levels,
  // which run while the workers are still starting.
  const local = expanderFor(model);
  // Tests: every level on the workers, once they are all up.
  const forceWorkers = pool !== undefined && options.inlineSmallLevels === false;
  // (A stop while they start, which a variant looping as it loads would make take forever, ends
  // the wait: the first level then stops at once.)
  if (forceWorkers) await Promise.race([pool.ready, stopRequested]);
  const allViolated = () => checked.length > 0 && checked.every((name) => violations.has(name));

  try {
    for (let level = 0; stopReason === null; level++) {
      const lo = levelStarts[level]!;
      const hi = sv.count;
      levelEnd = hi;
      if (lo === hi) {
        levelStarts.pop(); // the empty level past the last one
        break;
      }
      if (stopWhenAllViolated && allViolated()) {
        stopReason = 'allViolated';
        break;
      }
      if (Atomics.load(sv.control, Ctl.stop) === Stop.requested) {
        stopReason = externalStop ?? 'interrupted';
        break;
      }
      if (options.maxDepth !== undefined && level + 1 >= options.maxDepth) {
        // Depth `level + 1` is fully discovered; do not expand it. States beyond are unknown.
        stopReason = 'maxDepth';
        break;
      }
      Atomics.store(sv.control, Ctl.cursor, lo);
      // What expanding this level finds, kept apart until the level is done: a state or memory
      // limit reached in the middle of it drops all of it (see the top of this file).
      let levelGenerated = 0;
      const levelFired = new Float64Array(nActions);
      const levelFound = new Float64Array(nActions);
      const levelViolations = new Map<string, Violation>();
      let abandoned = false;
      for (;;) {
        // Who expands this level: the worker threads (when there are any and they are ready, and
        // the level is not tiny), and this thread when it explores too or when they do not.
        const workers = pool !== undefined && pool.workers > 0 && (forceWorkers || (pool.isReady && hi - lo >= TINY_LEVEL));
        const here = !workers || pool.callerExplores;
        const chunk = chunkSize(table.capacity, workers ? pool.threads : 1, nActions, hi - lo);
        const range: LevelRange = { lo, hi, chunk };
        const remaining = checked.filter((name) => !violations.has(name) && !levelViolations.has(name));
        const theirs = workers ? pool.runLevel({ store, table, check: remaining, stateLimit, range }) : Promise.resolve([]);
        // (If a worker fails, this thread stops claiming work at its next chunk and the error
        // surfaces from `theirs`.)
        theirs.catch(() => requestStop('interrupted'));
        const mine = here ? await runLocal(local, { store: sv, seen, stateLimit, exclusive: !workers }, range, remaining) : [];
        let outcomesTheirs: ExpandOutcome[];
        try {
          outcomesTheirs = await theirs;
        } catch (e) {
          // Terminated after a stop (see `terminateAfterMs`): what they found of this level is lost.
          if (!pool?.terminated) throw e;
          stopReason = externalStop ?? 'interrupted';
          abandoned = true;
          break;
        }
        const outcomes: ExpandOutcome[] = [...mine, ...outcomesTheirs];
        Atomics.store(sv.control, Ctl.levelGenerated, 0);
        for (const o of outcomes) {
          levelGenerated += o.generated;
          for (let k = 0; k < nActions; k++) {
            levelFired[k]! += o.fired[k]!;
            levelFound[k]! += o.found[k]!;
          }
          for (const v of o.violations) {
            if (levelViolations.has(v.property)) continue;
            // A new state of level L+1, or a step out of a state of level L: L+1 steps either way.
            levelViolations.set(v.property, { ...v, traceLength: level + 1 });
          }
        }
        const stop = Atomics.load(sv.control, Ctl.stop);
        // A new state past the limit stops the level, whatever else was asked at the same time
        // (the flag may say "grow" if that request came first).
        if (stop === Stop.full || sv.count > stateLimit) {
          stopReason = limitReason;
          break;
        }
        if (stop === Stop.grow && externalStop === null) {
          if (!growTable()) {
            stopReason = 'memory';
            break;
          }
          Atomics.store(sv.control, Ctl.stop, Stop.none);
          continue;
        }
        if (externalStop !== null) stopReason = externalStop;
        else if (stop === Stop.requested) stopReason = 'interrupted';
        break;
      }
      if (stopReason === 'maxStates' || stopReason === 'memory' || abandoned) {
        // The level could not be completed within the limit (or its threads were terminated):
        // drop what was found of the next level, so that the result is the complete levels, the
        // same for any number of threads.
        Atomics.store(sv.control, Ctl.count, hi);
        break;
      }
      // Done, or stopped by the clock or the user: keep what was found (a violation found in a part
      // of a level is still a shortest one, all earlier levels being complete).
      generated += levelGenerated;
      for (let k = 0; k < nActions; k++) {
        fired[k]! += levelFired[k]!;
        found[k]! += levelFound[k]!;
      }
      for (const [name, v] of levelViolations) if (!violations.has(name)) violations.set(name, v);
      if (stopReason !== null) break;
      levelStarts.push(hi);
    }
  } finally {
    if (timer) clearTimeout(timer);
    if (terminator) clearTimeout(terminator);
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
  }
  // A time limit or an abort in the middle of a level leaves a partial next level at the end of the
  // store: it is not counted in `depth` (`levelStarts` lists complete levels and the one being
  // expanded). A state or memory limit has dropped it.

  const distinct = distinctNow();
  return {
    complete: stopReason === null,
    stopReason,
    distinct,
    generated,
    depth: levelStarts.length,
    seconds: (performance.now() - t0) / 1000,
    threads,
    fired,
    found,
    violations,
    levelStarts,
    store,
    memoryBytes: distinct * plan.storeBytesPerState + table.capacity * 8,
  };
}

/**
 * Calls `fire` after `seconds`. A wait longer than a timer can hold (2^31 - 1 ms, about 24.8 days)
 * would fire at once, so it sets no timer at all: no run gets that far.
 */
export function timeLimitTimer(seconds: number | undefined, fire: () => void): ReturnType<typeof setTimeout> | undefined {
  if (seconds === undefined || Number.isNaN(seconds)) return undefined;
  const ms = Math.max(0, seconds * 1000);
  return ms <= 2 ** 31 - 1 ? setTimeout(fire, ms) : undefined;
}

/** Levels smaller than this run on the calling thread alone: a round trip to the workers costs more. */
const TINY_LEVEL = 512;

/** Runs the level on this thread in time slices, yielding to the event loop between them. */
async function runLocal<S>(local: Expander<S>, target: ExpandTarget, range: LevelRange, check: readonly string[]): Promise<ExpandOutcome[]> {
  const outcomes: ExpandOutcome[] = [];
  for (;;) {
    const o = local.run(target, range, check, performance.now() + SLICE_MS);
    outcomes.push(o);
    if (!o.yielded) return outcomes;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A table twice the size holding the same fingerprints (on this thread), or null when the memory
 * for it cannot be had.
 */
export function grow(table: SeenTable, seen = new SeenView(table)): SeenTable | null {
  let bigger: SeenTable;
  try {
    bigger = createSeenTable(table.capacity * 2);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  seen.rehashInto(new SeenView(bigger));
  return bigger;
}

/** A store for up to `want` states, or for fewer if the address space cannot be had. */
function reserveStore(words: number, want: number): { store: StateStore; capacity: number } {
  for (let capacity = want; ; capacity = Math.floor(capacity / 2)) {
    try {
      return { store: createStore(words, capacity), capacity };
    } catch (e) {
      if (!(e instanceof RangeError) || capacity <= 1024) throw e;
    }
  }
}

/** A budget that leaves room for the rest of the machine: 60% of free memory. */
export function defaultMemoryBytes(): number {
  return Math.floor(os.freemem() * 0.6);
}
