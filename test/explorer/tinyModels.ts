/**
 * Tiny hand-written models for liveness tests: a state is one small number, each action instance
 * is a partial map from states to states. Plus an independent brute-force reference for liveness
 * verdicts and a validator for lassos, both written from the TLA+ definitions and sharing no code
 * with the checker.
 */
import { OrderedMap } from 'immutable';
import type { Lasso } from '../../src/explorer/liveness.js';
import type { ActionInstance, LivenessForm, Model, Property } from '../../src/explorer/model.js';

export type Fair = 'weak' | 'strong' | 'none';

export interface TinyAction {
  readonly name: string;
  readonly fairness: Fair;
  /** Defaults to the action's own name. */
  readonly group?: string;
  /** `[from, to]` pairs; at most one per `from` (actions are deterministic). */
  readonly edges: readonly (readonly [number, number])[];
}

export interface TinyProperty {
  readonly name: string;
  readonly form: LivenessForm;
  /** States where P holds. */
  readonly p: readonly number[];
  /** States where Q holds (leads-to). */
  readonly q?: readonly number[];
}

export interface TinySpec {
  readonly states: number;
  readonly initial: readonly number[];
  readonly actions: readonly TinyAction[];
  readonly properties: readonly TinyProperty[];
}

export type Tiny = Uint8Array;

export function tinyModel(spec: TinySpec): Model<Tiny> {
  const actions: ActionInstance[] = spec.actions.map((a, index) => ({
    index,
    family: a.name,
    params: [],
    label: a.name,
    actor: 'tiny',
    fairness: a.fairness,
    fairGroup: a.group ?? a.name,
  }));
  const next = (s: number, k: number): number | undefined => spec.actions[k]!.edges.find(([from]) => from === s)?.[1];
  const properties: Property<Tiny>[] = spec.properties.map((p) => ({
    kind: 'liveness',
    name: p.name,
    description: p.name,
    form: p.form,
    p: (s: Tiny) => p.p.includes(s[0]!),
    ...(p.q ? { q: (s: Tiny) => p.q!.includes(s[0]!) } : {}),
  }));
  const scratch = new Uint8Array(1);
  return {
    name: 'tiny',
    params: {},
    stateWords: 1,
    actions,
    properties,
    initialStates: () => spec.initial.map((s) => Uint8Array.of(s)),
    scratch: () => new Uint8Array(1),
    encode: (s, out, off) => void (out[off] = s[0]!),
    decode: (words, off, into) => void (into[0] = words[off]!),
    successors(s, emit) {
      for (let k = 0; k < spec.actions.length; k++) {
        const t = next(s[0]!, k);
        if (t === undefined) continue;
        scratch[0] = t;
        emit(k, scratch);
      }
    },
    apply(s, k) {
      const t = next(s[0]!, k);
      return t === undefined ? null : Uint8Array.of(t);
    },
    explain: (s, k) => (next(s[0]!, k) === undefined ? [`${spec.actions[k]!.name}NotEnabledIn${s[0]}`] : []),
    view: (s) => OrderedMap([['tiny', OrderedMap([['state', s[0]!]])]]),
    itf: (s) => ({ state: s[0] }),
    fromItf: (vars) => Uint8Array.of(vars.state as number),
  };
}

// ---------------------------------------------------------------------------------------------
// Brute-force reference.
//
// A behaviour of a finite graph ends either by stuttering forever at one state, or by taking
// forever exactly the edges of some set F whose edges form a strongly connected graph (every
// such F is the set of edges of some closed walk, repeated forever). So every possible "end" of a
// lasso is enumerated: each state (stutter) and each non-empty subset of edges. Fairness per
// TLA+: WF/SF over the disjunction of a group's instances, with ENABLED <<A>>_vars, so a step that
// changes nothing neither enables nor takes an action (and is stuttering).

interface Edge {
  readonly from: number;
  readonly to: number;
  readonly action: number;
}

const endsCache = new WeakMap<TinySpec, { edges: Edge[]; ends: number[][] }>();

/**
 * Every fair end of a behaviour (its set of states), and the state-changing edges. Sets of states
 * and of edges are bit masks (at most 31 states, and edge sets are enumerated: keep them small).
 */
function fairEnds(spec: TinySpec): { edges: Edge[]; ends: number[][] } {
  const cached = endsCache.get(spec);
  if (cached) return cached;
  const n = spec.states;
  const edges: Edge[] = [];
  spec.actions.forEach((a, action) => {
    for (const [from, to] of a.edges) if (from !== to) edges.push({ from, to, action });
  });
  // Per fair group: the states where it is enabled, the edges that take it, strong or weak.
  const byName = new Map<string, { strong: boolean; enabled: number; taking: number }>();
  spec.actions.forEach((a, k) => {
    if (a.fairness === 'none') return;
    const name = a.group ?? a.name;
    const g = byName.get(name) ?? { strong: false, enabled: 0, taking: 0 };
    g.strong ||= a.fairness === 'strong';
    edges.forEach((e, i) => {
      if (e.action !== k) return;
      g.enabled |= 1 << e.from;
      g.taking |= 1 << i;
    });
    byName.set(name, g);
  });
  const groups = [...byName.values()];
  const memberLists = Array.from({ length: 1 << n }, (_, set) => Array.from({ length: n }, (_, s) => s).filter((s) => set & (1 << s)));
  const members = (set: number) => memberLists[set]!;

  const ends: number[][] = [];
  // Stuttering forever at s: fair when no fair group is enabled there.
  for (let s = 0; s < n; s++) if (groups.every((g) => (g.enabled & (1 << s)) === 0)) ends.push([s]);
  // Taking forever exactly the edges of F: F must be strongly connected, and fair.
  const succ = new Array<number>(n);
  for (let F = 1; F < 1 << edges.length; F++) {
    let states = 0;
    succ.fill(0);
    for (let i = 0; i < edges.length; i++) {
      if ((F & (1 << i)) === 0) continue;
      const e = edges[i]!;
      states |= (1 << e.from) | (1 << e.to);
      succ[e.from]! |= 1 << e.to;
    }
    const closure = (s: number) => {
      let reach = 1 << s;
      for (let before = 0; before !== reach; ) {
        before = reach;
        for (const t of members(reach)) reach |= succ[t]!;
      }
      return reach;
    };
    if (!members(states).every((s) => closure(s) === states)) continue;
    const fair = groups.every((g) => {
      const taken = (F & g.taking) !== 0;
      return g.strong ? (g.enabled & states) === 0 || taken : (states & ~g.enabled) !== 0 || taken;
    });
    if (fair) ends.push(members(states));
  }
  const out = { edges, ends };
  endsCache.set(spec, out);
  return out;
}

export function bruteForceViolated(spec: TinySpec, prop: TinyProperty): boolean {
  const { edges, ends } = fairEnds(spec);
  const P = (s: number) => prop.p.includes(s);
  const Q = (s: number) => (prop.q ?? []).includes(s);

  /** States reachable from `from` by edges whose every state satisfies `inside`. */
  const reach = (from: number[], inside: (s: number) => boolean): Set<number> => {
    const seen = new Set(from.filter(inside));
    const todo = [...seen];
    while (todo.length > 0) {
      const s = todo.pop()!;
      for (const e of edges) {
        if (e.from === s && inside(e.to) && !seen.has(e.to)) {
          seen.add(e.to);
          todo.push(e.to);
        }
      }
    }
    return seen;
  };
  const all = () => true;
  const reachable = reach([...spec.initial], all);

  switch (prop.form) {
    case 'eventuallyAlways':
      return ends.some((end) => end.some((s) => reachable.has(s)) && end.some((s) => !P(s)));
    case 'alwaysEventually':
      return ends.some((end) => end.some((s) => reachable.has(s)) && end.every((s) => !P(s)));
    case 'eventually': {
      const inNotP = reach([...spec.initial], (s) => !P(s));
      return ends.some((end) => end.every((s) => !P(s)) && end.some((s) => inNotP.has(s)));
    }
    case 'leadsTo': {
      const starts = [...reachable].filter((s) => P(s) && !Q(s));
      const inNotQ = reach(starts, (s) => !Q(s));
      return ends.some((end) => end.every((s) => !Q(s)) && end.some((s) => inNotQ.has(s)));
    }
  }
}

/**
 * Bounded explicit enumeration of lassos: every path from an initial state of at most `maxPrefix`
 * steps, followed by a stutter or by a cycle of at most `maxLoop` steps back to a state of the
 * path. True when one of them is fair and violates the property. Incomplete by nature (fair
 * cycles can be long), so only "found => violated" is a check.
 */
export function boundedLassoViolates(spec: TinySpec, prop: TinyProperty, maxPrefix: number, maxLoop: number): boolean {
  const step = (s: number) =>
    spec.actions.flatMap((a, action) => a.edges.filter(([from, to]) => from === s && to !== s).map(([, to]) => ({ to, action })));
  const fairActions = spec.actions.map((a, k) => k).filter((k) => spec.actions[k]!.fairness !== 'none');
  const check = (prefix: number[], loop: number[], loopActions: number[]) => lassoViolates(spec, prop, prefix, loop, loopActions);
  const dfsLoop = (prefix: number[], cur: number, loop: number[], actions: number[]): boolean => {
    if (loop.length > 0 && cur === prefix[prefix.length - 1]) return check(prefix, loop, actions);
    if (loop.length >= maxLoop) return false;
    return step(cur).some(({ to, action }) => dfsLoop(prefix, to, [...loop, to], [...actions, action]));
  };
  const dfs = (prefix: number[]): boolean => {
    const last = prefix[prefix.length - 1]!;
    const stutters = fairActions.every((k) => !step(last).some((x) => x.action === k));
    if (stutters && check(prefix, [last], [])) return true;
    if (dfsLoop(prefix, last, [], [])) return true;
    if (prefix.length > maxPrefix) return false;
    return step(last).some(({ to }) => dfs([...prefix, to]));
  };
  return spec.initial.some((s) => dfs([s]));
}

/**
 * Whether the behaviour `prefix` (states), then `loop` (states, repeated forever; the last one is
 * the last prefix state again, or the single stutter state when `loopActions` is empty) is fair
 * and violates `prop`.
 */
export function lassoViolates(spec: TinySpec, prop: TinyProperty, prefix: number[], loop: number[], loopActions: number[]): boolean {
  const enabledIn = (s: number, k: number) => spec.actions[k]!.edges.some(([from, to]) => from === s && to !== s);
  const groups = new Map<string, number[]>();
  spec.actions.forEach((a, k) => {
    if (a.fairness !== 'none') groups.set(a.group ?? a.name, [...(groups.get(a.group ?? a.name) ?? []), k]);
  });
  for (const members of groups.values()) {
    const strong = members.some((k) => spec.actions[k]!.fairness === 'strong');
    const en = loop.filter((s) => members.some((k) => enabledIn(s, k))).length;
    const taken = loopActions.some((k) => members.includes(k));
    if (strong ? en > 0 && !taken : en === loop.length && !taken) return false;
  }
  const P = (s: number) => prop.p.includes(s);
  const Q = (s: number) => (prop.q ?? []).includes(s);
  switch (prop.form) {
    case 'eventuallyAlways':
      return loop.some((s) => !P(s));
    case 'alwaysEventually':
      return loop.every((s) => !P(s));
    case 'eventually':
      return [...prefix, ...loop].every((s) => !P(s));
    case 'leadsTo': {
      if (loop.some(Q)) return false;
      const seq = [...prefix, ...loop];
      // Some P ∧ ¬Q position followed only by ¬Q.
      let lastQ = -1;
      seq.forEach((s, k) => {
        if (Q(s)) lastQ = k;
      });
      return seq.some((s, k) => k > lastQ && P(s));
    }
  }
}

/** Checks a lasso returned by the checker against the spec; returns a list of problems (empty: fine). */
export function lassoProblems(spec: TinySpec, model: Model<Tiny>, prop: TinyProperty, lasso: Lasso<Tiny>): string[] {
  const problems: string[] = [];
  const prefix = lasso.prefix.map((x) => x.state[0]!);
  if (!spec.initial.includes(prefix[0]!)) problems.push(`prefix starts at ${prefix[0]}, not an initial state`);
  if (lasso.prefix[0]!.action !== null) problems.push('the first prefix step has an action');
  const replay = (from: number, k: number, to: number, where: string) => {
    const next = model.apply(Uint8Array.of(from), k);
    if (next === null || next[0] !== to) problems.push(`${where}: ${spec.actions[k]!.name} does not lead ${from} -> ${to}`);
  };
  for (let k = 1; k < lasso.prefix.length; k++) replay(prefix[k - 1]!, lasso.prefix[k]!.actionIndex, prefix[k]!, `prefix step ${k}`);
  if ('stutter' in lasso) {
    const s = lasso.stutter.state[0]!;
    if (s !== prefix[prefix.length - 1]) problems.push('stutter state is not the last prefix state');
    const fair = model.actions.filter((a) => a.fairness !== 'none');
    if (lasso.stutter.disabled.length !== fair.length) problems.push('disabled list does not cover every fair action');
    if (lasso.stutter.disabled.some((d) => d.failing.length === 0)) problems.push('a disabled action has no failing condition');
    if (!lassoViolates(spec, prop, prefix, [s], [])) problems.push('the stutter is unfair or does not violate the property');
  } else {
    const { steps, backTo } = lasso.loop;
    if (steps.length === 0) problems.push('empty loop');
    let cur = prefix[prefix.length - 1]!;
    steps.forEach((st, k) => {
      replay(cur, st.actionIndex, st.state[0]!, `loop step ${k}`);
      if (st.action !== spec.actions[st.actionIndex]!.name) problems.push(`loop step ${k}: label ${st.action}`);
      cur = st.state[0]!;
    });
    if (cur !== prefix[backTo]) problems.push(`loop ends at ${cur}, not back at prefix[${backTo}] = ${prefix[backTo]}`);
    if (backTo !== prefix.length - 1) problems.push('loop does not start at the end of the prefix');
    const loopStates = steps.map((x) => x.state[0]!);
    if (!lassoViolates(spec, prop, prefix, loopStates, steps.map((x) => x.actionIndex))) problems.push('the loop is unfair or does not violate the property');
  }
  return problems;
}
