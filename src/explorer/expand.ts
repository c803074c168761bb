/**
 * The hot loop of breadth-first exploration, shared by the in-thread explorer and the worker
 * threads: claim a chunk of the current frontier, expand every state in it, record new states in
 * the shared store and check properties on every new state and every step.
 */
import { fingerprint } from './fingerprint.js';
import type { InvariantProperty, Model, TransitionProperty } from './model.js';
import { GROW_AT, HEADROOM, type SeenView } from './seen.js';
import { Ctl, type StoreView } from './store.js';

/** Why an expander stopped claiming work. */
export const Stop = { none: 0, requested: 1, grow: 2, full: 3 } as const;

/** A property violation found while expanding: the state, or the step (`pre`, `action`). */
export interface FoundViolation {
  readonly property: string;
  /** Invariant: the violating state's id. Transition: the pre-state's id. */
  readonly stateId: number;
  /** Transition: the action instance of the violating step; invariant: -1. */
  readonly action: number;
}

export interface ExpandOutcome {
  generated: number;
  /** Per action instance: how often it fired (enabled instances) and how many new states it found. */
  fired: Float64Array;
  found: Float64Array;
  violations: FoundViolation[];
  /** The stop flag seen when this expander gave up claiming work (`Stop.none`: frontier done). */
  stop: number;
  /** Gave up only because its time slice ended; the frontier may have work left. */
  yielded: boolean;
}

export interface LevelRange {
  /** Frontier ids `[lo, hi)`. */
  readonly lo: number;
  readonly hi: number;
  readonly chunk: number;
}

/**
 * Generated states are fingerprinted as they are emitted but looked up in the seen table in
 * batches of about this many. A lookup in a table much larger than the caches is a cache and TLB
 * miss of a few hundred nanoseconds; touching the home slots of a whole batch in one tight loop
 * lets the processor have many of those misses in flight at once, before the probes need them.
 * New states of a batch get their ids with one atomic add.
 */
const BATCH = 64;

/** Where a run expands: the shared store and table, and how this thread may use them. */
export interface ExpandTarget {
  readonly store: StoreView;
  readonly seen: SeenView;
  /** Number of distinct states the store can hold; a new state past it stops exploration (`Stop.full`). */
  readonly stateLimit: number;
  /** No other thread uses the table during the run: claim slots with plain stores. */
  readonly exclusive: boolean;
}

const NO_U32 = new Uint32Array(0);
const NO_I32 = new Int32Array(0);

/**
 * Expands states into a store and a seen table. One per model and thread (`expanderFor`), kept for
 * the thread's life: its callbacks are what the model's successor functions call, and V8 compiles
 * those calls for the callback it has seen, so a new callback object per level or per exploration
 * would throw the model's compiled code away each time. `run` attaches to an exploration's buffers
 * for one level (or time slice) and lets go of them when it returns, and the hot path allocates
 * nothing.
 *
 * Atomic operations cost tens of nanoseconds each in V8 (they are calls, not instructions), so the
 * hot path uses as few as it can: table slots are read with plain loads (a stale read only sends
 * the insert to the compare-and-swap, which decides), a compare-and-swap is spent only on a new
 * state (and none at all when this expander is the table's only user), and ids are handed out per
 * batch.
 */
export class Expander<S> {
  private readonly expandState: (id: number) => void;
  private readonly flush: () => void;
  private readonly attach: (target: ExpandTarget, check: readonly string[]) => void;
  private readonly detach: (stop: number, yielded: boolean) => ExpandOutcome;
  /** Adds the states generated since the last report to the level's shared count. */
  private readonly report: (control: Int32Array) => void;
  private running = false;

  constructor(readonly model: Model<S>) {
    const W = model.stateWords;
    const nActions = model.actions.length;
    const cur = model.scratch();
    const post = model.scratch();
    // The batch: packed words, fingerprint, action and parent of each generated state.
    const room = BATCH + nActions;
    const gen = new Uint32Array(room * W);
    const fp = new Int32Array(2);
    const genLo = new Int32Array(room);
    const genHi = new Int32Array(room);
    const genAction = new Uint32Array(room);
    const genParent = new Uint32Array(room);
    const isNew = new Uint8Array(room);
    const genSlot = new Int32Array(room);
    let n = 0;
    /** Keeps the touching loads alive (an unused load could be optimised away). */
    let sink = 0;

    // The run's target and statistics, set by `attach`.
    let states: Uint32Array = NO_U32;
    let parents: Uint32Array = NO_U32;
    let actions: Uint32Array = NO_U32;
    let control: Int32Array = NO_I32;
    let ints: Int32Array = NO_I32;
    let mask = 0;
    let stateLimit = 0;
    let exclusive = false;
    let generated = 0;
    let fired = new Float64Array(nActions);
    let found = new Float64Array(nActions);
    let violations: FoundViolation[] = [];
    let violated = new Set<string>();
    let invariants: InvariantProperty<S>[] = [];
    let transitions: TransitionProperty<S>[] = [];
    let nInv = 0;
    let nTr = 0;
    let curId = 0;

    /** Looks the batch up in the table and appends its new states to the store. */
    const flush = () => {
      const m = n;
      if (m === 0) return;
      n = 0;
      // First touch every home slot in a tight loop, so that their cache misses overlap (the
      // loads are independent), then probe.
      let touched = 0;
      for (let j = 0; j < m; j++) {
        const slot = (genHi[j]! ^ Math.imul(genLo[j]!, 0x9e3779b1)) & mask;
        genSlot[j] = slot;
        touched |= ints[slot << 1]!;
      }
      sink ^= touched;
      let fresh = 0;
      for (let j = 0; j < m; j++) {
        const lo = genLo[j]!;
        const hi = genHi[j]!;
        let slot = genSlot[j]!;
        let added = 0;
        for (;;) {
          const at = slot << 1;
          let l = ints[at]!;
          if (l === 0) {
            if (exclusive) {
              ints[at] = lo;
              ints[at + 1] = hi;
              added = 1;
              break;
            }
            l = Atomics.compareExchange(ints, at, 0, lo);
            if (l === 0) {
              ints[at + 1] = hi;
              added = 1;
              break;
            }
            // Another thread took the slot first; l is what it wrote.
          }
          if (l === lo) {
            let h = ints[at + 1]!;
            while (h === 0) h = Atomics.load(ints, at + 1); // its writer is between its two stores
            if (h === hi) break;
          }
          slot = (slot + 1) & mask;
        }
        isNew[j] = added;
        fresh += added;
      }
      if (fresh === 0) return;
      const id0 = Atomics.add(control, Ctl.count, fresh);
      // Past the limit a state cannot be kept: stop. The count still says how many were found.
      const keep = Math.max(0, Math.min(fresh, stateLimit - id0));
      if (keep < fresh) Atomics.compareExchange(control, Ctl.stop, Stop.none, Stop.full);
      let id = id0;
      for (let j = 0; j < m && id < id0 + keep; j++) {
        if (isNew[j] === 0) continue;
        const from = j * W;
        const to = id * W;
        for (let w = 0; w < W; w++) states[to + w] = gen[from + w]!;
        parents[id] = genParent[j]!;
        const k = genAction[j]!;
        actions[id] = k;
        found[k]!++;
        if (nInv > 0) {
          model.decode(gen, from, post);
          for (let v = 0; v < nInv; v++) {
            const p = invariants[v]!;
            if (!violated.has(p.name) && !p.holds(post)) {
              violated.add(p.name);
              violations.push({ property: p.name, stateId: id, action: -1 });
            }
          }
        }
        id++;
      }
    };
    this.flush = flush;

    const canonicalize = model.canonicalize?.bind(model);
    const emit = (k: number, next: S): void => {
      generated++;
      fired[k]!++;
      const at = n * W;
      for (let t = 0; t < nTr; t++) {
        const p = transitions[t]!;
        if (!p.holds(cur, next, k) && !violated.has(p.name)) {
          violated.add(p.name);
          violations.push({ property: p.name, stateId: curId, action: k });
        }
      }
      // Under symmetry the step is judged as taken (above), then stored as its class's representative.
      if (canonicalize !== undefined) canonicalize(next);
      model.encode(next, gen, at);
      fingerprint(gen, at, W, fp);
      genLo[n] = fp[0]!;
      genHi[n] = fp[1]!;
      genAction[n] = k;
      genParent[n] = curId;
      n++;
    };

    this.expandState = (id: number) => {
      curId = id;
      model.decode(states, id * W, cur);
      model.successors(cur, emit);
      if (n >= BATCH) flush();
    };

    let reported = 0;
    this.report = (ctl: Int32Array) => {
      if (generated !== reported) Atomics.add(ctl, Ctl.levelGenerated, generated - reported);
      reported = generated;
    };

    this.attach = (target: ExpandTarget, check: readonly string[]) => {
      states = target.store.states;
      parents = target.store.parents;
      actions = target.store.actions;
      control = target.store.control;
      ints = target.seen.ints;
      mask = target.seen.mask;
      stateLimit = target.stateLimit;
      exclusive = target.exclusive;
      const want = new Set(check);
      invariants = model.properties.filter((p): p is InvariantProperty<S> => p.kind === 'invariant' && want.has(p.name));
      transitions = model.properties.filter((p): p is TransitionProperty<S> => p.kind === 'transition' && want.has(p.name));
      nInv = invariants.length;
      nTr = transitions.length;
      generated = 0;
      reported = 0;
      fired = new Float64Array(nActions);
      found = new Float64Array(nActions);
      violations = [];
      violated = new Set();
    };

    this.detach = (stop: number, yielded: boolean) => {
      const outcome = { generated, fired, found, violations, stop, yielded: yielded && sink !== 0.5 };
      states = parents = actions = NO_U32;
      control = ints = NO_I32;
      mask = 0;
      return outcome;
    };
  }

  /**
   * Expands chunks of `range` until the frontier is exhausted, a stop is requested, or (when
   * `yieldAt` is given) the clock passes it, so an explorer on the main thread stays responsive.
   * New states are all in the store when it returns.
   */
  run(target: ExpandTarget, range: LevelRange, check: readonly string[], yieldAt = Infinity): ExpandOutcome {
    if (this.running) throw new Error('Expander.run is not re-entrant');
    this.running = true;
    this.attach(target, check);
    const control = target.store.control;
    const growAt = Math.floor(target.seen.table.capacity * GROW_AT);
    const { expandState, flush } = this;
    let stop: number = Stop.none;
    let yielded = false;
    try {
      for (;;) {
        if (yieldAt !== Infinity && performance.now() >= yieldAt) {
          yielded = true;
          break;
        }
        stop = Atomics.load(control, Ctl.stop);
        if (stop !== Stop.none) break;
        // (Reaching the state limit stops nothing by itself: only a new state past it does, in flush.)
        const count = Atomics.load(control, Ctl.count);
        if (count >= growAt) {
          Atomics.compareExchange(control, Ctl.stop, Stop.none, Stop.grow);
          continue;
        }
        const start = Atomics.add(control, Ctl.cursor, range.chunk);
        if (start >= range.hi) break;
        const end = Math.min(range.hi, start + range.chunk);
        for (let id = start; id < end; id++) expandState(id);
        flush();
        this.report(control);
      }
    } finally {
      flush();
      this.running = false;
    }
    return this.detach(stop, yielded);
  }
}

const expanders = new WeakMap<object, Expander<unknown>>();

/** This thread's expander for `model` (see `Expander`). */
export function expanderFor<S>(model: Model<S>): Expander<S> {
  let e = expanders.get(model) as Expander<S> | undefined;
  if (!e) {
    e = new Expander(model);
    expanders.set(model, e as Expander<unknown>);
  }
  return e;
}

/**
 * Frontier states per claim. Never more than keeps the table below `GROW_AT + HEADROOM` even if
 * every thread is in the middle of a chunk whose every step finds a new state.
 */
export function chunkSize(capacity: number, threads: number, actions: number, levelSize = Infinity): number {
  const room = Math.floor((capacity * HEADROOM) / (threads * Math.max(1, actions)));
  // Small enough that the threads finish a level together (a chunk is a few milliseconds of work
  // at most), large enough that claiming one costs nothing.
  const balance = threads === 1 ? 1024 : Math.max(16, Math.floor(levelSize / (threads * 16)));
  return Math.max(1, Math.min(1024, room, balance));
}
