/** The properties of `reference-model.md` ("Properties"): invariants, step properties, liveness. */
import type { ActionInstance, Property } from '../explorer/model.js';
import type { StsConfig } from './config.js';
import { Ctr, CTR_COUNT, EXISTS, POD_SIZE, Pvc, REV, Vol, type Layout, type Reads, type StsState } from './state.js';

export const PROPERTY_DOCS = [
  { name: 'AtMostOne', kind: 'invariant', description: 'at most one container runs for each pod identity, on all nodes together' },
  { name: 'AtMostOneWriter', kind: 'invariant', description: 'with volume attachment: at most one container of each identity runs on the node its volume is attached to (the only node that can write it)' },
  { name: 'NoUnsafeDetach', kind: 'transition', description: 'with volume attachment: a volume is detached from a node only when no container of the identity runs there' },
  { name: 'OrderedCreation', kind: 'transition', description: 'a pod is created only when every lower ordinal is Running and Ready' },
  { name: 'OrderedTermination', kind: 'transition', description: 'scale-down deletes pod i only when no higher pod exists and every pod below replicas is Running and Ready' },
  { name: 'NoDataLoss', kind: 'transition', description: 'with reclaim Delete, a volume holding data is destroyed only for a scaled-away ordinal or by the retention policy (whenScaled, or whenDeleted once the set is deleted)' },
  { name: 'StableStorage', kind: 'transition', description: 'a member that wrote data never starts again on a volume without that data' },
  {
    name: 'ScaleDownKeepsData',
    kind: 'transition',
    description:
      'a scale-down under whenScaled Delete never takes a volume holding data from its ordinal: the garbage collector deletes a condemned pod\'s claim (GCClaim) only when its volume holds no data (with reclaim Delete the data is destroyed; with Retain it stays on a Released PV that the ordinal, scaled back up, does not get back: it starts on a new, empty volume either way)',
  },
  { name: 'PartitionRespected', kind: 'transition', description: 'with RollingUpdate, a pod below the partition is created at the current revision' },
  { name: 'ReverseOrderUpdate', kind: 'transition', description: 'with rollback or staleReads: the rolling update deletes pod i (CtlUpdate, or a variant\'s CtlDeleteStuck) only when every existing pod between i and replicas is updated, Running and Ready' },
  { name: 'OrderedUpdate', kind: 'transition', description: 'with staleReads, under OrderedReady: the rolling update deletes a pod only when every pod below replicas is Running and Ready (judged on the true state)' },
  { name: 'EventuallyConverged', kind: 'liveness', description: 'eventually always: pods 0..replicas-1 Running, Ready and updated (at or above the partition), and none above (no pod at all once the set is deleted)' },
  { name: 'ScaleDownCompletes', kind: 'liveness', description: 'eventually always: no pod at or above spec.replicas exists (no pod at all once the set is deleted)' },
  { name: 'RolloutCompletes', kind: 'liveness', description: 'eventually always: status.currentRevision equals status.updateRevision' },
  { name: 'RecoversAfterRevert', kind: 'liveness', description: 'with rollback: whenever the update revision is not a bad one, the set eventually converges (as EventuallyConverged)' },
] as const;

type PropertyName = (typeof PROPERTY_DOCS)[number]['name'];
const doc = (name: PropertyName) => PROPERTY_DOCS.find((d) => d.name === name)!.description;
const invariant = (name: PropertyName, holds: (s: StsState) => boolean): Property<StsState> => ({ kind: 'invariant', name, description: doc(name), holds });
const transition = (name: PropertyName, holds: (pre: StsState, post: StsState, action: number) => boolean): Property<StsState> => ({
  kind: 'transition',
  name,
  description: doc(name),
  holds,
});
const eventuallyAlways = (name: PropertyName, p: (s: StsState) => boolean): Property<StsState> => ({ kind: 'liveness', name, description: doc(name), form: 'eventuallyAlways', p });
const leadsTo = (name: PropertyName, p: (s: StsState) => boolean, q: (s: StsState) => boolean): Property<StsState> => ({ kind: 'liveness', name, description: doc(name), form: 'leadsTo', p, q });

export function properties(cfg: StsConfig, L: Layout, r: Reads, actions: readonly ActionInstance[]): Property<StsState>[] {
  const { R, nodes } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const exists = (s: StsState, i: number) => s[P(i) + EXISTS] === 1;
  const created = (pre: StsState, post: StsState, i: number) => !exists(pre, i) && exists(post, i);
  // Per action instance: the ordinal of a CtlScaleDown, else -1 (OrderedTermination looks at the action).
  const scaleDownOrdinal = Int8Array.from(actions, (a) => (a.family === 'CtlScaleDown' ? a.params[0]! : -1));
  // Per action instance: the ordinal a rolling update deletes (CtlUpdate, or a variant's CtlDeleteStuck), else -1.
  const updateOrdinal = Int8Array.from(actions, (a) => (a.family === 'CtlUpdate' || a.family === 'CtlDeleteStuck' ? a.params[0]! : -1));
  const ctlUpdateOrdinal = Int8Array.from(actions, (a) => (a.family === 'CtlUpdate' ? a.params[0]! : -1));
  // Per action instance: the ordinal whose volume an ADCDetach / ADCForceDetach detaches, else -1.
  const detachOrdinal = Int8Array.from(actions, (a) => (a.family === 'ADCDetach' || a.family === 'ADCForceDetach' ? a.params[0]! : -1));
  // Per action instance: the ordinal whose claim the garbage collector deletes for whenScaled
  // Delete (GCClaim: the claim's owner, its condemned pod, is gone), else -1.
  const gcClaimOrdinal = Int8Array.from(actions, (a) => (a.family === 'GCClaim' ? a.params[0]! : -1));

  const noPodAboveOrAt = (s: StsState, k: number) => {
    for (let j = k; j < R; j++) if (exists(s, j)) return false;
    return true;
  };
  /** The StatefulSet object was deleted (`deleteStatefulSet`): then converged means no pod is left. */
  const setDeleted = (s: StsState) => cfg.stsDeletion && s[L.stsDeleted] === 1;
  const converged = (s: StsState) => {
    if (setDeleted(s)) return noPodAboveOrAt(s, 0);
    const replicas = s[L.replicas]!;
    for (let i = 0; i < replicas; i++) {
      if (!r.rr(s, i)) return false;
      if (cfg.rolling && i >= s[L.partition]! && s[P(i) + REV] !== s[L.updRev]) return false;
    }
    return noPodAboveOrAt(s, replicas);
  };

  /**
   * With rollback or stale reads: the order of the rolling update, judged on the true state
   * (upstream's controller keeps it by construction when it reads the truth; a stale view, or a
   * variant run with rollback such as PR #100289's, can break it).
   */
  const reverseOrderUpdate = transition('ReverseOrderUpdate', (pre, _post, action) => {
    const i = updateOrdinal[action]!;
    if (i < 0) return true;
    for (let j = i + 1; j < pre[L.replicas]!; j++) if (exists(pre, j) && (pre[P(j) + REV] !== pre[L.updRev] || !r.rr(pre, j))) return false;
    return true;
  });

  /** Only with stale reads: the controller's ordering guarantees, judged on the true state. */
  function staleReadProperties(): Property<StsState>[] {
    return [
      transition('OrderedUpdate', (pre, _post, action) => {
        if (cfg.parallel || ctlUpdateOrdinal[action]! < 0) return true;
        return r.allRRBelow(pre, pre[L.replicas]!);
      }),
    ];
  }

  /** Only with volume attachment: without it there is no attachment to reason about. */
  function attachProperties(): Property<StsState>[] {
    return [
      invariant('AtMostOneWriter', (s) => {
        // Detach fences every other node, and att is single-valued: only a double mount on the
        // attached node itself (a stale and a live container, `both`) can break this.
        for (let i = 0; i < R; i++) {
          const n = s[L.att + i]! - 1;
          if (n >= 0 && s[L.ctr + n * R + i] === Ctr.both) return false;
        }
        return true;
      }),
      transition('NoUnsafeDetach', (pre, _post, action) => {
        // CSI: ControllerUnpublish only after NodeUnpublish/NodeUnstage, or writes are lost.
        const i = detachOrdinal[action]!;
        if (i < 0) return true;
        const n = pre[L.att + i]! - 1;
        return n < 0 || pre[L.ctr + n * R + i] === Ctr.none;
      }),
    ];
  }

  return [
    invariant('AtMostOne', (s) => {
      for (let i = 0; i < R; i++) {
        let running = 0;
        for (let n = 0; n < nodes; n++) running += CTR_COUNT[s[L.ctr + n * R + i]!]!;
        if (running > 1) return false;
      }
      return true;
    }),
    ...(L.hasAttach ? attachProperties() : []),
    transition('OrderedCreation', (pre, post) => {
      for (let i = 1; i < R; i++) if (created(pre, post, i) && !r.allRRBelow(pre, i)) return false;
      return true;
    }),
    transition('OrderedTermination', (pre, _post, action) => {
      const i = scaleDownOrdinal[action]!;
      if (i < 0) return true;
      return noPodAboveOrAt(pre, i + 1) && r.allRRBelow(pre, pre[L.replicas]!);
    }),
    transition('NoDataLoss', (pre, post) => {
      if (!cfg.reclaimDelete) return true;
      for (let i = 0; i < R; i++) {
        if (pre[L.vol + i] === Vol.data && post[L.vol + i] === Vol.none) {
          if (!(i >= pre[L.replicas]! || pre[L.pvc + i] === Pvc.owned || (cfg.whenDeletedDelete && setDeleted(pre)))) return false;
        }
      }
      return true;
    }),
    transition('StableStorage', (pre, post) => {
      for (let n = 0; n < nodes; n++) {
        for (let i = 0; i < R; i++) {
          const c = L.ctr + n * R + i;
          // A container starts: none -> live, or (ReadWriteOnce) beside a stale one, stale -> both.
          const started = (pre[c] === Ctr.none && post[c] === Ctr.live) || (pre[c] === Ctr.stale && post[c] === Ctr.both);
          if (started && pre[L.written + i] === 1 && pre[L.vol + i] !== Vol.data) return false;
        }
      }
      return true;
    }),
    transition('ScaleDownKeepsData', (pre, _post, action) => {
      // NoDataLoss and StableStorage accept this deletion (the user chose the policy, and GCClaim
      // starts the identity afresh); this property asks whether the policy costs data: the
      // scaled-away member's data goes with its claim (upstream: the controller makes the
      // condemned pod the claim's owner, updateClaimOwnerRefForSetAndPod, and the garbage
      // collector deletes the claim once that pod is gone). Judged on the step, not on vol alone,
      // so that a user's own kubectl delete pvc of the same claim stays an explicit deletion.
      const i = gcClaimOrdinal[action]!;
      return i < 0 || pre[L.vol + i] !== Vol.data;
    }),
    transition('PartitionRespected', (pre, post) => {
      if (!cfg.rolling) return true;
      const partition = pre[L.partition]!;
      for (let i = 0; i < partition && i < R; i++) {
        if (created(pre, post, i) && post[P(i) + REV] !== pre[L.curRev]) return false;
      }
      return true;
    }),
    eventuallyAlways('EventuallyConverged', converged),
    eventuallyAlways('ScaleDownCompletes', (s) => noPodAboveOrAt(s, setDeleted(s) ? 0 : s[L.replicas]!)),
    eventuallyAlways('RolloutCompletes', (s) => s[L.curRev] === s[L.updRev]),
    ...(cfg.rollback || cfg.staleReads ? [reverseOrderUpdate] : []),
    ...(cfg.rollback ? [leadsTo('RecoversAfterRevert', (s) => cfg.bad[s[L.updRev]!] !== 1, converged)] : []),
    ...(cfg.staleReads ? staleReadProperties() : []),
  ];
}
