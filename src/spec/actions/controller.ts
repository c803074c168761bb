/**
 * The StatefulSet controller (`reference-model.md`, "StatefulSet controller"), after upstream
 * `pkg/controller/statefulset/stateful_set_control.go`. Every guard condition is named so that
 * `explain` can say which one blocks an action.
 */
import { byOrdinal, cond, fail, isPrefilterOf, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, DELETING, EXISTS, NODE, PHASE, Phase, POD_SIZE, Pvc, READY, REV, Vol, type StsState } from '../state.js';
import { reqDelete } from './effects.js';

export function controllerFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L, r } = ctx;
  const { R, parallel, rolling, whenScaledDelete, maxUnavailable, minReady } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const common = { actor: 'controller', environment: false, instances: ordinals(ctx) };

  /** `NewRev(i)`: pods below the partition are (re)created at the current revision. */
  const newRev = (s: StsState, i: number) => (rolling && i < s[L.partition]! ? s[L.curRev]! : s[L.updRev]!);

  /** No pod `j` with `j >= replicas` exists. */
  const noCondemned = (s: StsState) => {
    for (let j = s[L.replicas]!; j < R; j++) if (s[P(j) + EXISTS] === 1) return false;
    return true;
  };

  const ctlCreate: Family = {
    ...common,
    name: 'CtlCreate',
    ...byOrdinal('CtlCreate'),
    guard(s, i, _b, why) {
      const pvc = s[L.pvc + i]!;
      if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
      if (!(s[P(i) + EXISTS] === 0) && fail(why, 'podAbsent')) return false;
      if (!(pvc !== Pvc.deleting) && fail(why, 'claimNotTerminating')) return false;
      if (!(pvc !== Pvc.owned) && fail(why, 'claimNotStale')) return false;
      if (!(parallel || r.allRRBelow(s, i)) && fail(why, 'predecessorsReady')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      const o = P(i);
      t[o + EXISTS] = 1;
      t[o + REV] = newRev(t, i);
      t[o + NODE] = 0;
      t[o + PHASE] = Phase.Pending;
      t[o + READY] = 0;
      t[o + DELETING] = 0;
      t[o + AVAILABLE] = 0;
      if (t[L.pvc + i] === Pvc.none) {
        t[L.pvc + i] = Pvc.bound;
        t[L.vol + i] = Vol.empty;
      }
    },
  };

  const ctlDeleteFailed: Family = {
    ...common,
    name: 'CtlDeleteFailed',
    ...byOrdinal('CtlDeleteFailed'),
    guard(s, i, _b, why) {
      const o = P(i);
      if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
      if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[o + PHASE] === Phase.Failed) && fail(why, 'failed')) return false;
      if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
      if (!(parallel || r.allRRBelow(s, i)) && fail(why, 'predecessorsReady')) return false;
      return why === undefined || why.length === 0;
    },
    effect: (t, i) => reqDelete(L, t, i),
  };

  const ctlScaleDown: Family = {
    ...common,
    name: 'CtlScaleDown',
    ...byOrdinal('CtlScaleDown'),
    guard(s, i, _b, why) {
      const o = P(i);
      const replicas = s[L.replicas]!;
      if (!(i >= replicas) && fail(why, 'condemned')) return false;
      if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
      if (whenScaledDelete) {
        // Claims of condemned pods are handed to them (CtlMarkClaim) before any is deleted.
        let claimsFixed = true;
        for (let j = replicas; j < R; j++) if (s[P(j) + EXISTS] === 1 && s[L.pvc + j] === Pvc.bound) claimsFixed = false;
        if (!claimsFixed && fail(why, 'claimsOwnedByCondemned')) return false;
      }
      if (!parallel) {
        let higher = false;
        for (let j = i + 1; j < R; j++) if (s[P(j) + EXISTS] === 1) higher = true;
        if (higher && fail(why, 'noHigherPod')) return false;
        if (!r.allRRBelow(s, replicas) && fail(why, 'replicasReady')) return false;
        // firstUnhealthyPod: an unhealthy target goes only if it is the lowest unhealthy condemned pod.
        let firstUnhealthy = r.rr(s, i);
        if (!firstUnhealthy) {
          firstUnhealthy = true;
          for (let j = replicas; j < i; j++) if (s[P(j) + EXISTS] === 1 && !r.rr(s, j)) firstUnhealthy = false;
        }
        if (!firstUnhealthy && fail(why, 'firstUnhealthy')) return false;
      }
      return why === undefined || why.length === 0;
    },
    effect: (t, i) => reqDelete(L, t, i),
  };

  /**
   * The conditions every CtlUpdate rule starts with: a rolling update, and pod i at or above the
   * partition, below spec.replicas, outdated and not Terminating. False when the guard must stop.
   */
  const outdatedInRange = (s: StsState, i: number, why: string[] | undefined): boolean => {
    const o = P(i);
    if (!rolling && fail(why, 'rollingUpdate')) return false;
    if (!(i >= s[L.partition]!) && fail(why, 'atOrAbovePartition')) return false;
    if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
    if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
    if (!(s[o + REV] !== s[L.updRev]!) && fail(why, 'outdated')) return false;
    if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
    return true;
  };

  const ctlUpdate: Family = {
    ...common,
    name: 'CtlUpdate',
    ...byOrdinal('CtlUpdate'),
    guard(s, i, _b, why) {
      if (!outdatedInRange(s, i, why)) return false;
      const replicas = s[L.replicas]!;
      const upd = s[L.updRev]!;
      let successorsUpdated = true;
      for (let j = i + 1; j < replicas; j++) if (!r.rr(s, j) || s[P(j) + REV] !== upd) successorsUpdated = false;
      if (!successorsUpdated && fail(why, 'successorsUpdatedAndReady')) return false;
      if (!parallel) {
        if (!r.allRRBelow(s, replicas) && fail(why, 'replicasReady')) return false;
        if (!noCondemned(s) && fail(why, 'noCondemnedPods')) return false;
      }
      return why === undefined || why.length === 0;
    },
    effect: (t, i) => reqDelete(L, t, i),
  };

  /**
   * `RR(j)`, and with `minReadySeconds` also Available (upstream `isRunningAndAvailable`, what the
   * rolling update waits for).
   */
  const ra = (s: StsState, j: number) => r.rr(s, j) && (!minReady || s[P(j) + AVAILABLE] === 1);

  /**
   * CtlUpdate beyond the reference profile (`maxUnavailable > 1` or `minReadySeconds`); the
   * reference guard above stays as it is. With maxUnavailable 1 it is the reference rule with
   * successors Available; with more (upstream KEP-961, `updateStatefulSetAfterInvariantEstablished`),
   * an outdated pod may go when every higher ordinal is updated, absent or already Terminating
   * (upstream deletes the highest outdated pods that are not Terminating first, several in one sync)
   * and the pods below replicas that are unavailable (absent ones included), pod i counted, stay
   * within maxUnavailable.
   */
  const ctlUpdateGeneral: Family = {
    ...ctlUpdate,
    guard(s, i, _b, why) {
      if (!outdatedInRange(s, i, why)) return false;
      const replicas = s[L.replicas]!;
      const upd = s[L.updRev]!;
      if (maxUnavailable === 1) {
        let successorsUpdated = true;
        for (let j = i + 1; j < replicas; j++) if (!ra(s, j) || s[P(j) + REV] !== upd) successorsUpdated = false;
        if (!successorsUpdated && fail(why, 'successorsUpdatedAndAvailable')) return false;
        if (!parallel && !r.allRRBelow(s, replicas) && fail(why, 'replicasReady')) return false;
      } else {
        let higherDone = true;
        for (let j = i + 1; j < replicas; j++) if (s[P(j) + EXISTS] === 1 && s[P(j) + REV] !== upd && s[P(j) + DELETING] === 0) higherDone = false;
        if (!higherDone && fail(why, 'higherOrdinalsUpdatedOrTerminating')) return false;
        let unavailable = ra(s, i) ? 1 : 0; // taking pod i down makes it unavailable too
        for (let j = 0; j < replicas; j++) if (!ra(s, j)) unavailable++;
        if (!(unavailable <= maxUnavailable) && fail(why, 'withinMaxUnavailable')) return false;
      }
      if (!parallel && !noCondemned(s) && fail(why, 'noCondemnedPods')) return false;
      return why === undefined || why.length === 0;
    },
  };

  const ctlAdvance: Family = {
    name: 'CtlAdvance',
    actor: 'controller',
    environment: false,
    instances: [[]],
    nodeParam: -1,
    label: () => 'CtlAdvance',
    fairGroup: () => 'CtlAdvance',
    guard(s, _a, _b, why) {
      const upd = s[L.updRev]!;
      if (!rolling && fail(why, 'rollingUpdate')) return false;
      if (!(s[L.curRev] !== upd) && fail(why, 'revisionsDiffer')) return false;
      if (!(r.podCount(s) === s[L.replicas]) && fail(why, 'podCountIsReplicas')) return false;
      let allUpdated = true;
      for (let j = 0; j < R; j++) if (s[P(j) + EXISTS] === 1 && (s[P(j) + REV] !== upd || !r.rr(s, j) || (minReady && s[P(j) + AVAILABLE] !== 1))) allUpdated = false;
      if (!allUpdated && fail(why, minReady ? 'allUpdatedAndAvailable' : 'allUpdatedAndReady')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t) {
      t[L.curRev] = t[L.updRev]!;
    },
  };

  const ctlRecreatePVC: Family = {
    ...common,
    name: 'CtlRecreatePVC',
    ...byOrdinal('CtlRecreatePVC'),
    guard(s, i, _b, why) {
      const o = P(i);
      if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
      if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[o + PHASE] === Phase.Pending) && fail(why, 'pending')) return false;
      if (!(s[L.pvc + i] === Pvc.none) && fail(why, 'claimMissing')) return false;
      if (!(parallel || r.allRRBelow(s, i)) && fail(why, 'predecessorsReady')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      t[L.pvc + i] = Pvc.bound;
      t[L.vol + i] = Vol.empty;
    },
  };

  // Prefilters (speed only): necessary conditions for some instance's guard to hold.
  const ords = range(R);
  const families = [
    withPrefilter(ctlCreate, cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 0), cond.gt(L.replicas, i)))),
    withPrefilter(ctlDeleteFailed, cond.some(ords, (i) => cond.and(cond.eq(P(i) + PHASE, Phase.Failed), cond.eq(P(i) + DELETING, 0), cond.gt(L.replicas, i)))),
    withPrefilter(ctlScaleDown, cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + DELETING, 0), cond.le(L.replicas, i)))),
    withPrefilter(maxUnavailable === 1 && !minReady ? ctlUpdate : ctlUpdateGeneral, rolling ? cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.differ(P(i) + REV, L.updRev))) : cond.never),
    withPrefilter(ctlAdvance, rolling ? cond.differ(L.curRev, L.updRev) : cond.never),
    withPrefilter(ctlRecreatePVC, cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(L.pvc + i, Pvc.none)))),
  ];
  if (!whenScaledDelete) return families;

  const ctlMarkClaim: Family = {
    ...common,
    name: 'CtlMarkClaim',
    ...byOrdinal('CtlMarkClaim'),
    guard(s, i, _b, why) {
      const replicas = s[L.replicas]!;
      if (!(i >= replicas) && fail(why, 'condemned')) return false;
      if (!(s[P(i) + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[L.pvc + i] === Pvc.bound) && fail(why, 'claimBound')) return false;
      if (!(parallel || r.allRRBelow(s, replicas)) && fail(why, 'replicasReady')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      t[L.pvc + i] = Pvc.owned;
    },
  };

  const ctlFixClaim: Family = {
    ...common,
    name: 'CtlFixClaim',
    ...byOrdinal('CtlFixClaim'),
    guard(s, i, _b, why) {
      if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
      if (!(s[P(i) + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[L.pvc + i] === Pvc.owned) && fail(why, 'claimOwned')) return false;
      if (!(parallel || r.allRRBelow(s, i + 1)) && fail(why, 'readyUpToSelf')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      t[L.pvc + i] = Pvc.bound;
    },
  };

  return [
    ...families,
    withPrefilter(ctlMarkClaim, cond.ne(L.replicas, R)),
    withPrefilter(ctlFixClaim, cond.some(ords, (i) => cond.eq(L.pvc + i, Pvc.owned))),
  ];
}

/**
 * With `deleteStatefulSet` enabled, every controller action (upstream's or a variant's) also needs
 * the StatefulSet object to exist: a deleted set is no longer synced. Without it the families are
 * returned as they are, so the reference guards do not change.
 */
export function requireSet(ctx: FamilyContext, families: readonly Family[]): Family[] {
  const { cfg, L } = ctx;
  if (!cfg.stsDeletion) return [...families];
  const at = L.stsDeleted;
  return families.map((f) => {
    const gated: Family = {
      ...f,
      guard(s, a, b, why) {
        if (!(s[at] === 0) && fail(why, 'setExists')) return false;
        return f.guard(s, a, b, why) && s[at] === 0;
      },
    };
    const pre = f.prefilter && isPrefilterOf(f.prefilter, f) ? f.prefilter.expr : 'true';
    return withPrefilter(gated, cond.and(cond.eq(at, 0), pre));
  });
}
