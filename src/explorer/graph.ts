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
 *    state), freed at the end; the chunks expanded but not yet appended (a few, of 16,384 states);
 *    and, if the edge arrays outgrow their first estimate (the exploration's `generated` count),
 *    one doubling holds old and new arrays together for a moment.
 *
 * States are expanded in chunks of consecutive ids, by this thread and, with a worker pool, by the
 * worker threads too (they share the store and the lookup table); chunks are appended in id order,
 * so the graph is the same whoever expanded what.
 *
 * Steps that leave the state unchanged (self-loops) are not stored: in TLA+ terms an action is
 * only *enabled* for fairness when it can change the state (`ENABLED <<A>>_vars`), and a step that
 * changes nothing is a stuttering step, which every behaviour may take anyway.
 */
import type { Exploration } from './bfs.js';
import type { Model } from './model.js';
import type { WorkerPool } from './pool.js';
import { StoreView, type StateStore } from './store.js';

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

/**
 * A state predicate to label the graph with, by name, so that worker threads can evaluate it too:
 * the `p` (or, for leads-to, the `q`) of a liveness property of the model.
 */
export interface LabelRef {
  readonly property: string;
  readonly part: 'p' | 'q';
}

export function labelPredicate<S>(model: Model<S>, ref: LabelRef): (s: S) => boolean {
  const p = model.properties.find((x) => x.name === ref.property);
  const f = p?.kind === 'liveness' ? (ref.part === 'p' ? p.p : p.q) : undefined;
  if (!f) throw new Error(`model '${model.name}' has no liveness property '${ref.property}' with a ${ref.part.toUpperCase()}`);
  return f;
}

export interface GraphBuildOptions {
  /** Aborting stops the build at the next time slice: the result is then `null`. */
  readonly signal?: AbortSignal;
  /** Called between time slices with the number of states expanded so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads to expand chunks on, alongside this thread (their model must be the same). */
  readonly pool?: WorkerPool;
}

/** How long this thread expands before it lets the event loop run (Ctrl-C, progress, workers). */
const SLICE_MS = 100;
/** States per chunk: a few tens of milliseconds of work. */
export const GRAPH_CHUNK = 16_384;

/**
 * Re-expands every stored state of `exploration` and returns the graph, evaluating `predicates`
 * on each state on the way (one decode per state serves both).
 */
export function buildStateGraph<S>(model: Model<S>, exploration: Exploration, predicates: readonly ((s: S) => boolean)[] = []): BuiltGraph {
  const lookup = buildLookup(exploration.store, model.stateWords, exploration.distinct);
  const expander = new ChunkExpander(model, exploration.store, lookup, predicates);
  const graph = new GraphAssembler(model.actions.length, exploration, predicates.length);
  for (let lo = 0; lo < exploration.distinct; lo += GRAPH_CHUNK) graph.append(expander.expand(lo, Math.min(exploration.distinct, lo + GRAPH_CHUNK)));
  return graph.result();
}

/**
 * `buildStateGraph` in time slices, yielding to the event loop between them so that a long build
 * shows progress and can be interrupted (`null` when `options.signal` aborted it), and spread over
 * the worker threads of `options.pool` when there is one.
 */
export async function buildStateGraphAsync<S>(
  model: Model<S>,
  exploration: Exploration,
  labels: readonly LabelRef[] = [],
  options: GraphBuildOptions = {},
): Promise<BuiltGraph | null> {
  const N = exploration.distinct;
  const lookup = buildLookup(exploration.store, model.stateWords, N);
  const local = new ChunkExpander(
    model,
    exploration.store,
    lookup,
    labels.map((ref) => labelPredicate(model, ref)),
  );
  const graph = new GraphAssembler(model.actions.length, exploration, labels.length);
  const chunks = Math.ceil(N / GRAPH_CHUNK);
  const range = (k: number) => [k * GRAPH_CHUNK, Math.min(N, (k + 1) * GRAPH_CHUNK)] as const;
  // Chunks done out of order wait here until every chunk before them is appended.
  const ready = new Map<number, EdgeChunk>();
  let appended = 0;
  const drain = () => {
    for (let c = ready.get(appended); c; c = ready.get(appended)) {
      ready.delete(appended++);
      graph.append(c);
    }
  };
  let next = 0;
  let failure: unknown = null;
  let inFlight = 0;
  const workers = options.pool && options.pool.workers > 0 && chunks > 1 ? options.pool : undefined;
  const build = ++builds;
  const feed = () => {
    // Two chunks queued per worker thread, so none waits for this thread between chunks.
    while (workers && failure === null && inFlight < 2 * workers.workers && next < chunks && !options.signal?.aborted) {
      const k = next++;
      const [lo, hi] = range(k);
      inFlight++;
      workers.runGraphChunk({ build, store: exploration.store, lookup: lookup.buffer as SharedArrayBuffer, labels, lo, hi }).then(
        (c) => {
          inFlight--;
          ready.set(k, c);
          feed();
          wake();
        },
        (e: unknown) => {
          inFlight--;
          failure ??= e;
          wake();
        },
      );
    }
  };
  // With nothing left to expand here, this thread sleeps until a worker replies or an abort.
  let wakeUp: (() => void) | null = null;
  const wake = () => {
    wakeUp?.();
    wakeUp = null;
  };
  options.signal?.addEventListener('abort', wake);
  try {
    return await run();
  } finally {
    options.signal?.removeEventListener('abort', wake);
  }

  async function run(): Promise<BuiltGraph | null> {
    for (;;) {
      feed();
      drain();
      if (failure !== null) throw failure;
      if (options.signal?.aborted) return null;
      if (appended === chunks) return graph.result();
      if (next < chunks) {
        // This thread expands chunks too, for one slice, then lets replies and signals in.
        for (const deadline = performance.now() + SLICE_MS; next < chunks && performance.now() < deadline; ) {
          const k = next++;
          const [lo, hi] = range(k);
          ready.set(k, local.expand(lo, hi));
          drain();
        }
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        await new Promise<void>((resolve) => (wakeUp = resolve));
      }
      options.onProgress?.(Math.min(N, appended * GRAPH_CHUNK), N);
    }
  }
}

/** Names a graph build for the worker threads, which keep one chunk expander per build. */
let builds = 0;

/** Exact lookup from packed words to id: slots hold id + 1, 0 is empty (shared with workers). */
function buildLookup(store: StateStore, W: number, N: number): Uint32Array {
  const words = new StoreView(store).states;
  let capacity = 16;
  while (capacity < 2 * N) capacity *= 2;
  const table = new Uint32Array(new SharedArrayBuffer(capacity * 4));
  const mask = capacity - 1;
  for (let id = 0; id < N; id++) {
    let slot = hashWords(words, id * W, W) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id + 1;
  }
  return table;
}

/** The edges of states `lo .. hi-1`, as a thread expanded them. */
export interface EdgeChunk {
  readonly lo: number;
  readonly hi: number;
  /** Per state of the chunk, its number of edges. */
  readonly counts: Uint32Array;
  readonly targets: Uint32Array;
  readonly actions: Uint16Array | Uint32Array;
  /** Per label, per state of the chunk: 1 when the predicate holds. */
  readonly labels: Uint8Array[];
  readonly missing: number;
  readonly selfLoops: number;
}

/**
 * Successors are looked up in batches of about this many. Each lookup is two cache misses (the
 * table slot, then the stored words it points to, compared exactly); doing each stage for the whole
 * batch before the next lets the processor overlap the misses instead of waiting for each in turn.
 */
const BATCH = 256;

/** Expands chunks of stored states into edges; one per thread and graph build. */
export class ChunkExpander<S> {
  private readonly words: Uint32Array;
  private readonly W: number;
  private readonly mask: number;
  private readonly wide: boolean;
  private readonly cur: S;
  private readonly emit: (action: number, next: S) => void;
  // The chunk being expanded.
  private targets: Uint32Array = new Uint32Array(0);
  private actions: Uint16Array | Uint32Array = new Uint16Array(0);
  private counts: Uint32Array = new Uint32Array(0);
  private lo = 0;
  private m = 0;
  private missing = 0;
  private selfLoops = 0;
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
    store: StateStore,
    private readonly table: Uint32Array,
    private readonly predicates: readonly ((s: S) => boolean)[],
  ) {
    const W = (this.W = model.stateWords);
    this.words = new StoreView(store).states;
    const mask = (this.mask = table.length - 1);
    this.wide = model.actions.length > 0xffff;
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

  expand(lo: number, hi: number): EdgeChunk {
    const { model, predicates, words, W, cur, emit } = this;
    // A first guess (a few edges per state) that grows when a chunk has more.
    const room = 64 + (hi - lo) * 4;
    this.targets = new Uint32Array(room);
    this.actions = this.wide ? new Uint32Array(room) : new Uint16Array(room);
    this.counts = new Uint32Array(hi - lo);
    this.lo = lo;
    this.m = this.missing = this.selfLoops = 0;
    const labels = predicates.map(() => new Uint8Array(hi - lo));
    const nLabels = predicates.length;
    for (let id = lo; id < hi; id++) {
      model.decode(words, id * W, cur);
      for (let k = 0; k < nLabels; k++) if (predicates[k]!(cur)) labels[k]![id - lo] = 1;
      this.curId = id;
      model.successors(cur, emit);
      if (this.n >= BATCH) this.flush();
    }
    if (this.n > 0) this.flush();
    const m = this.m;
    return { lo, hi, counts: this.counts, targets: this.targets.subarray(0, m), actions: this.actions.subarray(0, m), labels, missing: this.missing, selfLoops: this.selfLoops };
  }

  /** Resolves the batch's successors to ids and appends them as edges, in emission order. */
  private flush(): void {
    const { table, mask, words, W, batchWords, batchSlot, batchAction, batchSource, batchHit, counts, lo } = this;
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
      if (this.m === this.targets.length) this.growChunk();
      this.targets[this.m] = t;
      this.actions[this.m] = batchAction[k]!;
      this.m++;
      counts[source - lo]!++;
    }
    this.n = 0;
  }

  private growChunk(): void {
    [this.targets, this.actions] = enlarged(this.targets, this.actions, this.targets.length * 2);
  }
}

/** Edge arrays of a larger size holding the same edges. */
function enlarged(targets: Uint32Array, actions: Uint16Array | Uint32Array, size: number): [Uint32Array, Uint16Array | Uint32Array] {
  const t2 = new Uint32Array(size);
  t2.set(targets);
  const a2 = actions instanceof Uint32Array ? new Uint32Array(size) : new Uint16Array(size);
  a2.set(actions);
  return [t2, a2];
}

/** The graph under construction: chunks appended in id order. */
class GraphAssembler {
  private readonly t0 = performance.now();
  private readonly wide: boolean;
  private room: number;
  private targets: Uint32Array;
  private actions: Uint16Array | Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly labels: Uint8Array[];
  private readonly N: number;
  private m = 0;
  private next = 0;
  private missing = 0;
  private selfLoops = 0;

  constructor(
    nActions: number,
    private readonly exploration: Exploration,
    nLabels: number,
  ) {
    this.N = exploration.distinct;
    this.wide = nActions > 0xffff;
    this.room = Math.max(1024, Math.min(exploration.generated, 2 ** 32 - 1));
    this.targets = new Uint32Array(this.room);
    this.actions = this.wide ? new Uint32Array(this.room) : new Uint16Array(this.room);
    this.offsets = new Uint32Array(this.N + 1);
    this.labels = Array.from({ length: nLabels }, () => new Uint8Array(this.N));
  }

  append(c: EdgeChunk): void {
    if (c.lo !== this.next) throw new Error(`graph chunk ${c.lo}..${c.hi} appended out of order (expected ${this.next})`);
    const edges = c.targets.length;
    while (this.m + edges > this.room) this.growEdges();
    this.targets.set(c.targets, this.m);
    this.actions.set(c.actions, this.m);
    let at = this.m;
    for (let k = 0; k < c.counts.length; k++) {
      this.offsets[c.lo + k] = at;
      at += c.counts[k]!;
    }
    this.m += edges;
    this.labels.forEach((l, k) => l.set(c.labels[k]!, c.lo));
    this.missing += c.missing;
    this.selfLoops += c.selfLoops;
    this.next = c.hi;
  }

  private growEdges(): void {
    if (this.room >= 2 ** 32 - 1) throw new RangeError('the state graph has more than 2^32 - 1 edges');
    this.room = Math.min(this.room * 2, 2 ** 32 - 1);
    [this.targets, this.actions] = enlarged(this.targets, this.actions, this.room);
  }

  result(): BuiltGraph {
    const { N, m, offsets } = this;
    offsets[N] = m;
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
