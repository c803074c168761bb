/**
 * `RecoversAfterRevert` of `extensions/rollouts-and-stale-reads.md` (A), `[](updRev ∉ badRevs ⇒
 * <>Converged)`, checked on the independent rendering's whole graph (`independentLiveness.ts`'s
 * `buildGraph`: stutter steps dropped, one fair group per system action instance, `Schedule` per
 * ordinal), written from the text alone.
 *
 * `[](Q ⇒ <>C)` is violated iff some reachable `Q ∧ ¬C` state starts a fair behaviour that stays in
 * `¬C` forever, that is iff from it, moving only through `¬C` states, one reaches
 *  (a) a `¬C` state where no fair group is enabled (the behaviour stutters there), or
 *  (b) a nontrivial SCC of the subgraph induced by the `¬C` states that is weakly fair: every group
 *      is disabled in one of its states or taken on one of its edges.
 * Both conditions are monotone in the set of states visited infinitely often, so maximal SCCs of the
 * `¬C` subgraph are exact, by the argument given in `independentLiveness.ts`.
 */
import { buildGraph, tarjan, type IndependentGraph } from './independentLiveness.js';
import { converged, goodTemplate, type IndependentParams, type IState } from './independentModel.js';

export function checkLeadsTo(
  g: IndependentGraph,
  premise: (s: IState) => boolean,
  goal: (s: IState) => boolean,
): { verdict: 'holds' | 'violated'; from?: string } {
  const n = g.keys.length;
  const states = g.keys.map((k) => JSON.parse(k) as IState);
  const notC = states.map((s) => !goal(s));
  // The ¬C subgraph (CSR).
  const off: number[] = [0];
  const dst: number[] = [];
  const grp: number[] = [];
  for (let v = 0; v < n; v++) {
    if (notC[v]) {
      for (let e = g.off[v]!; e < g.off[v + 1]!; e++) {
        const w = g.dst[e]!;
        if (notC[w]) {
          dst.push(w);
          grp.push(g.grp[e]!);
        }
      }
    }
    off.push(dst.length);
  }
  const O = Int32Array.from(off);
  const D = Int32Array.from(dst);
  const { comp, count } = tarjan(n, O, D);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let v = 0; v < n; v++) if (notC[v]) members[comp[v]!]!.push(v);
  const bad = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (notC[v] && g.enabled[v]!.length === 0) bad[v] = 1;
  for (let c = 0; c < count; c++) {
    const ms = members[c]!;
    if (ms.length < 2) continue; // no self-loops in the graph: a one-state SCC has no edge inside
    const taken = new Set<number>();
    for (const v of ms) for (let e = O[v]!; e < O[v + 1]!; e++) if (comp[D[e]!] === c && grp[e]! >= 0) taken.add(grp[e]!);
    const enabledCount = new Map<number, number>();
    for (const v of ms) for (const x of g.enabled[v]!) enabledCount.set(x, (enabledCount.get(x) ?? 0) + 1);
    let fair = true;
    for (const [x, k] of enabledCount) if (k === ms.length && !taken.has(x)) fair = false;
    if (fair) for (const v of ms) bad[v] = 1;
  }
  // Backward closure of `bad` inside ¬C.
  const rev: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (let e = O[v]!; e < O[v + 1]!; e++) rev[D[e]!]!.push(v);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (bad[v]) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    for (const u of rev[queue[q]!]!) {
      if (!bad[u]) {
        bad[u] = 1;
        queue.push(u);
      }
    }
  }
  for (let v = 0; v < n; v++) if (bad[v] && premise(states[v]!)) return { verdict: 'violated', from: g.keys[v]! };
  return { verdict: 'holds' };
}

/** RecoversAfterRevert on the independent rendering. */
export function recoversAfterRevert(params: IndependentParams, g: IndependentGraph = buildGraph(params)): 'holds' | 'violated' {
  return checkLeadsTo(
    g,
    (s) => goodTemplate(params, s),
    (s) => converged(params, s),
  ).verdict;
}
