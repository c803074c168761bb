/**
 * The scheduler binds a pending pod to a node that is up and registered. With node-local storage
 * (`storage: local`) the VolumeBinding plugin also filters nodes by the PV's node affinity
 * (`volumeBinder.checkBoundClaims` → `volume.CheckNodeAffinity`, in
 * `pkg/scheduler/framework/plugins/volumebinding/binder.go`): once the claim's PV exists, only its
 * node fits ("node(s) didn't match PersistentVolume's node affinity"). Before that, the claim's
 * StorageClass has `volumeBindingMode: WaitForFirstConsumer`, so any node fits and binding the
 * pod selects it (`AssumePodVolumes`/`BindPodVolumes` set `volume.kubernetes.io/selected-node`);
 * the provisioner then creates the PV there with node affinity to it. The model folds the two
 * steps into the binding: the first `Schedule` pins the PV to its node.
 */
import { cond, family, ordinalNodePairs, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { DELETING, EXISTS, NODE, NodeSt, POD_SIZE, Pvc, type StsState } from '../state.js';

export function schedulerFamilies(ctx: FamilyContext): Family[] {
  const { L } = ctx;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const schedule = family({
    name: 'Schedule',
    actor: 'scheduler',
    environment: false,
    instances: ordinalNodePairs(ctx),
    nodeParam: 1,
    label: (i, n) => `Schedule(${i},${n + 1})`,
    // Fair per ordinal over all nodes: the scheduler may pick any node, but must pick one.
    fairGroup: (i) => `Schedule(${i})`,
    when: {
      exists: (s, i) => s[P(i) + EXISTS] === 1,
      unscheduled: (s, i) => s[P(i) + NODE] === 0,
      notTerminating: (s, i) => s[P(i) + DELETING] === 0,
      claimUsable: (s, i) => s[L.pvc + i] === Pvc.bound || s[L.pvc + i] === Pvc.owned,
      nodeUp: (s, _i, n) => s[L.nodeSt + n] === NodeSt.Up,
      nodeRegistered: (s, _i, n) => s[L.nodeObj + n] === 1,
      // The out-of-service taint is NoExecute: the scheduler places no pod there that does not tolerate it.
      ...(L.hasAttach ? { notOutOfService: (s: StsState, _i: number, n: number) => s[L.oos + n] === 0 } : {}),
      ...(L.hasLocalStorage ? { volumeNodeAffinity: (s: StsState, i: number, n: number) => s[L.pvNode + i] === 0 || s[L.pvNode + i] === n + 1 } : {}),
    },
    effect(t, i, n) {
      t[P(i) + NODE] = n + 1;
      if (L.hasLocalStorage && t[L.pvNode + i] === 0) t[L.pvNode + i] = n + 1; // provisioned on the selected node
    },
  });
  // Prefilter (speed only): some pod exists unscheduled.
  return [withPrefilter(schedule, cond.some(range(ctx.cfg.R), (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + NODE, 0))))];
}
