/**
 * Node symmetry: nodes are interchangeable in the model (no rule, property or initial state
 * singles one out), so a state and the same state with its nodes renamed behave alike. The
 * explorer can keep one state per class of renamings: the *canonical representative*, here the
 * byte-wise smallest working form over all `nodes!` permutations. It depends only on the class,
 * so two states of one class always meet in the seen table (as TLC's `SYMMETRY Permutations(Nodes)`).
 *
 * A node appears in the state as an index (the rows of `ctr`, `nodeSt`, `nodeObj`, `oos`) and as
 * a value, node name `n + 1` (`pod[i].node`, its cached copy, `att[i]`, `ranOn[i]`); a renaming
 * moves the former and maps the latter.
 */
import { NODE, POD_SIZE, type Layout, type StsState } from './state.js';

/** All permutations of `0..n-1`, the identity first. */
export function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, k) => k)];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let at = rest.length; at >= 0; at--) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  }
  return out;
}

/** Replaces `s`, in place, by the canonical representative of its class under node renamings. */
export function nodeCanonicalizer(L: Layout): (s: StsState) => void {
  const { R, nodes } = L;
  if (nodes <= 1) return () => {};
  const perms = permutations(nodes).slice(1); // the identity is the starting candidate
  // Offsets whose byte is a node name (0 = none), and node-indexed blocks: [offset, stride].
  const named: number[] = [];
  for (let i = 0; i < R; i++) {
    named.push(L.pod + i * POD_SIZE + NODE);
    if (L.hasStaleReads) named.push(L.seen + i * POD_SIZE + NODE);
    if (L.hasAttach) named.push(L.att + i);
    if (L.hasStaleKubelet) named.push(L.ranOn + i);
  }
  /** Per node, the offsets of its own bytes: its `ctr` row, status, Node object, taint. */
  const own = Array.from({ length: nodes }, (_, n) => {
    const at = [L.nodeSt + n, L.nodeObj + n];
    for (let i = 0; i < R; i++) at.push(L.ctr + n * R + i);
    if (L.hasAttach) at.push(L.oos + n);
    return at;
  });
  const per = own[0]!.length;
  const best = new Uint8Array(L.size);
  const cand = new Uint8Array(L.size);
  const map = new Uint8Array(nodes + 1); // node name -> renamed node name (0 stays 0)

  return (state) => {
    const s = state.length === L.size ? state : state.subarray(0, L.size);
    best.set(s);
    let changed = false;
    for (const p of perms) {
      // cand = s with node n renamed p[n].
      cand.set(s);
      for (let n = 0; n < nodes; n++) {
        map[n + 1] = p[n]! + 1;
        const from = own[n]!;
        const to = own[p[n]!]!;
        for (let k = 0; k < per; k++) cand[to[k]!] = s[from[k]!]!;
      }
      for (const at of named) cand[at] = map[s[at]!]!;
      let k = 0;
      while (k < cand.length && cand[k] === best[k]) k++;
      if (k < cand.length && cand[k]! < best[k]!) {
        best.set(cand);
        changed = true;
      }
    }
    if (changed) s.set(best);
  };
}
