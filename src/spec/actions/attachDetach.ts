/**
 * The attach/detach controller (kube-controller-manager, `pkg/controller/volume/attachdetach`),
 * present only with volume attachment (`attach` is `rwo` or `rwop`). For each identity it keeps the
 * volume attached to at most one node (ReadWriteOnce and ReadWriteOncePod are not multi-attachable,
 * `IsMultiAttachAllowed`), attaches it where a pod wants it, and detaches it where no pod does:
 * after the node has unmounted it, or at once under the out-of-service taint, or, from a node that
 * is not Ready, after the 6-minute unmount timeout (unless `--disable-force-detach-on-timeout`).
 */
import { byOrdinal, cond, family, ordinalNodePairs, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { NodeSt, Pvc, type StsState } from '../state.js';
import { wanted } from './effects.js';

export function attachDetachFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  if (!L.hasAttach) return [];
  const common = { actor: 'attachDetach', environment: false };
  /** Node index holding identity i's volume, or -1. */
  const attachedTo = (s: StsState, i: number) => s[L.att + i]! - 1;
  /**
   * The conditions both detaches start with: the volume is attached to a node where no pod that
   * has not terminated wants it (`reconcile` looks only at such volumes).
   */
  const attachedUnwanted = {
    volumeAttached: (s: StsState, i: number) => attachedTo(s, i) >= 0,
    notWanted: (s: StsState, i: number) => attachedTo(s, i) < 0 || !wanted(L, s, i, attachedTo(s, i)),
  };
  const detach = (t: StsState, i: number) => {
    t[L.att + i] = 0;
    t[L.inUse + i] = 0;
  };

  // attachDesiredVolumes (reconciler.go): attach where a pod wants the volume; if it is attached
  // elsewhere already, report a Multi-Attach error and wait (here: the guard attachedNowhere).
  const attach = family({
    ...common,
    name: 'ADCAttach',
    instances: ordinalNodePairs(ctx),
    nodeParam: 1,
    label: (i, n) => `ADCAttach(${i},${n + 1})`,
    fairGroup: (i, n) => `ADCAttach(${i},${n + 1})`,
    when: {
      wantedOnNode: (s, i, n) => wanted(L, s, i, n),
      claimExists: (s, i) => s[L.pvc + i] !== Pvc.none,
      attachedNowhere: (s, i) => s[L.att + i] === 0,
    },
    effect(t, i, n) {
      t[L.att + i] = n + 1;
    },
  });

  /** A detach of identity i's volume from where it is attached, once `more` conditions hold too. */
  const detachFamily = (name: string, more: Readonly<Record<string, (s: StsState, i: number) => boolean>>) =>
    family({ ...common, name, instances: ordinals(ctx), ...byOrdinal(name), when: { ...attachedUnwanted, ...more }, effect: detach });

  // reconcile (reconciler.go): a volume attached where no pod wants it is detached once the node
  // no longer reports it mounted (volumesInUse), or at once if the node has the out-of-service taint.
  const detachUnwanted = detachFamily('ADCDetach', {
    unmountedOrOutOfService: (s, i) => s[L.inUse + i] === 0 || (attachedTo(s, i) >= 0 && s[L.oos + attachedTo(s, i)] === 1),
  });

  const families = [
    withPrefilter(attach, cond.some(range(cfg.R), (i) => cond.eq(L.att + i, 0))),
    withPrefilter(detachUnwanted, cond.some(range(cfg.R), (i) => cond.ne(L.att + i, 0))),
  ];
  if (!cfg.forceDetachOnTimeout) return families;

  // The same reconcile loop, once maxWaitForUnmountDuration (6 minutes) has passed: a volume still
  // reported mounted is force-detached, but only from a node that is not healthy (Ready condition
  // false or unknown, or no Node object), since 1.25 (#110721). Time is abstract: "eventually".
  const forceDetach = detachFamily('ADCForceDetach', {
    volumeInUse: (s, i) => s[L.inUse + i] === 1,
    nodeUnhealthy: (s, i) => {
      const n = attachedTo(s, i);
      return n < 0 || !(s[L.nodeObj + n] === 1 && s[L.nodeSt + n] === NodeSt.Up);
    },
  });
  return [...families, withPrefilter(forceDetach, cond.some(range(cfg.R), (i) => cond.eq(L.inUse + i, 1)))];
}
