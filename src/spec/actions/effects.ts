/** Effect helpers shared by several actors (`reference-model.md`, helper definitions). */
import { Ctr, DELETING, NODE, PHASE, Phase, POD_SIZE, Pvc, Vol, type Layout, type StsState } from '../state.js';

/**
 * `ReqDelete(i)`, a graceful delete: an unscheduled pod, or one already terminated (`Failed`), is
 * removed at once; any other becomes Terminating. Upstream `CheckGracefulDelete`
 * (`pkg/registry/core/pod/strategy.go`) gives both grace period 0: there is no container for a
 * kubelet to stop, so the API server deletes the object without waiting for one.
 */
export function reqDelete(L: Layout, t: StsState, i: number): void {
  const o = L.pod + i * POD_SIZE;
  if (t[o + NODE] === 0 || t[o + PHASE] === Phase.Failed) t.fill(0, o, o + POD_SIZE);
  else t[o + DELETING] = 1;
}

/** `ForceRemove(i)`: the API frees the name without waiting: any live container becomes stale. */
export function forceRemove(L: Layout, t: StsState, i: number): void {
  const o = L.pod + i * POD_SIZE;
  t.fill(0, o, o + POD_SIZE);
  for (let n = 0; n < L.nodes; n++) {
    const c = L.ctr + n * L.R + i;
    if (t[c] === Ctr.live) t[c] = Ctr.stale;
  }
}

/** `RemovePVC(i)`: the claim is gone and its PV no longer backs identity `i`. */
export function removePVC(L: Layout, t: StsState, i: number): void {
  t[L.pvc + i] = Pvc.none;
  t[L.vol + i] = Vol.none;
}
