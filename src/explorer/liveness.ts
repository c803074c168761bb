/**
 * Liveness under fairness, over the explored state graph (see `graph.ts`), for any model.
 *
 * A property fails when some *fair* behaviour violates it. Behaviours of a finite graph end in one
 * of two ways, and both are searched:
 *
 *  - a cycle: what matters is the set of states and edges visited infinitely often, a strongly
 *    connected piece `C` of the graph. It is fair when every weakly fair group enabled in *every*
 *    state of `C` has an edge in `C`, and every strongly fair group enabled in *some* state of `C`
 *    has an edge in `C` (enabled is judged on the whole graph, taken on the edges of `C`);
 *  - stuttering forever at a state `s`: fair exactly when no fair group is enabled at `s` (a
 *    terminal state is the simplest case).
 *
 * Fair pieces are found as in TLC and Emerson-Lei: strongly connected components (Tarjan); a
 * component in which a weakly fair group is enabled everywhere but never taken contains no fair
 * cycle at all (every sub-cycle has the same defect); a component in which a strongly fair group
 * is enabled somewhere but never taken loses the states where that group is enabled, and what is
 * left is split into components again. What survives are the maximal fair pieces.
 *
 * Per form (`X` is the predicate whose failing states are searched):
 *  - `<>[]P` fails on a fair piece of the whole graph that contains a `¬P` state, or a fair
 *    stutter at a `¬P` state; the prefix is any path;
 *  - `[]<>P` fails on a fair piece (or stutter) inside the `¬P` states; the prefix is any path;
 *  - `<>P` as `[]<>P`, but the prefix too must stay in `¬P` from an initial state;
 *  - `P ~> Q` fails on a fair piece (or stutter) inside the `¬Q` states, reached by a path that
 *    passes a `P ∧ ¬Q` state and stays in `¬Q` from there on (a two-phase product search).
 *
 * Prefixes are shortest (breadth-first from the initial states, in model order, so the result does
 * not depend on which thread found which state). The loop starts where the prefix enters the
 * fair piece and takes, greedily nearest first, one edge of each fair group the fairness
 * conditions need (or visits a state where a weakly fair group is disabled), and a `¬P` state for
 * `<>[]P`, then returns to its start.
 *
 * Memory on top of the graph (see `graph.ts`: 6 bytes per edge, 4 per state, 1 per state and
 * predicate), per state: 4 bytes (regions), 21 (Tarjan), 1 (stutter flags), up to 3 for the
 * property being checked (targets, region, trigger), 8 during the prefix search (16 for `~>`) and
 * 12 while a loop is built. The graph is built by all threads in time slices (`checkLivenessAsync`,
 * interruptible); the decision on it runs synchronously on the calling thread.
 */
import type { Exploration } from './bfs.js';
import { buildStateGraph, buildStateGraphAsync, labelPredicate, NO_TARGET, type BuiltGraph, type GraphBuildOptions, type LabelRef, type StateGraph } from './graph.js';
import type { LivenessForm, LivenessProperty, Model } from './model.js';
import { Tarjan } from './scc.js';
import { StoreView } from './store.js';
import type { TraceStep } from './trace.js';

/** A fair action instance that cannot fire where a behaviour stutters, and the guard conditions that fail. */
export interface DisabledAction {
  readonly label: string;
  readonly actionIndex: number;
  /** Names of the failing guard conditions (`model.explain`); `['unchanged']` if it is enabled but changes nothing. */
  readonly failing: readonly string[];
}

/**
 * A counterexample that ends in a cycle: `prefix[0]` is an initial state (action `null`), each
 * further step is one action; the `loop` steps continue from the last prefix state, and the last
 * loop step arrives back at `prefix[backTo]` (its state is that state again).
 */
export interface LoopLasso<S> {
  readonly prefix: readonly TraceStep<S>[];
  readonly loop: { readonly steps: readonly TraceStep<S>[]; readonly backTo: number };
}

/** A counterexample that ends by stuttering forever at the last prefix state (`stutter.state`). */
export interface StutterLasso<S> {
  readonly prefix: readonly TraceStep<S>[];
  readonly stutter: { readonly state: S; readonly disabled: readonly DisabledAction[] };
}

export type Lasso<S> = LoopLasso<S> | StutterLasso<S>;

export interface LivenessVerdict<S> {
  readonly property: string;
  readonly form: LivenessForm;
  /**
   * `unknown`: no violation among the states explored, but the graph is not the whole state space
   * (exploration stopped early, or a successor was missing from the store). A violation found in
   * a partial graph is real: every state's enabled actions are recomputed, so fairness is exact.
   */
  readonly verdict: 'holds' | 'violated' | 'unknown';
  readonly lasso?: Lasso<S>;
  readonly reason?: string;
}

export interface LivenessOptions {
  /** Called once the state graph is built (sizes, memory, time) for progress and statistics. */
  readonly onGraph?: (graph: StateGraph) => void;
}

export interface AsyncLivenessOptions extends LivenessOptions, GraphBuildOptions {}

/**
 * Checks the named liveness properties of `model` over the states of `exploration`, under the
 * fairness of `model.actions`. Returns one verdict per name, in the order given.
 */
export function checkLiveness<S>(
  model: Model<S>,
  exploration: Exploration,
  propertyNames: readonly string[],
  options: LivenessOptions = {},
): Map<string, LivenessVerdict<S>> {
  const query = livenessQuery(model, propertyNames);
  if (query.props.length === 0) return new Map();
  const built = buildStateGraph(model, exploration, query.predicates);
  options.onGraph?.(built.graph);
  return decide(model, exploration, query, built);
}

/**
 * `checkLiveness` for long runs: the state graph (most of the work) is built in time slices, with
 * progress, and an abort stops it; every verdict is then `unknown` ("interrupted").
 */
export async function checkLivenessAsync<S>(
  model: Model<S>,
  exploration: Exploration,
  propertyNames: readonly string[],
  options: AsyncLivenessOptions = {},
): Promise<Map<string, LivenessVerdict<S>>> {
  const query = livenessQuery(model, propertyNames);
  if (query.props.length === 0) return new Map();
  const built = await buildStateGraphAsync(model, exploration, query.labels, options);
  if (!built) {
    const reason = 'interrupted while building the state graph';
    return new Map(query.props.map((p) => [p.name, { property: p.name, form: p.form, verdict: 'unknown', reason }]));
  }
  options.onGraph?.(built.graph);
  return decide(model, exploration, query, built);
}

interface LivenessQuery<S> {
  readonly props: readonly LivenessProperty<S>[];
  /** The state predicates to label the graph with: each property's P, then Q for leads-to. */
  readonly labels: readonly LabelRef[];
  readonly predicates: readonly ((s: S) => boolean)[];
  /** Per property: the index of its P in `predicates` (Q follows it). */
  readonly slot: readonly number[];
}

function livenessQuery<S>(model: Model<S>, propertyNames: readonly string[]): LivenessQuery<S> {
  const props = propertyNames.map((name) => {
    const p = model.properties.find((x) => x.name === name);
    // The caller's (or the model's) mistake, not the user's: callers pass property names they have
    // resolved against the model (src/scenario), as for simulate's arguments.
    if (!p) throw new RangeError(`unknown property '${name}' for model '${model.name}'`);
    if (p.kind !== 'liveness') throw new RangeError(`'${name}' is a ${p.kind} property, not a liveness property`);
    if (p.form === 'leadsTo' && !p.q) throw new RangeError(`'${name}' is a leads-to property without a Q`);
    return p;
  });
  const labels: LabelRef[] = [];
  const slot = props.map((p) => {
    const at = labels.length;
    labels.push({ property: p.name, part: 'p' });
    if (p.form === 'leadsTo') labels.push({ property: p.name, part: 'q' });
    return at;
  });
  return { props, labels, predicates: labels.map((ref) => labelPredicate(model, ref)), slot };
}

function decide<S>(model: Model<S>, exploration: Exploration, query: LivenessQuery<S>, { graph, labels }: BuiltGraph): Map<string, LivenessVerdict<S>> {
  const { props, slot } = query;
  const checker = new LivenessChecker(model, exploration, graph);

  // `<>[]P` properties share one decomposition of the whole graph: do them first.
  const order = props.map((_, k) => k).sort((a, b) => Number(props[b]!.form === 'eventuallyAlways') - Number(props[a]!.form === 'eventuallyAlways'));
  const found = new Map<string, Lasso<S> | null>();
  for (const k of order) {
    const p = props[k]!;
    found.set(p.name, checker.search(p.form, labels[slot[k]!]!, p.form === 'leadsTo' ? labels[slot[k]! + 1]! : null));
  }

  const partial = !exploration.complete
    ? `exploration stopped early (${exploration.stopReason ?? 'incomplete'}): no violation among the ${exploration.distinct} states explored`
    : graph.missing > 0
      ? `${graph.missing} successors are not among the stored states (fingerprint collisions?)`
      : null;
  const results = new Map<string, LivenessVerdict<S>>();
  for (const p of props) {
    const lasso = found.get(p.name) ?? null;
    if (lasso) results.set(p.name, { property: p.name, form: p.form, verdict: 'violated', lasso });
    else if (partial) results.set(p.name, { property: p.name, form: p.form, verdict: 'unknown', reason: partial });
    else results.set(p.name, { property: p.name, form: p.form, verdict: 'holds' });
  }
  return results;
}

/** Fair groups of a model: which group each action instance belongs to, and whether it is strong. */
class Fairness {
  /** Per action instance: its fair group, or -1 when it is not fair (an unfair member of a group is not part of it). */
  readonly groupOf: Int32Array;
  /** Per group: 1 when strongly fair (a group with any strongly fair member is strong). */
  readonly strong: Uint8Array;
  readonly count: number;

  constructor(model: Model<unknown>) {
    const ids = new Map<string, number>();
    const strong: number[] = [];
    this.groupOf = new Int32Array(model.actions.length).fill(-1);
    for (const a of model.actions) {
      if (a.fairness === 'none') continue;
      let g = ids.get(a.fairGroup);
      if (g === undefined) {
        g = ids.size;
        ids.set(a.fairGroup, g);
        strong.push(0);
      }
      if (a.fairness === 'strong') strong[g] = 1;
      this.groupOf[a.index] = g;
    }
    this.count = ids.size;
    this.strong = Uint8Array.from(strong);
  }
}

/** Marks in the breadth-first parent array: not reached yet, and the search's root. */
const UNSEEN = 0xffffffff,
  ROOT = 0xfffffffe;
/** What `judge` says of a component: fair (a violation), unfair, or to be split further. */
const FAIR = 0,
  UNFAIR = 1,
  PRUNE = 2;
/** Target kinds: a state of a violating fair component, or a violating fair stutter state. */
const IN_CYCLE = 1,
  STUTTER = 2;

class LivenessChecker<S> {
  private readonly fair: Fairness;
  private readonly tarjan: Tarjan;
  /**
   * Per state, after a decomposition: > 0 not in any fair piece, 0 outside the searched region,
   * `-k` in the k-th fair piece (k >= 1).
   */
  private readonly region: Int32Array;
  private pieces = 0;
  /** What `region` currently holds: the whole graph's decomposition, or a restricted one. */
  private decomposed: 'none' | 'whole' | 'restricted' = 'none';
  private stutterFlags: Uint8Array | null = null;
  // Scratch per fair group.
  private readonly enabledCount: Int32Array;
  private readonly lastState: Int32Array;
  private readonly taken: Uint8Array;
  private readonly bad: Uint8Array;
  private readonly words: Uint32Array;

  constructor(
    private readonly model: Model<S>,
    exploration: Exploration,
    private readonly g: StateGraph,
  ) {
    this.fair = new Fairness(model as Model<unknown>);
    this.tarjan = new Tarjan(g);
    this.region = new Int32Array(g.states);
    const G = this.fair.count;
    this.enabledCount = new Int32Array(G);
    this.lastState = new Int32Array(G);
    this.taken = new Uint8Array(G);
    this.bad = new Uint8Array(G);
    this.words = new StoreView(exploration.store).states;
  }

  /** A lasso violating the property, or null. `p` and `q` are the predicate arrays. */
  search(form: LivenessForm, p: Uint8Array, q: Uint8Array | null): Lasso<S> | null {
    const N = this.g.states;
    const stutter = this.stutters();
    const region = this.region;
    const target = new Uint8Array(N);
    let allowed: Uint8Array | null = null;
    let trigger: Uint8Array | null = null;
    let visit: Uint8Array | null = null;

    if (form === 'eventuallyAlways') {
      if (this.decomposed !== 'whole') {
        region.fill(1);
        this.decompose();
        this.decomposed = 'whole';
      }
      // Pieces with a ¬P state violate; so does stuttering at a ¬P state.
      const badPiece = new Uint8Array(this.pieces + 1);
      for (let s = 0; s < N; s++) if (p[s] === 0 && region[s]! < 0) badPiece[-region[s]!] = 1;
      for (let s = 0; s < N; s++) {
        if (p[s] === 0 && stutter[s] === 1) target[s] = STUTTER;
        else if (region[s]! < 0 && badPiece[-region[s]!] === 1) target[s] = IN_CYCLE;
      }
      visit = new Uint8Array(N);
      for (let s = 0; s < N; s++) visit[s] = p[s] === 0 ? 1 : 0;
    } else {
      // The searched region: ¬P, or ¬Q for leads-to.
      const inside = form === 'leadsTo' ? q! : p;
      allowed = new Uint8Array(N);
      for (let s = 0; s < N; s++) {
        allowed[s] = inside[s] === 0 ? 1 : 0;
        region[s] = allowed[s]!;
      }
      this.decompose();
      this.decomposed = 'restricted';
      for (let s = 0; s < N; s++) {
        if (allowed[s] === 0) continue;
        if (stutter[s] === 1) target[s] = STUTTER;
        else if (region[s]! < 0) target[s] = IN_CYCLE;
      }
      if (form === 'leadsTo') {
        trigger = new Uint8Array(N);
        for (let s = 0; s < N; s++) trigger[s] = p[s] === 1 && allowed[s] === 1 ? 1 : 0;
      } else if (form === 'alwaysEventually') {
        allowed = null; // the prefix may go anywhere
      }
    }

    const path = this.prefix(target, allowed, trigger);
    if (path === null) return null;
    const end = path[path.length - 1]!;
    const prefix = this.steps(path);
    if (target[end] === STUTTER) {
      const state = prefix[prefix.length - 1]!.state;
      return { prefix, stutter: { state, disabled: this.disabled(state) } };
    }
    const loop = this.loop(end, visit);
    return { prefix, loop: { steps: this.loopSteps(loop), backTo: prefix.length - 1 } };
  }

  /** Per state: 1 when no fair group is enabled there (a behaviour may stutter forever). */
  private stutters(): Uint8Array {
    if (this.stutterFlags) return this.stutterFlags;
    const { offsets, actions, states } = this.g;
    const groupOf = this.fair.groupOf;
    const flags = new Uint8Array(states);
    for (let s = 0; s < states; s++) {
      let any = false;
      for (let e = offsets[s]!; e < offsets[s + 1]! && !any; e++) any = groupOf[actions[e]!]! >= 0;
      flags[s] = any ? 0 : 1;
    }
    return (this.stutterFlags = flags);
  }

  /**
   * Splits the region `region[s] === 1` into maximal fair pieces, numbered into `region` as -1,
   * -2, ... (Emerson-Lei style pruning for strong fairness).
   */
  private decompose(): void {
    const region = this.region;
    let nextTag = 2;
    let pieces = 0;
    const work: { tag: number; members: Uint32Array }[] = [];
    const push = (members: Uint32Array) => {
      const tag = nextTag++;
      for (let k = 0; k < members.length; k++) region[members[k]!] = tag;
      work.push({ tag, members: members.slice() });
    };
    this.tarjan.run(region, 1, null, push);
    while (work.length > 0) {
      const { tag, members } = work.pop()!;
      const v = this.judge(members, tag);
      if (v === FAIR) {
        pieces++;
        for (let k = 0; k < members.length; k++) region[members[k]!] = -pieces;
      } else if (v === UNFAIR) {
        for (let k = 0; k < members.length; k++) region[members[k]!] = 0;
      } else {
        let keep = 0;
        for (let k = 0; k < members.length; k++) {
          const s = members[k]!;
          if (this.enablesBad(s)) region[s] = 0;
          else members[keep++] = s;
        }
        const rest = members.subarray(0, keep);
        if (keep > 1) this.tarjan.run(region, tag, rest, push);
        for (let k = 0; k < keep; k++) if (region[rest[k]!] === tag) region[rest[k]!] = 0;
      }
    }
    this.pieces = pieces;
  }

  /** Fairness of a strongly connected component (states `region[s] === tag`). */
  private judge(members: Uint32Array, tag: number): number {
    const { offsets, targets, actions } = this.g;
    const { groupOf, strong, count } = this.fair;
    const { enabledCount, lastState, taken, bad, region } = this;
    enabledCount.fill(0);
    lastState.fill(-1);
    taken.fill(0);
    for (let k = 0; k < members.length; k++) {
      const s = members[k]!;
      for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
        const grp = groupOf[actions[e]!]!;
        if (grp < 0) continue;
        if (lastState[grp] !== s) {
          lastState[grp] = s;
          enabledCount[grp]!++;
        }
        const t = targets[e]!;
        if (t !== NO_TARGET && region[t] === tag) taken[grp] = 1;
      }
    }
    let prune = false;
    bad.fill(0);
    for (let grp = 0; grp < count; grp++) {
      if (enabledCount[grp] === 0 || taken[grp] === 1) continue;
      if (strong[grp] === 0) {
        if (enabledCount[grp] === members.length) return UNFAIR;
      } else {
        bad[grp] = 1;
        prune = true;
      }
    }
    return prune ? PRUNE : FAIR;
  }

  /** Whether `s` enables a strongly fair group that the component being pruned never takes. */
  private enablesBad(s: number): boolean {
    const { offsets, actions } = this.g;
    const groupOf = this.fair.groupOf;
    for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
      const grp = groupOf[actions[e]!]!;
      if (grp >= 0 && this.bad[grp] === 1) return true;
    }
    return false;
  }

  /**
   * Shortest path (state ids) from an initial state to a target state. Without `trigger`: one
   * phase, restricted to `allowed` when given. With `trigger` (leads-to): phase 0 goes anywhere,
   * switches to phase 1 at a trigger state, and phase 1 stays in `allowed`; targets count in
   * phase 1 only.
   */
  private prefix(target: Uint8Array, allowed: Uint8Array | null, trigger: Uint8Array | null): number[] | null {
    const { offsets, targets, initial, states: N } = this.g;
    const two = trigger !== null;
    const size = two ? 2 * N : N;
    const parent = new Uint32Array(size).fill(UNSEEN);
    const queue = new Uint32Array(size);
    let head = 0;
    let tail = 0;
    let found = -1;
    const visit = (node: number, from: number): void => {
      if (parent[node] !== UNSEEN) return;
      parent[node] = from;
      queue[tail++] = node;
      const s = two ? node >>> 1 : node;
      const phase = two ? node & 1 : 1;
      if (phase === 1) {
        if (target[s] !== 0) found = node;
      } else if (trigger![s] === 1) {
        visit(node + 1, node);
      }
    };
    for (let k = 0; k < initial.length && found < 0; k++) {
      const s = initial[k]!;
      if (two) visit(2 * s, ROOT);
      else if (!allowed || allowed[s] === 1) visit(s, ROOT);
    }
    while (head < tail && found < 0) {
      const node = queue[head++]!;
      const s = two ? node >>> 1 : node;
      const phase = two ? node & 1 : 1;
      for (let e = offsets[s]!; e < offsets[s + 1]! && found < 0; e++) {
        const t = targets[e]!;
        if (t === NO_TARGET) continue;
        if (phase === 1 && allowed && allowed[t] === 0) continue;
        visit(two ? 2 * t + phase : t, node);
      }
    }
    if (found < 0) return null;
    const path: number[] = [];
    for (let node = found; node !== ROOT; node = parent[node]!) {
      const s = two ? node >>> 1 : node;
      if (path.length === 0 || path[path.length - 1] !== s) path.push(s);
    }
    return path.reverse();
  }

  /**
   * A cycle from `entry` through its fair piece that satisfies the fairness conditions (and visits
   * a `visit` state when given), as the list of its edges, from `entry` back to `entry`.
   */
  private loop(entry: number, visit: Uint8Array | null): number[] {
    const { offsets, targets, actions, states: N } = this.g;
    const { groupOf, strong, count: G } = this.fair;
    const region = this.region;
    const piece = region[entry]!;
    const inPiece = (t: number) => t !== NO_TARGET && region[t] === piece;

    // The piece's states (it is strongly connected: everything is reachable from entry).
    const mark = new Int32Array(N);
    const parentEdge = new Uint32Array(N);
    const parentState = new Uint32Array(N);
    let stamp = 1;
    const members: number[] = [entry];
    mark[entry] = stamp;
    for (let k = 0; k < members.length; k++) {
      const s = members[k]!;
      for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
        const t = targets[e]!;
        if (inPiece(t) && mark[t] !== stamp) {
          mark[t] = stamp;
          members.push(t);
        }
      }
    }

    // Requirements: per fair group enabled somewhere in the piece, take one of its edges, or (weak
    // fairness only, when some state of the piece disables it) visit a state that disables it.
    const enabledAt = new Int32Array(G).fill(-1);
    const enabledStates = new Int32Array(G);
    for (const s of members) {
      for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
        const grp = groupOf[actions[e]!]!;
        if (grp >= 0 && enabledAt[grp] !== s) {
          enabledAt[grp] = s;
          enabledStates[grp]!++;
        }
      }
    }
    const unmet = new Uint8Array(G);
    let open = 0;
    for (let grp = 0; grp < G; grp++) {
      if (enabledStates[grp]! > 0) {
        unmet[grp] = 1;
        open++;
      }
    }
    let needVisit = visit !== null;
    if (needVisit) open++;
    const byDisabling = (grp: number) => strong[grp] === 0 && enabledStates[grp]! < members.length;

    const seenAt = new Int32Array(G).fill(-1);
    const fillEnabled = (s: number) => {
      for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
        const grp = groupOf[actions[e]!]!;
        if (grp >= 0) seenAt[grp] = s;
      }
    };
    /** Whether arriving at `s` meets a state requirement (and if `apply`, records it). */
    const arrive = (s: number, apply: boolean): boolean => {
      let met = false;
      if (needVisit && visit![s] === 1) {
        met = true;
        if (apply) {
          needVisit = false;
          open--;
        }
      }
      fillEnabled(s);
      for (let grp = 0; grp < G; grp++) {
        if (unmet[grp] === 1 && byDisabling(grp) && seenAt[grp] !== s) {
          met = true;
          if (!apply) break;
          unmet[grp] = 0;
          open--;
        }
      }
      return met;
    };
    const takeEdge = (e: number) => {
      const grp = groupOf[actions[e]!]!;
      if (grp >= 0 && unmet[grp] === 1) {
        unmet[grp] = 0;
        open--;
      }
    };
    /** An edge of `s` inside the piece whose group is still unmet, or -1. */
    const wantedEdge = (s: number): number => {
      for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
        const grp = groupOf[actions[e]!]!;
        if (grp >= 0 && unmet[grp] === 1 && inPiece(targets[e]!)) return e;
      }
      return -1;
    };
    /** Breadth-first inside the piece from `from` to the nearest state where `stop` says yes. */
    const walk = (from: number, stop: (s: number) => boolean): number[] => {
      stamp++;
      mark[from] = stamp;
      const queue = [from];
      for (let k = 0; k < queue.length; k++) {
        const s = queue[k]!;
        if (stop(s)) {
          const route: number[] = [];
          for (let at = s; at !== from; at = parentState[at]!) route.push(parentEdge[at]!);
          return route.reverse();
        }
        for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
          const t = targets[e]!;
          if (inPiece(t) && mark[t] !== stamp) {
            mark[t] = stamp;
            parentEdge[t] = e;
            parentState[t] = s;
            queue.push(t);
          }
        }
      }
      throw new Error('liveness: fair piece is not strongly connected (internal error)');
    };

    const taken: number[] = [];
    let cur = entry;
    const follow = (edges: number[]) => {
      for (const e of edges) {
        takeEdge(e);
        cur = targets[e]!;
        taken.push(e);
        arrive(cur, true);
      }
    };
    arrive(entry, true);
    while (open > 0) {
      const route = walk(cur, (s) => (s !== cur && arrive(s, false)) || wantedEdge(s) >= 0);
      const last = route.length > 0 ? targets[route[route.length - 1]!]! : cur;
      follow(route);
      if (open > 0) {
        const e = wantedEdge(last);
        if (e >= 0) follow([e]);
      }
    }
    if (taken.length === 0) {
      // Nothing was required: any edge out and back.
      let e = offsets[entry]!;
      while (!inPiece(targets[e]!)) e++;
      follow([e]);
    }
    follow(walk(cur, (s) => s === entry));
    return taken;
  }

  /** Trace steps from an initial state along a path of state ids (each step by the first edge between them). */
  private steps(path: readonly number[]): TraceStep<S>[] {
    const { offsets, targets } = this.g;
    const out: TraceStep<S>[] = [{ action: null, actionIndex: -1, state: this.decode(path[0]!) }];
    for (let k = 1; k < path.length; k++) {
      let e = offsets[path[k - 1]!]!;
      while (targets[e] !== path[k]) e++;
      out.push(this.step(e));
    }
    return out;
  }

  private loopSteps(edges: readonly number[]): TraceStep<S>[] {
    return edges.map((e) => this.step(e));
  }

  private step(e: number): TraceStep<S> {
    const a = this.g.actions[e]!;
    return { action: this.model.actions[a]!.label, actionIndex: a, state: this.decode(this.g.targets[e]!) };
  }

  private decode(id: number): S {
    const s = this.model.scratch();
    this.model.decode(this.words, id * this.model.stateWords, s);
    return s;
  }

  /** The fair action instances that cannot fire in `s`, with their failing guard conditions. */
  private disabled(s: S): DisabledAction[] {
    const out: DisabledAction[] = [];
    for (const a of this.model.actions) {
      if (a.fairness === 'none') continue;
      const failing = this.model.explain(s, a.index);
      out.push({ label: a.label, actionIndex: a.index, failing: failing.length > 0 ? failing : ['unchanged'] });
    }
    return out;
  }
}

/** Type guard: a lasso that ends by stuttering. */
export function isStutter<S>(lasso: Lasso<S>): lasso is StutterLasso<S> {
  return 'stutter' in lasso;
}

/** The liveness properties of a model (names), for callers that check them all. */
export function livenessProperties<S>(model: Model<S>): LivenessProperty<S>[] {
  return model.properties.filter((p): p is LivenessProperty<S> => p.kind === 'liveness');
}
