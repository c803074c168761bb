/**
 * An independent liveness checker for the three `<>[] P` properties of `reference-model.md`
 * ("Properties", "Liveness"), built on the independent naive rendering of the model
 * (`independentModel.ts`) and written from the text alone, by the textbook method:
 *
 * 1. Build the whole reachable state graph: states numbered by their canonical key, edges labelled
 *    by their action instance. Self-loops are dropped from the graph: a step that does not change
 *    the state is a stutter step, which neither takes an action (`<<A>>_vars`) nor moves anywhere.
 * 2. Fair groups: one per system action instance (`CtlCreate(2)`, `KubeletKillStale(1,0)`,
 *    `NodeRecover(1)`, `CtlAdvance`, ...), except that every `Schedule(i, n)` of one ordinal `i`
 *    forms the single group `Schedule(i)` ("`Schedule` fair per ordinal over all nodes").
 *    Environment actions (faults, user operations) belong to no group: they are not fair.
 *    A group is enabled in a state when one of its members has a state-changing edge out of it
 *    (TLA+ `ENABLED <<A>>_vars`), and taken on an edge labelled by one of its members.
 * 3. `<>[] P` is violated iff some fair behaviour visits `¬P` states infinitely often, that is iff
 *    (a) some reachable SCC with at least one edge inside is weakly fair — for every group g, g is
 *        disabled in some state of the SCC or some edge of g lies inside the SCC — and contains a
 *        `¬P` state; or
 *    (b) some reachable `¬P` state enables no group: a behaviour may stutter there forever.
 *
 * Why whole (maximal) SCCs are exact under weak fairness alone:
 * - If an SCC C satisfies (a), a cycle through every state and every edge of C repeated forever is
 *   a behaviour (after a prefix from an initial state) that visits its `¬P` state infinitely often,
 *   and for each group g it either visits a state where g is disabled infinitely often (so g is not
 *   continuously enabled) or takes g infinitely often: it is weakly fair.
 * - Conversely, the states a fair non-stuttering-tail behaviour visits infinitely often, with the
 *   edges it takes infinitely often, form a strongly connected set inside one SCC C. Weak fairness
 *   of the behaviour gives, for each g, a state of that set where g is disabled or an edge of g in
 *   that set; both stay true of the larger C. So C satisfies (a).
 *   Both conditions are monotone in the set: enlarging it to the maximal SCC never breaks them.
 *   (Strong fairness is not monotone this way — "enabled somewhere" grows with the set — which is
 *   why Emerson–Lei style algorithms must remove states and re-split SCCs; weak fairness needs no
 *   such refinement.)
 * - A behaviour that ends by stuttering forever at s is weakly fair iff no group is continuously
 *   enabled along the tail, i.e. no group is enabled at s: that is (b).
 *
 * The SCC algorithm is an iterative Tarjan (no recursion: the graphs have tens of thousands of
 * states and long chains).
 */

import { initialStates, key, labelledSuccessors, type IndependentParams, type IState } from './independentModel.js';

export type LivenessName = 'EventuallyConverged' | 'ScaleDownCompletes' | 'RolloutCompletes';
export const LIVENESS_NAMES: readonly LivenessName[] = ['EventuallyConverged', 'ScaleDownCompletes', 'RolloutCompletes'];

/** The action names of the environment (faults and user operations): not fair. */
const ENVIRONMENT = new Set([
  'NodePartition',
  'NodeCrash',
  'PodBreak',
  'PodEvict',
  'Scale',
  'UpdateTemplate',
  'SetPartition',
  'DeletePod',
  'ForceDeletePod',
  'DeletePVC',
  'DeleteNode',
  // rollouts-and-stale-reads.md A: a user operation (cost 1), not fair.
  'RevertTemplate',
]);

/** The fair group of an action instance label, or null for an environment action. */
export function fairGroup(label: string): string | null {
  const paren = label.indexOf('(');
  const name = paren < 0 ? label : label.slice(0, paren);
  if (ENVIRONMENT.has(name)) return null;
  if (name === 'Schedule') {
    // Schedule(i,n): fair per ordinal over all nodes.
    const i = label.slice(paren + 1, label.indexOf(','));
    return `Schedule(${i})`;
  }
  return label;
}

// ---- The properties' state predicates, from the text ----

const RR = (s: IState, i: number): boolean => {
  const p = s.pod[i];
  return p !== null && p !== undefined && p.phase === 'Running' && p.ready && !p.deleting;
};

const noPodAtOrAboveReplicas = (s: IState): boolean => {
  for (let i = s.replicas; i < s.pod.length; i++) if (s.pod[i] !== null) return false;
  return true;
};

export function predicate(params: IndependentParams, name: LivenessName): (s: IState) => boolean {
  const rolling = (params.strategy ?? 'RollingUpdate') === 'RollingUpdate';
  switch (name) {
    case 'EventuallyConverged':
      return (s) => {
        for (let i = 0; i < s.replicas; i++) {
          if (!RR(s, i)) return false;
          if (rolling && i >= s.partition && s.pod[i]!.rev !== s.updRev) return false;
        }
        return noPodAtOrAboveReplicas(s);
      };
    case 'ScaleDownCompletes':
      return noPodAtOrAboveReplicas;
    case 'RolloutCompletes':
      return (s) => s.curRev === s.updRev;
  }
}

// ---- The state graph ----

export interface IndependentGraph {
  keys: string[];
  /** Initial state numbers. */
  inits: number[];
  /** CSR adjacency without self-loops: edges of state v are off[v] .. off[v+1]-1. */
  off: Int32Array;
  dst: Int32Array;
  /** Fair group id of each edge, -1 for an environment action. */
  grp: Int32Array;
  /** Action instance label of each edge. */
  label: string[];
  groups: string[];
  /** Per state: the sorted ids of the groups enabled there (state-changing edges only). */
  enabled: Int32Array[];
  /** Per property: bit v set iff P holds in state v. */
  holds: Map<LivenessName, Uint8Array>;
}

export function buildGraph(params: IndependentParams): IndependentGraph {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const states: IState[] = [];
  const preds = LIVENESS_NAMES.map((n) => [n, predicate(params, n)] as const);
  const holdsArr: number[][] = LIVENESS_NAMES.map(() => []);
  const add = (s: IState): number => {
    const k = key(s);
    let v = index.get(k);
    if (v === undefined) {
      v = keys.length;
      index.set(k, v);
      keys.push(k);
      states.push(s);
      preds.forEach(([, p], j) => holdsArr[j]!.push(p(s) ? 1 : 0));
    }
    return v;
  };
  const inits = [...new Set(initialStates(params).map(add))];

  const groupIds = new Map<string, number>();
  const groups: string[] = [];
  const off: number[] = [0];
  const dst: number[] = [];
  const grp: number[] = [];
  const label: string[] = [];
  const enabled: Int32Array[] = [];
  // BFS order = numbering order: state v is expanded after states 0..v-1.
  for (let v = 0; v < states.length; v++) {
    const s = states[v]!;
    states[v] = undefined as unknown as IState; // free memory as we go
    const en = new Set<number>();
    for (const { label: l, next } of labelledSuccessors(params, s)) {
      const w = add(next);
      if (w === v) continue; // a stutter step: neither an edge nor "enabled"
      const gname = fairGroup(l);
      let g = -1;
      if (gname !== null) {
        g = groupIds.get(gname) ?? -1;
        if (g < 0) {
          g = groups.length;
          groupIds.set(gname, g);
          groups.push(gname);
        }
        en.add(g);
      }
      dst.push(w);
      grp.push(g);
      label.push(l);
    }
    off.push(dst.length);
    enabled.push(Int32Array.from([...en].sort((a, b) => a - b)));
  }
  const holds = new Map<LivenessName, Uint8Array>();
  LIVENESS_NAMES.forEach((n, j) => holds.set(n, Uint8Array.from(holdsArr[j]!)));
  return {
    keys,
    inits,
    off: Int32Array.from(off),
    dst: Int32Array.from(dst),
    grp: Int32Array.from(grp),
    label,
    groups,
    enabled,
    holds,
  };
}

/**
 * Iterative Tarjan. Returns comp[v] (component id per state) and the number of components.
 * Components are numbered in the order Tarjan completes them (reverse topological order).
 */
export function tarjan(n: number, off: Int32Array, dst: Int32Array): { comp: Int32Array; count: number } {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let sp = 0;
  // The DFS call stack: the vertex and the position in its edge list.
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  let cp = 0;
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callV[0] = root;
    callE[0] = off[root]!;
    cp = 1;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (cp > 0) {
      const v = callV[cp - 1]!;
      const e = callE[cp - 1]!;
      if (e < off[v + 1]!) {
        callE[cp - 1] = e + 1;
        const w = dst[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callV[cp] = w;
          callE[cp] = off[w]!;
          cp++;
        } else if (onStack[w]) {
          if (index[w]! < low[v]!) low[v] = index[w]!;
        }
        continue;
      }
      // v is finished.
      cp--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
      if (cp > 0) {
        const u = callV[cp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }
  return { comp, count };
}

export interface SccInfo {
  comp: Int32Array;
  /** Per component: its states. */
  members: number[][];
  /** Per component: whether it has an edge inside (self-loops are not in the graph, so size >= 2). */
  nontrivial: boolean[];
  /** Per component: whether it is weakly fair (meaningful only when nontrivial). */
  fair: boolean[];
}

export function analyse(g: IndependentGraph): SccInfo {
  const n = g.keys.length;
  const { comp, count } = tarjan(n, g.off, g.dst);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let v = 0; v < n; v++) members[comp[v]!]!.push(v);
  const nontrivial: boolean[] = new Array<boolean>(count).fill(false);
  const fair: boolean[] = new Array<boolean>(count).fill(false);
  for (let c = 0; c < count; c++) {
    const ms = members[c]!;
    const taken = new Set<number>();
    for (const v of ms) {
      for (let e = g.off[v]!; e < g.off[v + 1]!; e++) {
        if (comp[g.dst[e]!] === c) {
          nontrivial[c] = true;
          if (g.grp[e]! >= 0) taken.add(g.grp[e]!);
        }
      }
    }
    if (!nontrivial[c]) continue;
    // A group blocks fairness iff it is enabled in every state of C and never taken inside C.
    const enabledCount = new Map<number, number>();
    for (const v of ms) for (const x of g.enabled[v]!) enabledCount.set(x, (enabledCount.get(x) ?? 0) + 1);
    let ok = true;
    for (const [x, k] of enabledCount) {
      if (k === ms.length && !taken.has(x)) {
        ok = false;
        break;
      }
    }
    fair[c] = ok;
  }
  return { comp, members, nontrivial, fair };
}

export interface Witness {
  kind: 'stutter' | 'cycle';
  /** Labels from an initial state to the first state of the end part. */
  prefix: string[];
  /** The keys of the states along the prefix, initial state first, last = the loop's first state. */
  prefixStates: string[];
  /** For a cycle: the labels of the fair cycle, from and back to the last prefix state. */
  loop: string[];
  loopStates: string[];
  /** For a cycle: the number of states of its SCC. */
  sccSize?: number;
}

interface Checked {
  graph: IndependentGraph;
  scc: SccInfo;
}

const cache = new Map<string, Checked>();

function checked(params: IndependentParams): Checked {
  const k = JSON.stringify(params);
  let c = cache.get(k);
  if (c === undefined) {
    const graph = buildGraph(params);
    c = { graph, scc: analyse(graph) };
    // Keep only the latest graph: the tests ask for the three properties of one configuration in a row.
    cache.clear();
    cache.set(k, c);
  }
  return c;
}

/** The violating end of a behaviour, if any: a stutter state or a fair SCC with a ¬P state. */
export function findViolation(
  c: { graph: IndependentGraph; scc: SccInfo },
  name: LivenessName,
): { kind: 'stutter'; state: number } | { kind: 'cycle'; state: number; comp: number } | null {
  const { graph: g, scc } = c;
  const holds = g.holds.get(name)!;
  for (let v = 0; v < g.keys.length; v++) {
    if (holds[v]) continue;
    if (g.enabled[v]!.length === 0) return { kind: 'stutter', state: v };
    const cc = scc.comp[v]!;
    if (scc.nontrivial[cc] && scc.fair[cc]) return { kind: 'cycle', state: v, comp: cc };
  }
  return null;
}

export function checkLivenessIndependent(params: IndependentParams, propertyName: LivenessName): 'holds' | 'violated' {
  return findViolation(checked(params), propertyName) === null ? 'holds' : 'violated';
}

/** Shortest path (BFS) from any state of `from` to a state satisfying `to`, staying in `allowed` when given. */
function bfsPath(g: IndependentGraph, from: number[], to: (v: number) => boolean, allowed?: (v: number) => boolean): number[] /* edge ids */ | null {
  const prevEdge = new Map<number, number>();
  const prevState = new Map<number, number>();
  const queue: number[] = [];
  for (const v of from) {
    if (!prevEdge.has(v)) {
      prevEdge.set(v, -1);
      queue.push(v);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    if (to(v)) {
      const edges: number[] = [];
      let u = v;
      while (prevEdge.get(u)! >= 0) {
        edges.push(prevEdge.get(u)!);
        u = prevState.get(u)!;
      }
      return edges.reverse();
    }
    for (let e = g.off[v]!; e < g.off[v + 1]!; e++) {
      const w = g.dst[e]!;
      if (prevEdge.has(w) || (allowed && !allowed(w))) continue;
      prevEdge.set(w, e);
      prevState.set(w, v);
      queue.push(w);
    }
  }
  return null;
}

/** The source state of edge e. */
function source(g: IndependentGraph, e: number): number {
  let lo = 0;
  let hi = g.keys.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.off[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A concrete counterexample (for diagnosis): a prefix from an initial state, then either a stutter
 * state or a fair cycle through a ¬P state — the cycle greedily extended by detours until every
 * group enabled all along it is taken on it. Null when the property holds.
 */
export function explainLivenessIndependent(params: IndependentParams, propertyName: LivenessName): Witness | null {
  return explainOn(checked(params), propertyName);
}

/** `explainLivenessIndependent` on a given graph and its SCCs. */
export function explainOn(c: { graph: IndependentGraph; scc: SccInfo }, propertyName: LivenessName): Witness | null {
  const g = c.graph;
  const viol = findViolation(c, propertyName);
  if (viol === null) return null;
  const prefixEdges = bfsPath(g, g.inits, (v) => v === viol.state)!;
  const statesOf = (start: number, edges: number[]) => {
    const out = [g.keys[start]!];
    for (const e of edges) out.push(g.keys[g.dst[e]!]!);
    return out;
  };
  const start = prefixEdges.length > 0 ? source(g, prefixEdges[0]!) : viol.state;
  const w: Witness = {
    kind: viol.kind,
    prefix: prefixEdges.map((e) => g.label[e]!),
    prefixStates: statesOf(start, prefixEdges),
    loop: [],
    loopStates: [],
  };
  if (viol.kind === 'stutter') return w;
  const inC = (v: number) => c.scc.comp[v] === viol.comp;
  w.sccSize = c.scc.members[viol.comp]!.length;
  // Build a cycle from viol.state; repair it until fair.
  let loop: number[] = [];
  const at = () => (loop.length === 0 ? viol.state : g.dst[loop[loop.length - 1]!]!);
  const close = () => {
    if (at() !== viol.state) loop.push(...bfsPath(g, [at()], (v) => v === viol.state, inC)!);
  };
  // A first step out of viol.state inside C, then back.
  for (let e = g.off[viol.state]!; e < g.off[viol.state + 1]!; e++) {
    if (inC(g.dst[e]!)) {
      loop.push(e);
      break;
    }
  }
  close();
  for (let round = 0; round < 10_000; round++) {
    const visited = [viol.state, ...loop.map((e) => g.dst[e]!)];
    const taken = new Set(loop.map((e) => g.grp[e]!));
    // The groups enabled in every state of the loop.
    const always = Array.from(g.enabled[viol.state]!).filter((x) => visited.every((v) => g.enabled[v]!.includes(x)));
    const bad = always.find((x) => !taken.has(x));
    if (bad === undefined) break;
    // Detour: to a state of C where `bad` is disabled, or across an edge of `bad` inside C.
    const detour = bfsPath(
      g,
      [viol.state],
      (v) => !g.enabled[v]!.includes(bad) || hasGroupEdgeIn(g, v, bad, inC),
      inC,
    )!;
    const last = detour.length === 0 ? viol.state : g.dst[detour[detour.length - 1]!]!;
    loop = [...loop, ...detour];
    if (g.enabled[last]!.includes(bad)) {
      for (let e = g.off[last]!; e < g.off[last + 1]!; e++) {
        if (g.grp[e] === bad && inC(g.dst[e]!)) {
          loop.push(e);
          break;
        }
      }
    }
    close();
  }
  w.loop = loop.map((e) => g.label[e]!);
  w.loopStates = statesOf(viol.state, loop);
  return w;
}

function hasGroupEdgeIn(g: IndependentGraph, v: number, x: number, inC: (v: number) => boolean): boolean {
  for (let e = g.off[v]!; e < g.off[v + 1]!; e++) if (g.grp[e] === x && inC(g.dst[e]!)) return true;
  return false;
}

/** Graph sizes, for reports. */
export function graphStats(params: IndependentParams): { states: number; edges: number; sccs: number; fairNontrivial: number } {
  const c = checked(params);
  let fairNontrivial = 0;
  c.scc.members.forEach((_, i) => {
    if (c.scc.nontrivial[i] && c.scc.fair[i]) fairNontrivial++;
  });
  return { states: c.graph.keys.length, edges: c.graph.dst.length, sccs: c.scc.members.length, fairNontrivial };
}

/**
 * Judges a counterexample given as action labels (e.g. the project checker's lasso) on the
 * independent model: the prefix must replay from some initial state; then either (loop = null) the
 * last state is a `¬P` state where no fair group is enabled, or the loop replays from the last
 * prefix state back to prefix state `backTo`, passes a `¬P` state, and takes every fair group that
 * is enabled in all of its states. Returns the problems found with every initial state the
 * prefix replays from (an empty list when one of them gives a valid counterexample).
 */
export function judgeLasso(
  params: IndependentParams,
  name: LivenessName,
  prefix: readonly string[],
  loop: { labels: readonly string[]; backTo: number } | null,
): string[] {
  return judgeLassoOn(checked(params).graph, name, prefix, loop);
}

/** `judgeLasso` on a given graph. */
export function judgeLassoOn(
  g: IndependentGraph,
  name: LivenessName,
  prefix: readonly string[],
  loop: { labels: readonly string[]; backTo: number } | null,
): string[] {
  const holds = g.holds.get(name)!;
  const step = (v: number, l: string): { edge: number; to: number } | null => {
    for (let e = g.off[v]!; e < g.off[v + 1]!; e++) if (g.label[e] === l) return { edge: e, to: g.dst[e]! };
    return null;
  };
  const problems: string[] = [];
  for (const init of g.inits) {
    const path = [init];
    let ok = true;
    for (const l of prefix) {
      const s = step(path[path.length - 1]!, l);
      if (s === null) {
        ok = false;
        break;
      }
      path.push(s.to);
    }
    if (!ok) continue;
    const last = path[path.length - 1]!;
    if (loop === null) {
      if (holds[last]) problems.push(`stutter state satisfies ${name}`);
      else if (g.enabled[last]!.length > 0) problems.push(`unfair stutter: enabled ${Array.from(g.enabled[last]!).map((x) => g.groups[x]).join(' ')}`);
      else return [];
      continue;
    }
    const visited = [last];
    const taken = new Set<number>();
    for (const l of loop.labels) {
      const s = step(visited[visited.length - 1]!, l);
      if (s === null) {
        ok = false;
        break;
      }
      taken.add(g.grp[s.edge]!);
      visited.push(s.to);
    }
    if (!ok) {
      problems.push('loop does not replay');
      continue;
    }
    if (visited[visited.length - 1] !== path[loop.backTo]) {
      problems.push('loop does not close');
      continue;
    }
    if (visited.every((v) => holds[v])) {
      problems.push(`loop never leaves ${name}`);
      continue;
    }
    const always = Array.from(g.enabled[visited[0]!]!).filter((x) => visited.every((v) => g.enabled[v]!.includes(x)));
    const starved = always.filter((x) => !taken.has(x));
    if (starved.length > 0) {
      problems.push(`unfair loop: starves ${starved.map((x) => g.groups[x]).join(' ')}`);
      continue;
    }
    return [];
  }
  return problems.length > 0 ? problems : ['prefix does not replay from any initial state'];
}
