/**
 * Node symmetry: nodes are interchangeable in the model (no rule, property or initial state
 * singles one out), so a state and the same state with its nodes renamed behave alike. The
 * explorer can keep one state per class of renamings: the *canonical representative*, here the
 * byte-wise smallest working form over all `nodes!` permutations. It depends only on the class,
 * so two states of one class always meet in the seen table (as TLC's `SYMMETRY Permutations(Nodes)`).
 *
 * A node appears in the state as an index (the rows of `ctr`, `nodeSt`, `nodeObj`, `oos`) and as
 * a value, node name `n + 1` (`pod[i].node`, its cached copy, `att[i]`, `ranOn[i]`, `pvNode[i]`); a renaming
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

/**
 * Replaces `s`, in place, by the canonical representative of its class under node renamings.
 *
 * Speed (this runs once per generated state): no candidate is built. For each renaming, where
 * each byte comes from (`from`) and whether it is a node name to rename is precomputed, and two
 * renamings are compared byte by byte from the start, stopping at the first difference, which
 * comes early (the pods' nodes are near the front of the layout). Only the winner is written.
 */
export function nodeCanonicalizer(L: Layout): (s: StsState) => void {
  const { R, nodes, size } = L;
  if (nodes <= 1) return () => {};
  const perms = permutations(nodes);
  const isName = new Uint8Array(size);
  for (let i = 0; i < R; i++) {
    isName[L.pod + i * POD_SIZE + NODE] = 1;
    if (L.hasStaleReads) isName[L.seen + i * POD_SIZE + NODE] = 1;
    if (L.hasAttach) isName[L.att + i] = 1;
    if (L.hasStaleKubelet) isName[L.ranOn + i] = 1;
    if (L.hasLocalStorage) isName[L.pvNode + i] = 1;
  }
  /** Per node, the offsets of its own bytes: its `ctr` row, status, Node object, taint. */
  const own = Array.from({ length: nodes }, (_, n) => {
    const at = [L.nodeSt + n, L.nodeObj + n];
    for (let i = 0; i < R; i++) at.push(L.ctr + n * R + i);
    if (L.hasAttach) at.push(L.oos + n);
    return at;
  });
  // Renaming p moves node n's bytes to node p[n]'s places, and maps node name n + 1 to p[n] + 1.
  const from = perms.map((p) => {
    const f = Int32Array.from({ length: size }, (_, k) => k);
    for (let n = 0; n < nodes; n++) own[n]!.forEach((at, j) => (f[own[p[n]!]![j]!] = at));
    return f;
  });
  const rename = perms.map((p) => Uint8Array.from({ length: nodes + 1 }, (_, v) => (v === 0 ? 0 : p[v - 1]! + 1)));
  const out = new Uint8Array(size);

  return (s) => {
    let best = 0; // the identity
    for (let q = 1; q < perms.length; q++) {
      const fq = from[q]!;
      const rq = rename[q]!;
      const fb = from[best]!;
      const rb = rename[best]!;
      for (let k = 0; k < size; k++) {
        const a = isName[k] === 1 ? rq[s[fq[k]!]!]! : s[fq[k]!]!;
        const b = isName[k] === 1 ? rb[s[fb[k]!]!]! : s[fb[k]!]!;
        if (a !== b) {
          if (a < b) best = q;
          break;
        }
      }
    }
    if (best === 0) return;
    const f = from[best]!;
    const r = rename[best]!;
    for (let k = 0; k < size; k++) out[k] = isName[k] === 1 ? r[s[f[k]!]!]! : s[f[k]!]!;
    s.set(out);
  };
}
