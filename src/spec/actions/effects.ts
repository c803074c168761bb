/** Effect helpers shared by several actors (`reference-model.md`, helper definitions). */
import { Ctr, DELETING, EXISTS, NODE, PHASE, Phase, POD_SIZE, Pvc, Vol, type Layout, type StsState } from '../state.js';

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

/**
 * `ForceRemove(i)`: the API frees the name without waiting: any live container becomes stale (a
 * node running a stale and a live one, `both`, keeps only stale ones: neither belongs to a pod now).
 */
export function forceRemove(L: Layout, t: StsState, i: number): void {
  const o = L.pod + i * POD_SIZE;
  t.fill(0, o, o + POD_SIZE);
  for (let n = 0; n < L.nodes; n++) {
    const c = L.ctr + n * L.R + i;
    if (t[c] === Ctr.live || t[c] === Ctr.both) t[c] = Ctr.stale;
  }
}

/**
 * The kubelet of node `n` stops pod `i`'s container (termination, eviction), and with
 * `staleKubelet` remembers that the identity ran there (`ranOn`). Without volume
 * attachment nothing of the identity is left on the node; with it, a stale container sharing the
 * node (`both`) is not the pod's and keeps running until `KubeletKillStale`.
 */
export function stopContainer(L: Layout, t: StsState, n: number, i: number): void {
  const c = L.ctr + n * L.R + i;
  // What a stale relist may bring back: this incarnation ran on n (only with staleKubelet).
  if (L.hasStaleKubelet) t[L.ranOn + i] = n + 1;
  t[c] = L.hasAttach && t[c] !== Ctr.live ? (t[c] === Ctr.both ? Ctr.stale : t[c]!) : Ctr.none;
}

/**
 * `RemovePVC(i)`: the claim is gone and its PV no longer backs identity `i`. With volume
 * attachment the replacement claim will bind a new PV, attached nowhere yet; with local storage, a
 * new PV on no node yet.
 */
export function removePVC(L: Layout, t: StsState, i: number): void {
  t[L.pvc + i] = Pvc.none;
  t[L.vol + i] = Vol.none;
  if (L.hasAttach) {
    t[L.att + i] = 0;
    t[L.inUse + i] = 0;
  }
  // A local PV goes with its claim (reclaim Delete), or stays Released on its node (Retain): either
  // way the replacement claim waits for its first consumer again and may be provisioned anywhere.
  if (L.hasLocalStorage) t[L.pvNode + i] = 0;
  // A pre-provisioned PV whose claim is gone is Released: the PV controller never binds it to a new
  // claim (it keeps its claimRef until an administrator clears it), and nothing provisions another.
  if (L.hasStaticPVs) t[L.spent + i] = 1;
}

/**
 * `CreateClaim(i)`: a new claim binds its PV at once: a freshly provisioned, empty one; with
 * `provisioning: static` the ordinal's pre-provisioned PV, or, once that was released, none (the
 * claim stays Pending: `syncUnboundClaim` in `pkg/controller/volume/persistentvolume/pv_controller.go`
 * finds no available volume and, without a StorageClass, provisions none).
 */
export function createClaim(L: Layout, t: StsState, i: number): void {
  if (L.hasStaticPVs && t[L.spent + i] === 1) {
    t[L.pvc + i] = Pvc.pending;
    t[L.vol + i] = Vol.none;
  } else {
    t[L.pvc + i] = Pvc.bound;
    t[L.vol + i] = Vol.empty;
  }
}

/**
 * `Wanted(i, n)`: the attach/detach controller's desired state puts identity i's volume on node n
 * (pod i exists there and has not terminated: `DetermineVolumeAction` drops Failed pods, and a
 * Terminating pod on an unreachable node still shows running containers, so it stays wanted).
 */
export function wanted(L: Layout, s: StsState, i: number, n: number): boolean {
  const o = L.pod + i * POD_SIZE;
  return s[o + EXISTS] === 1 && s[o + NODE] === n + 1 && s[o + PHASE] !== Phase.Failed;
}

/**
 * A request to delete claim `i` (a user's `kubectl delete pvc`, or a controller's): a claim that a
 * scheduled pod object still uses is only marked for deletion (the `kubernetes.io/pvc-protection`
 * finalizer); otherwise it goes at once. Returns whether it went at once. A claim that does not
 * exist or is already being deleted is left as it is.
 */
export function requestClaimDeletion(L: Layout, t: StsState, i: number): boolean {
  const pvc = t[L.pvc + i];
  if (pvc !== Pvc.bound && pvc !== Pvc.owned) return false;
  const o = L.pod + i * POD_SIZE;
  if (t[o + EXISTS] === 1 && t[o + NODE] !== 0) {
    t[L.pvc + i] = Pvc.deleting;
    return false;
  }
  removePVC(L, t, i);
  return true;
}
