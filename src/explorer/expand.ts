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

export class Expander<S> {
  private readonly cur: S;
  private readonly buf: Uint32Array;
  private readonly fp = new Int32Array(2);

  constructor(
    private readonly model: Model<S>,
    private readonly store: StoreView,
    private seen: SeenView,
    /** Number of states at which exploration stops (`Stop.full`). */
    private readonly stateLimit: number,
  ) {
    this.cur = model.scratch();
    this.buf = new Uint32Array(model.stateWords);
  }

  useTable(seen: SeenView): void {
    this.seen = seen;
  }

  /**
   * Expands chunks of `range` until the frontier is exhausted, a stop is requested, or (when
   * `yieldAt` is given) the clock passes it, so an explorer on the main thread stays responsive.
   */
  run(range: LevelRange, check: readonly string[], yieldAt = Infinity): ExpandOutcome {
    const { model, store, cur, buf, fp } = this;
    const want = new Set(check);
    const invariants = model.properties.filter((p): p is InvariantProperty<S> => p.kind === 'invariant' && want.has(p.name));
    const transitions = model.properties.filter((p): p is TransitionProperty<S> => p.kind === 'transition' && want.has(p.name));
    const seen = this.seen;
    const W = model.stateWords;
    const { states, parents, actions, control } = store;
    const nActions = model.actions.length;
    const fired = new Float64Array(nActions);
    const found = new Float64Array(nActions);
    const violations: FoundViolation[] = [];
    const violated = new Set<string>();
    const growAt = Math.floor(seen.table.capacity * GROW_AT);
    const nInv = invariants.length;
    const nTr = transitions.length;
    let generated = 0;
    let curId = 0;

    const record = (property: string, stateId: number, action: number) => {
      if (violated.has(property)) return;
      violated.add(property);
      violations.push({ property, stateId, action });
    };

    const emit = (k: number, next: S) => {
      generated++;
      fired[k]!++;
      model.encode(next, buf, 0);
      fingerprint(buf, 0, W, fp);
      for (let t = 0; t < nTr; t++) {
        const p = transitions[t]!;
        if (!p.holds(cur, next, k)) record(p.name, curId, k);
      }
      if (!seen.insert(fp[0]!, fp[1]!)) return;
      const id = Atomics.add(control, Ctl.count, 1);
      const at = id * W;
      for (let w = 0; w < W; w++) states[at + w] = buf[w]!;
      parents[id] = curId;
      actions[id] = k;
      found[k]!++;
      for (let v = 0; v < nInv; v++) {
        const p = invariants[v]!;
        if (!p.holds(next)) record(p.name, id, -1);
      }
    };

    let stop: number = Stop.none;
    let yielded = false;
    for (;;) {
      if (yieldAt !== Infinity && performance.now() >= yieldAt) {
        yielded = true;
        break;
      }
      stop = Atomics.load(control, Ctl.stop);
      if (stop !== Stop.none) break;
      const count = Atomics.load(control, Ctl.count);
      if (count >= this.stateLimit) {
        Atomics.compareExchange(control, Ctl.stop, Stop.none, Stop.full);
        continue;
      }
      if (count >= growAt) {
        Atomics.compareExchange(control, Ctl.stop, Stop.none, Stop.grow);
        continue;
      }
      const start = Atomics.add(control, Ctl.cursor, range.chunk);
      if (start >= range.hi) break;
      const end = Math.min(range.hi, start + range.chunk);
      for (let id = start; id < end; id++) {
        curId = id;
        model.decode(states, id * W, cur);
        model.successors(cur, emit);
      }
    }
    return { generated, fired, found, violations, stop, yielded };
  }
}

/**
 * The largest chunk that keeps the table below `GROW_AT + HEADROOM` even if every thread is in the
 * middle of a chunk whose every step finds a new state.
 */
export function chunkSize(capacity: number, threads: number, actions: number): number {
  const room = Math.floor((capacity * HEADROOM) / (threads * Math.max(1, actions)));
  return Math.max(1, Math.min(4096, room));
}
