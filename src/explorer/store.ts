/**
 * Where explored states live: every distinct state's packed words, its predecessor and the action
 * that first reached it, indexed by a dense id in discovery order (so a BFS level is a range of
 * ids). Shared buffers, reserved up front for `maxStates`: the OS commits pages only when they are
 * written, so an unused reservation costs address space, not memory.
 *
 * Counterexamples are rebuilt from the predecessor links and replayed (as TLC does); no state is
 * stored twice.
 */
export const NO_PARENT = 0xffffffff;

/** Indices into the control words shared by all threads. */
export const Ctl = {
  /** Number of ids allocated so far (may pass the state limit: states found past it are counted, not kept). */
  count: 0,
  /** Next frontier id to hand out as part of a chunk. */
  cursor: 1,
  /** Non-zero: stop claiming work (0 run, 1 stop requested, 2 table must grow, 3 store full). */
  stop: 2,
  /** States generated so far in the current level, all threads together (for progress reports). */
  levelGenerated: 3,
} as const;

export interface StateStore {
  readonly words: number;
  readonly maxStates: number;
  readonly states: SharedArrayBuffer;
  readonly parents: SharedArrayBuffer;
  readonly actions: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

export function createStore(words: number, maxStates: number): StateStore {
  return {
    words,
    maxStates,
    states: new SharedArrayBuffer(maxStates * words * 4),
    parents: new SharedArrayBuffer(maxStates * 4),
    actions: new SharedArrayBuffer(maxStates * 4),
    control: new SharedArrayBuffer(64),
  };
}

/** Typed views of a store for one thread. */
export class StoreView {
  readonly states: Uint32Array;
  readonly parents: Uint32Array;
  readonly actions: Uint32Array;
  readonly control: Int32Array;
  constructor(readonly store: StateStore) {
    this.states = new Uint32Array(store.states);
    this.parents = new Uint32Array(store.parents);
    this.actions = new Uint32Array(store.actions);
    this.control = new Int32Array(store.control);
  }
  get count(): number {
    return Atomics.load(this.control, Ctl.count);
  }
}
