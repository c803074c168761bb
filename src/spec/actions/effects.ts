/** Effect helpers shared by several actors (`reference-model.md`, helper definitions). */
import { Ctr, DELETING, NODE, POD_SIZE, Pvc, Vol, type Layout, type StsState } from '../state.js';

/** `ReqDelete(i)`: an unscheduled pod object goes at once; a scheduled one becomes Terminating. */
export function reqDelete(L: Layout, t: StsState, i: number): void {
  const o = L.pod + i * POD_SIZE;
  if (t[o + NODE] === 0) t.fill(0, o, o + POD_SIZE);
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
