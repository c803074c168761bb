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

/** The build's state between time slices. */
class GraphBuilder<S> {
  private readonly t0 = performance.now();
  private readonly words: Uint32Array;
  private readonly W: number;
  readonly total: number;
  /** States expanded so far (ids `0 .. done-1`). */
  done = 0;
  private readonly wide: boolean;
  private room: number;
  private targets: Uint32Array;
  private actions: Uint16Array | Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly labels: Uint8Array[];
  private m = 0;
  private missing = 0;
  private selfLoops = 0;
  private curId = 0;
  private readonly cur: S;
  private readonly emit: (action: number, next: S) => void;

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
    const table = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let id = 0; id < N; id++) {
      let slot = hashWords(words, id * W, W) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    const buf = new Uint32Array(W);
    const find = (): number => {
      let slot = hashWords(buf, 0, W) & mask;
      for (;;) {
        const v = table[slot]!;
        if (v === 0) return NO_TARGET;
        const at = (v - 1) * W;
        let w = 0;
        while (w < W && words[at + w] === buf[w]) w++;
        if (w === W) return v - 1;
        slot = (slot + 1) & mask;
      }
    };

    this.wide = model.actions.length > 0xffff;
    this.room = Math.max(1024, Math.min(exploration.generated, 2 ** 32 - 1));
    this.targets = new Uint32Array(this.room);
    this.actions = this.wide ? new Uint32Array(this.room) : new Uint16Array(this.room);
    this.offsets = new Uint32Array(N + 1);
    this.labels = predicates.map(() => new Uint8Array(N));
    this.cur = model.scratch();

    this.emit = (action: number, next: S) => {
      model.encode(next, buf, 0);
      const t = find();
      if (t === this.curId) {
        this.selfLoops++;
        return;
      }
      if (t === NO_TARGET) this.missing++;
      if (this.m === this.room) this.growEdges();
      this.targets[this.m] = t;
      this.actions[this.m] = action;
      this.m++;
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

  /** Expands states until all are done (true) or the clock passes `deadline` (false). */
  run(deadline: number): boolean {
    const { model, predicates, labels, offsets, words, W, cur, emit, total } = this;
    const nLabels = predicates.length;
    while (this.done < total) {
      const id = this.done;
      offsets[id] = this.m;
      model.decode(words, id * W, cur);
      for (let k = 0; k < nLabels; k++) if (predicates[k]!(cur)) labels[k]![id] = 1;
      this.curId = id;
      model.successors(cur, emit);
      this.done = id + 1;
      if ((id & 1023) === 1023 && performance.now() > deadline) break;
    }
    return this.done === total;
  }

  result(): BuiltGraph {
    const N = this.total;
    const m = this.m;
    this.offsets[N] = m;
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

    const offsets = this.offsets;
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
