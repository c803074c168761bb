/**
 * The explored state graph, rebuilt after breadth-first exploration for liveness checking.
 *
 * BFS keeps only states (packed words, parent, action): enough for safety traces, not for cycles.
 * Liveness needs every edge, so after exploration every stored state is decoded and re-expanded
 * with `model.successors`, and each successor's packed words are mapped back to their id through a
 * hash table over the stored states. The comparison is exact (all packed words), not by
 * fingerprint: an edge can never point at the wrong state, and a successor that is not stored at
 * all (a fingerprint collision during BFS, or a frontier the exploration never finished) is kept
 * as an edge to `NO_TARGET`, so the action still counts as *enabled* there.
 *
 * Layout (compressed sparse rows): the edges of state `s` are `offsets[s] .. offsets[s+1]`, each a
 * target id and the action instance that produced it, in the order the model emitted them (so
 * every walk over this graph is deterministic, whatever thread discovered which id).
 *
 * Memory:
 *  - per edge: 4 bytes (target, Uint32) + 2 bytes (action, Uint16; 4 bytes when the model has more
 *    than 65,535 action instances) = 6 bytes;
 *  - per state: 4 bytes (offset) + 1 byte per state predicate evaluated on the way (`labels`);
 *  - while building only: the lookup table, one Uint32 per slot at load <= 1/2 (8 to 16 bytes per
 *    state), freed at the end; and, if the edge arrays outgrow their first estimate (the
 *    exploration's `generated` count), one doubling holds old and new arrays together for a moment.
 *
 * Steps that leave the state unchanged (self-loops) are not stored: in TLA+ terms an action is
 * only *enabled* for fairness when it can change the state (`ENABLED <<A>>_vars`), and a step that
 * changes nothing is a stuttering step, which every behaviour may take anyway.
 */
import type { Exploration } from './bfs.js';
import type { Model } from './model.js';
import { StoreView } from './store.js';

/** Edge target of a successor that is not among the stored states. */
export const NO_TARGET = 0xffffffff;

export interface StateGraph {
  /** Number of states (ids `0 .. states-1`, as in the exploration's store). */
  readonly states: number;
  readonly edges: number;
  /** `states + 1` entries: the edges of `s` are `offsets[s] .. offsets[s+1]`. */
  readonly offsets: Uint32Array;
  /** Per edge: the target state id, or `NO_TARGET`. */
  readonly targets: Uint32Array;
  /** Per edge: the action instance (`ActionInstance.index`). */
  readonly actions: Uint16Array | Uint32Array;
  /** Ids of the initial states, in the order the model listed them. */
  readonly initial: Uint32Array;
  /** Edges whose successor is not stored (`NO_TARGET`). */
  readonly missing: number;
  /** Steps that changed nothing (not stored). */
  readonly selfLoops: number;
  /** Bytes held by the graph (offsets, targets, actions, labels). */
  readonly bytes: number;
  readonly seconds: number;
}

export interface BuiltGraph {
  readonly graph: StateGraph;
  /** One array per requested label: `labels[k][s]` is 1 when predicate `k` holds in state `s`. */
  readonly labels: Uint8Array[];
}

export interface GraphBuildOptions {
  /** Aborting stops the build at the next time slice: the result is then `null`. */
  readonly signal?: AbortSignal;
  /** Called between time slices with the number of states expanded so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** How long the asynchronous build works before it lets the event loop run (Ctrl-C, progress). */
const SLICE_MS = 100;

/**
 * Re-expands every stored state of `exploration` and returns the graph, evaluating `predicates`
 * on each state on the way (one decode per state serves both).
 */
export function buildStateGraph<S>(model: Model<S>, exploration: Exploration, predicates: readonly ((s: S) => boolean)[] = []): BuiltGraph {
  const builder = new GraphBuilder(model, exploration, predicates);
  builder.run(Infinity);
  return builder.result();
}

/**
 * `buildStateGraph` in time slices, yielding to the event loop between them so that a long build
 * shows progress and can be interrupted; `null` when `options.signal` aborted it.
 */
export async function buildStateGraphAsync<S>(
  model: Model<S>,
  exploration: Exploration,
  predicates: readonly ((s: S) => boolean)[] = [],
  options: GraphBuildOptions = {},
): Promise<BuiltGraph | null> {
  const builder = new GraphBuilder(model, exploration, predicates);
  for (;;) {
    if (options.signal?.aborted) return null;
    if (builder.run(performance.now() + SLICE_MS)) return builder.result();
    options.onProgress?.(builder.done, builder.total);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Successors are looked up in batches of about this many. Each lookup is two cache misses (the
 * table slot, then the stored words it points to, compared exactly); doing each stage for the whole
 * batch before the next lets the processor overlap the misses instead of waiting for each in turn.
 */
const BATCH = 256;

/** The build's state between time slices. */
class GraphBuilder<S> {
  private readonly t0 = performance.now();
  private readonly words: Uint32Array;
  private readonly W: number;
  readonly total: number;
  /** States expanded so far (ids `0 .. done-1`); their edges are all stored once `run` returns. */
  done = 0;
  private readonly wide: boolean;
  private room: number;
  private targets: Uint32Array;
  private actions: Uint16Array | Uint32Array;
  /** Until `result`: `offsets[s + 1]` counts the edges of `s`; then the prefix sums. */
  private readonly offsets: Uint32Array;
  private readonly labels: Uint8Array[];
  private readonly table: Uint32Array;
  private readonly mask: number;
  private m = 0;
  private missing = 0;
  private selfLoops = 0;
  private readonly cur: S;
  private readonly emit: (action: number, next: S) => void;
  // The batch: each successor's packed words, table slot, action and source state.
  private n = 0;
  private curId = 0;
  private readonly batchWords: Uint32Array;
  private readonly batchSlot: Int32Array;
  private readonly batchAction: Uint32Array;
  private readonly batchSource: Uint32Array;
  private readonly batchHit: Uint32Array;
  /** Keeps the touching loads alive (an unused load could be optimised away). */
  private sink = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly exploration: Exploration,
    private readonly predicates: readonly ((s: S) => boolean)[],
  ) {
    const view = new StoreView(exploration.store);
    const N = (this.total = exploration.distinct);
    const W = (this.W = model.stateWords);
    const words = (this.words = view.states);

    // Exact lookup: packed words -> id. Slots hold id + 1, 0 is empty.
    let capacity = 16;
    while (capacity < 2 * N) capacity *= 2;
    const table = (this.table = new Uint32Array(capacity));
    const mask = (this.mask = capacity - 1);
    for (let id = 0; id < N; id++) {
      let slot = hashWords(words, id * W, W) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }

    this.wide = model.actions.length > 0xffff;
    this.room = Math.max(1024, Math.min(exploration.generated, 2 ** 32 - 1));
    this.targets = new Uint32Array(this.room);
    this.actions = this.wide ? new Uint32Array(this.room) : new Uint16Array(this.room);
    this.offsets = new Uint32Array(N + 1);
    this.labels = predicates.map(() => new Uint8Array(N));
    this.cur = model.scratch();

    const room = BATCH + model.actions.length;
    const batchWords = (this.batchWords = new Uint32Array(room * W));
    const batchSlot = (this.batchSlot = new Int32Array(room));
    const batchAction = (this.batchAction = new Uint32Array(room));
    const batchSource = (this.batchSource = new Uint32Array(room));
    this.batchHit = new Uint32Array(room);
    this.emit = (action: number, next: S) => {
      const k = this.n++;
      model.encode(next, batchWords, k * W);
      batchSlot[k] = hashWords(batchWords, k * W, W) & mask;
      batchAction[k] = action;
      batchSource[k] = this.curId;
    };
  }

  private growEdges(): void {
    if (this.room >= 2 ** 32 - 1) throw new RangeError('the state graph has more than 2^32 - 1 edges');
    this.room = Math.min(this.room * 2, 2 ** 32 - 1);
    const t2 = new Uint32Array(this.room);
    t2.set(this.targets);
    this.targets = t2;
    const a2 = this.wide ? new Uint32Array(this.room) : new Uint16Array(this.room);
    a2.set(this.actions);
    this.actions = a2;
  }

  /** Resolves the batch's successors to ids and appends them as edges, in emission order. */
  private flush(): void {
    const { table, mask, words, W, batchWords, batchSlot, batchAction, batchSource, batchHit, offsets } = this;
    const n = this.n;
    let sink = this.sink;
    // Stage 1: touch every home slot; stage 2: the stored words each one points at.
    for (let k = 0; k < n; k++) sink ^= table[batchSlot[k]!]!;
    for (let k = 0; k < n; k++) {
      const v = table[batchSlot[k]!]!;
      batchHit[k] = v;
      if (v !== 0) sink ^= words[(v - 1) * W]!;
    }
    this.sink = sink;
    // Stage 3: the exact probes, now mostly in cache.
    for (let k = 0; k < n; k++) {
      const off = k * W;
      let slot = batchSlot[k]!;
      let v = batchHit[k]!;
      let t = NO_TARGET;
      while (v !== 0) {
        const at = (v - 1) * W;
        let w = 0;
        while (w < W && words[at + w] === batchWords[off + w]) w++;
        if (w === W) {
          t = v - 1;
          break;
        }
        slot = (slot + 1) & mask;
        v = table[slot]!;
      }
      const source = batchSource[k]!;
      if (t === source) {
        this.selfLoops++;
        continue;
      }
      if (t === NO_TARGET) this.missing++;
      if (this.m === this.room) this.growEdges();
      this.targets[this.m] = t;
      this.actions[this.m] = batchAction[k]!;
      this.m++;
      offsets[source + 1]!++;
    }
    this.n = 0;
  }

  /** Expands states until all are done (true) or the clock passes `deadline` (false). */
  run(deadline: number): boolean {
    const { model, predicates, labels, words, W, cur, emit, total } = this;
    const nLabels = predicates.length;
    while (this.done < total) {
      const id = this.done;
      model.decode(words, id * W, cur);
      for (let k = 0; k < nLabels; k++) if (predicates[k]!(cur)) labels[k]![id] = 1;
      this.curId = id;
      model.successors(cur, emit);
      this.done = id + 1;
      if (this.n >= BATCH) {
        this.flush();
        if (performance.now() > deadline) break;
      }
    }
    if (this.n > 0) this.flush();
    return this.done === total;
  }

  result(): BuiltGraph {
    const N = this.total;
    const m = this.m;
    const offsets = this.offsets;
    for (let s = 0; s < N; s++) offsets[s + 1]! += offsets[s]!;
    let { targets, actions } = this;
    // Give back the unused tail when it is worth a copy.
    if (this.room - m > (m >> 3) + 1024) {
      targets = targets.slice(0, m);
      actions = actions.slice(0, m);
    }

    // Level 0 holds the initial states, in the order the model listed them.
    const levels = this.exploration.levelStarts;
    const firstLevelEnd = Math.min(N, levels.length > 1 ? levels[1]! : N);
    const initial = new Uint32Array(Math.max(0, firstLevelEnd - (levels[0] ?? 0)));
    for (let k = 0; k < initial.length; k++) initial[k] = (levels[0] ?? 0) + k;

    const bytes = offsets.byteLength + targets.byteLength + actions.byteLength + this.labels.length * N;
    const graph = { states: N, edges: m, offsets, targets, actions, initial, missing: this.missing, selfLoops: this.selfLoops, bytes, seconds: (performance.now() - this.t0) / 1000 };
    return { graph, labels: this.labels };
  }
}

/** A 32-bit mix of packed words (murmur3-style); only for the lookup table. */
function hashWords(words: Uint32Array, off: number, n: number): number {
  let h = 0x2f0b3c5d ^ n;
  for (let k = 0; k < n; k++) {
    let x = Math.imul(words[off + k]!, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    h ^= Math.imul(x, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
