/**
 * The StatefulSet controller, after upstream `pkg/controller/statefulset/stateful_set_control.go`
 * (`updateStatefulSet`, `processReplica`, `processCondemned`, `completeRollingUpdate`) and
 * `stateful_pod_control.go`, written in the controller API (`../cluster.ts`, `../action.ts`): each
 * action's guard is the list of conditions upstream checks, by name and in upstream's order, and
 * its effect is the API request upstream makes. A controller variant starts from these
 * declarations (`upstream` in `ControllerVariant.controller`).
 *
 * `OrderedReady` (monotonic) is upstream's sync loop stopping at the first pod that is not Running
 * and Ready; `Parallel` (burst) drops those waits. One step of the model is one request of a sync.
 */
import type { Condition, ControllerAction, Conditions } from '../action.js';
import type { Cluster } from '../cluster.js';
import type { StsConfig } from '../config.js';

export function controllerActions(cfg: StsConfig): ControllerAction[] {
  const { R, parallel, rolling, whenScaledDelete, maxUnavailable, minReady, muBudget135 } = cfg;
  /** Monotonic mode: pods 0..k-1 must all be Running and Ready (vacuous under Parallel). */
  const readyBelow = (c: Cluster, k: number) => parallel || c.allRunningAndReadyBelow(k);

  // Conditions several actions check, each under its own name wherever it appears.
  const inRange: Condition = (c, i) => i < c.set.replicas;
  const condemned: Condition = (c, i) => i >= c.set.replicas;
  const exists: Condition = (c, i) => c.pod(i).exists;
  const notTerminating: Condition = (c, i) => !c.pod(i).terminating;
  const predecessorsReady: Condition = (c, i) => readyBelow(c, i);

  // processReplica: create a missing pod (and its claim), once every predecessor is Running and
  // Ready; a claim being deleted, or still owned by the old pod (PodClaimIsStale), blocks it.
  const ctlCreate: ControllerAction = {
    name: 'CtlCreate',
    over: 'ordinal',
    when: {
      inRange,
      podAbsent: (c, i) => !c.pod(i).exists,
      claimNotTerminating: (c, i) => c.claim(i).status !== 'deleting',
      claimNotStale: (c, i) => c.claim(i).status !== 'owned',
      predecessorsReady,
    },
    screen: ['podAbsent', 'inRange'],
    then: (w, i, c) => w.createPod(i, c.newRevision(i)),
  };

  // processReplica: a Failed pod is deleted (and then recreated), in order.
  const ctlDeleteFailed: ControllerAction = {
    name: 'CtlDeleteFailed',
    over: 'ordinal',
    when: {
      inRange,
      exists,
      failed: (c, i) => c.isFailed(i),
      notTerminating,
      predecessorsReady,
    },
    screen: ['failed'],
    then: (w, i) => w.deletePod(i),
  };

  // processCondemned: condemned pods go highest first, each waiting for terminating successors;
  // an unhealthy one only if it is the first unhealthy pod (firstUnhealthyPod). Under
  // whenScaled: Delete the claims are handed to their pods first (fixPodClaim, same sync).
  const ctlScaleDown: ControllerAction = {
    name: 'CtlScaleDown',
    over: 'ordinal',
    when: {
      condemned,
      exists,
      notTerminating,
      ...(whenScaledDelete ? { claimsOwnedByCondemned: (c: Cluster) => condemnedClaimsOwned(c) } : {}),
      ...(parallel
        ? {}
        : {
            noHigherPod: (c: Cluster, i: number) => !c.someAbove(i),
            replicasReady: (c: Cluster) => c.allRunningAndReadyBelow(c.set.replicas),
            firstUnhealthy: (c: Cluster, i: number) => c.isRunningAndReady(i) || firstUnhealthyCondemned(c, i),
          }),
    },
    screen: ['condemned', 'exists'],
    then: (w, i) => w.deletePod(i),
  };
  /** No condemned pod still has a claim that is merely bound (not yet owned by it). */
  const condemnedClaimsOwned = (c: Cluster) => {
    for (let j = c.set.replicas; j < R; j++) if (c.pod(j).exists && c.claim(j).status === 'bound') return false;
    return true;
  };
  /** Every existing pod between replicas and i is healthy: pod i is the lowest unhealthy condemned pod. */
  const firstUnhealthyCondemned = (c: Cluster, i: number) => {
    for (let j = c.set.replicas; j < i; j++) if (c.pod(j).exists && !c.isRunningAndReady(j)) return false;
    return true;
  };

  // The rolling update (updateStatefulSet, after processReplica and processCondemned): the highest
  // outdated pod at or above the partition is deleted once every higher one is updated and Running
  // and Ready, every pod is Running and Ready, and no condemned pod is left (monotonic).
  const outdatedInRange: Conditions = {
    rollingUpdate: () => rolling,
    atOrAbovePartition: (c, i) => i >= c.set.partition,
    inRange,
    exists,
    outdated: (c, i) => c.pod(i).revision !== c.set.updateRevision,
    notTerminating,
  };
  /** Every ordinal between i and replicas is at the update revision, Running and Ready (and Available, if `available`). */
  const successorsUpdated = (c: Cluster, i: number, available: boolean) => {
    const replicas = c.set.replicas;
    const updateRevision = c.set.updateRevision;
    for (let j = i + 1; j < replicas; j++) {
      if (c.pod(j).revision !== updateRevision || !(available ? c.isRunningAndAvailable(j) : c.isRunningAndReady(j))) return false;
    }
    return true;
  };
  const ctlUpdateReference: ControllerAction = {
    name: 'CtlUpdate',
    over: 'ordinal',
    when: {
      ...outdatedInRange,
      successorsUpdatedAndReady: (c, i) => successorsUpdated(c, i, false),
      ...(parallel
        ? // MaxUnavailableStatefulSet as released in 1.35.0 (#137409): updateStatefulSetAfterInvariantEstablished
          // spends maxUnavailable on the pods that are unavailable, so one that never becomes Ready blocks it.
          muBudget135
          ? { replicasReady: (c: Cluster) => c.allRunningAndReadyBelow(c.set.replicas) }
          : {}
        : {
            replicasReady: (c: Cluster) => c.allRunningAndReadyBelow(c.set.replicas),
            noCondemnedPods: (c: Cluster) => !c.someCondemned(),
          }),
    },
    screen: ['rollingUpdate', 'outdated', 'exists'],
    then: (w, i) => w.deletePod(i),
  };
  // Beyond the reference profile: with minReadySeconds successors must be Available; with
  // maxUnavailable > 1 (KEP-961, updateStatefulSetAfterInvariantEstablished) an outdated pod may go
  // when every higher ordinal is updated, absent or already Terminating (upstream deletes the
  // highest outdated non-terminating pods first, several per sync) and the pods below replicas that
  // are unavailable, absent ones and pod i included, stay within maxUnavailable.
  const ctlUpdateGeneral: ControllerAction = {
    ...ctlUpdateReference,
    when: {
      ...outdatedInRange,
      ...(maxUnavailable === 1
        ? {
            successorsUpdatedAndAvailable: (c: Cluster, i: number) => successorsUpdated(c, i, true),
            ...(parallel && !muBudget135 ? {} : { replicasReady: (c: Cluster) => c.allRunningAndReadyBelow(c.set.replicas) }),
          }
        : {
            higherOrdinalsUpdatedOrTerminating: (c: Cluster, i: number) => {
              for (let j = i + 1; j < c.set.replicas; j++) {
                const p = c.pod(j);
                if (p.exists && p.revision !== c.set.updateRevision && !p.terminating) return false;
              }
              return true;
            },
            withinMaxUnavailable: (c: Cluster, i: number) => {
              let unavailable = c.isRunningAndAvailable(i) ? 1 : 0; // taking pod i down makes it unavailable too
              for (let j = 0; j < c.set.replicas; j++) if (!c.isRunningAndAvailable(j)) unavailable++;
              return unavailable <= maxUnavailable;
            },
          }),
      ...(parallel ? {} : { noCondemnedPods: (c: Cluster) => !c.someCondemned() }),
    },
  };

  // completeRollingUpdate: updated = ready = created = spec.replicas (Available with minReadySeconds).
  // Up to 1.35 only under RollingUpdate; #136833 (1.36) dropped that condition, so OnDelete sets
  // get their currentRevision promoted too (parameter onDeleteCompletes).
  const ctlAdvance: ControllerAction = {
    name: 'CtlAdvance',
    over: 'once',
    when: {
      ...(cfg.onDeleteCompletes ? {} : { rollingUpdate: () => rolling }),
      revisionsDiffer: (c) => c.set.currentRevision !== c.set.updateRevision,
      podCountIsReplicas: (c) => c.podCount() === c.set.replicas,
      [minReady ? 'allUpdatedAndAvailable' : 'allUpdatedAndReady']: (c: Cluster) => {
        for (let j = 0; j < R; j++) {
          if (c.pod(j).exists && (c.pod(j).revision !== c.set.updateRevision || !c.isRunningAndAvailable(j))) return false;
        }
        return true;
      },
    },
    screen: cfg.onDeleteCompletes ? ['revisionsDiffer'] : ['rollingUpdate', 'revisionsDiffer'],
    then: (w) => w.completeRollingUpdate(),
  };

  // createMissingPersistentVolumeClaims, for a pod that is still Pending and lost its claim.
  const ctlRecreatePVC: ControllerAction = {
    name: 'CtlRecreatePVC',
    over: 'ordinal',
    when: {
      inRange,
      exists,
      pending: (c, i) => c.pod(i).phase === 'Pending',
      claimMissing: (c, i) => !c.claim(i).exists,
      predecessorsReady,
    },
    screen: ['claimMissing', 'exists'],
    then: (w, i) => w.createClaim(i),
  };

  const actions = [ctlCreate, ctlDeleteFailed, ctlScaleDown, maxUnavailable === 1 && !minReady ? ctlUpdateReference : ctlUpdateGeneral, ctlAdvance, ctlRecreatePVC];
  if (!whenScaledDelete) return actions;

  // whenScaled: Delete (UpdatePodClaimForRetentionPolicy): a condemned pod becomes its claim's
  // owner, so the garbage collector deletes the claim with the pod; back in range, the ownership
  // is removed again.
  const ctlMarkClaim: ControllerAction = {
    name: 'CtlMarkClaim',
    over: 'ordinal',
    when: { condemned, exists, claimBound: (c, i) => c.claim(i).status === 'bound', replicasReady: (c) => readyBelow(c, c.set.replicas) },
    screen: ['condemned'],
    then: (w, i) => w.markClaimOwned(i),
  };
  const ctlFixClaim: ControllerAction = {
    name: 'CtlFixClaim',
    over: 'ordinal',
    when: { inRange, exists, claimOwned: (c, i) => c.claim(i).status === 'owned', readyUpToSelf: (c, i) => readyBelow(c, i + 1) },
    screen: ['claimOwned'],
    then: (w, i) => w.fixClaim(i),
  };
  return [...actions, ctlMarkClaim, ctlFixClaim];
}

/**
 * Conditions every controller action (upstream's or a variant's) starts with, beyond its own: with
 * `deleteStatefulSet`, the StatefulSet object exists (a deleted set is no longer synced); with
 * `readOwnWrites`, the cache has observed the controller's own writes (KEP-5647: the sync waits
 * until the informer's resource version reaches the one its last write returned). Without these
 * features the actions are returned as they are, so the reference guards do not change.
 */
export function syncPreconditions(cfg: StsConfig, actions: readonly ControllerAction[]): ControllerAction[] {
  const first: Conditions = {
    ...(cfg.stsDeletion ? { setExists: (c: Cluster) => !c.set.deleted } : {}),
    ...(cfg.readOwnWrites ? { ownWritesObserved: (c: Cluster) => !c.writesUnobserved } : {}),
  };
  const names = Object.keys(first);
  if (names.length === 0) return [...actions];
  return actions.map((a) => ({ ...a, when: { ...first, ...a.when }, screen: [...names, ...(a.screen ?? [])] }));
}
