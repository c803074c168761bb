/**
 * The environment: faults and user operations. Not fair, each costs one unit of `budget`, and only
 * the kinds enabled by `faults` / `userOps` exist in the model at all.
 */
import { byNode, byOrdinal, fail, nodeIndices, ordinals, range, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, Ctr, DELETING, EXISTS, NODE, NodeSt, PHASE, Phase, POD_SIZE, Pvc, READY, type StsState } from '../state.js';
import { forceRemove, reqDelete, requestClaimDeletion, stopContainer } from './effects.js';

export function environmentFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  const { R } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const hasBudget = (s: StsState) => s[L.budget]! > 0;
  /** Whether the StatefulSet object is gone (only with `deleteStatefulSet`: edits of its spec then fail). */
  const setGone = (s: StsState) => cfg.stsDeletion && s[L.stsDeleted] === 1;
  const fault = { actor: 'fault', environment: true };
  const user = { actor: 'user', environment: true };
  const out: Family[] = [];

  if (cfg.faults.has('nodePartition')) {
    out.push({
      ...fault,
      name: 'NodePartition',
      instances: nodeIndices(ctx),
      ...byNode('NodePartition'),
      guard(s, n, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        t[L.nodeSt + n] = NodeSt.Partitioned;
      },
    });
  }
  if (cfg.faults.has('nodeCrash')) {
    out.push({
      ...fault,
      name: 'NodeCrash',
      instances: nodeIndices(ctx),
      ...byNode('NodeCrash'),
      guard(s, n, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.nodeSt + n] !== NodeSt.Crashed) && fail(why, 'notCrashed')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        t[L.nodeSt + n] = NodeSt.Crashed;
        t.fill(Ctr.none, L.ctr + n * R, L.ctr + (n + 1) * R);
      },
    });
  }
  if (cfg.faults.has('podBreak')) {
    out.push({
      ...fault,
      name: 'PodBreak',
      instances: ordinals(ctx),
      ...byOrdinal('PodBreak'),
      guard(s, i, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.broken + i] === 0) && fail(why, 'notBroken')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        t[L.broken + i] = 1;
        if (t[P(i) + EXISTS] === 1) {
          t[P(i) + READY] = 0;
          t[P(i) + AVAILABLE] = 0;
        }
      },
    });
  }
  if (cfg.faults.has('podEvict')) {
    out.push({
      ...fault,
      name: 'PodEvict',
      instances: ordinals(ctx),
      ...byOrdinal('PodEvict'),
      guard(s, i, _b, why) {
        const o = P(i);
        const node = s[o + NODE]!;
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
        if (!(s[o + PHASE] === Phase.Running) && fail(why, 'running')) return false;
        if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
        if (!(node > 0 && s[L.nodeSt + node - 1] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        const o = P(i);
        stopContainer(L, t, t[o + NODE]! - 1, i);
        t[o + PHASE] = Phase.Failed;
        t[o + READY] = 0;
        t[o + AVAILABLE] = 0;
      },
    });
  }

  if (cfg.userOps.has('scale')) {
    out.push({
      ...user,
      name: 'Scale',
      instances: range(R + 1).map((r) => [r]),
      ...byOrdinal('Scale'),
      guard(s, r, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(r !== s[L.replicas]) && fail(why, 'changesReplicas')) return false;
        if (setGone(s) && fail(why, 'setExists')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, r) {
        t[L.replicas] = r;
      },
    });
  }
  if (cfg.userOps.has('updateTemplate')) {
    out.push({
      ...user,
      name: 'UpdateTemplate',
      instances: [[]],
      nodeParam: -1,
      label: () => 'UpdateTemplate',
      fairGroup: () => 'UpdateTemplate',
      guard(s, _a, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.updRev]! < cfg.maxRevision) && fail(why, 'revisionsLeft')) return false;
        if (setGone(s) && fail(why, 'setExists')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t) {
        t[L.updRev] = t[L.updRev]! + 1;
      },
    });
  }
  if (cfg.userOps.has('setPartition')) {
    out.push({
      ...user,
      name: 'SetPartition',
      instances: range(R + 1).map((p) => [p]),
      ...byOrdinal('SetPartition'),
      guard(s, p, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(p !== s[L.partition]) && fail(why, 'changesPartition')) return false;
        if (setGone(s) && fail(why, 'setExists')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, p) {
        t[L.partition] = p;
      },
    });
  }
  if (cfg.userOps.has('deletePod')) {
    out.push({
      ...user,
      name: 'DeletePod',
      instances: ordinals(ctx),
      ...byOrdinal('DeletePod'),
      guard(s, i, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[P(i) + EXISTS] === 1) && fail(why, 'exists')) return false;
        if (!(s[P(i) + DELETING] === 0) && fail(why, 'notTerminating')) return false;
        return why === undefined || why.length === 0;
      },
      effect: (t, i) => reqDelete(L, t, i),
    });
  }
  if (cfg.userOps.has('forceDeletePod')) {
    out.push({
      ...user,
      name: 'ForceDeletePod',
      instances: ordinals(ctx),
      ...byOrdinal('ForceDeletePod'),
      guard(s, i, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[P(i) + EXISTS] === 1) && fail(why, 'exists')) return false;
        return why === undefined || why.length === 0;
      },
      effect: (t, i) => forceRemove(L, t, i),
    });
  }
  if (cfg.userOps.has('deletePVC')) {
    out.push({
      ...user,
      name: 'DeletePVC',
      instances: ordinals(ctx),
      ...byOrdinal('DeletePVC'),
      guard(s, i, _b, why) {
        const pvc = s[L.pvc + i];
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(pvc === Pvc.bound || pvc === Pvc.owned) && fail(why, 'claimExists')) return false;
        return why === undefined || why.length === 0;
      },
      effect: (t, i) => void requestClaimDeletion(L, t, i),
    });
  }
  if (cfg.userOps.has('deleteNode')) {
    out.push({
      ...user,
      name: 'DeleteNode',
      instances: nodeIndices(ctx),
      ...byNode('DeleteNode'),
      guard(s, n, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.nodeObj + n] === 1) && fail(why, 'nodeRegistered')) return false;
        if (!(s[L.nodeSt + n] !== NodeSt.Up) && fail(why, 'nodeUnreachable')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        t[L.nodeObj + n] = 0;
      },
    });
  }
  if (cfg.userOps.has('taintOutOfService')) {
    // kubectl taint nodes <node> node.kubernetes.io/out-of-service=nodeshutdown:NoExecute: the
    // documented step after a non-graceful node shutdown. The docs ask the operator to verify that
    // the node is really shut down; the model lets the operator err, since a partitioned node
    // looks the same from the API (NotReady) as a crashed one.
    out.push({
      ...user,
      name: 'TaintOutOfService',
      instances: nodeIndices(ctx),
      ...byNode('TaintOutOfService'),
      guard(s, n, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.nodeObj + n] === 1) && fail(why, 'nodeRegistered')) return false;
        if (!(s[L.nodeSt + n] !== NodeSt.Up) && fail(why, 'nodeUnreachable')) return false;
        if (!(s[L.oos + n] === 0) && fail(why, 'notTainted')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        t[L.oos + n] = 1;
      },
    });
  }
  if (cfg.userOps.has('deleteStatefulSet')) {
    // kubectl delete statefulset (cascading in the background): the object goes at once; the
    // garbage collector then deletes its pods, and its claims under whenDeleted: Delete.
    out.push({
      ...user,
      name: 'DeleteStatefulSet',
      instances: [[]],
      nodeParam: -1,
      label: () => 'DeleteStatefulSet',
      fairGroup: () => 'DeleteStatefulSet',
      guard(s, _a, _b, why) {
        if (!hasBudget(s) && fail(why, 'budget')) return false;
        if (!(s[L.stsDeleted] === 0) && fail(why, 'setExists')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t) {
        t[L.stsDeleted] = 1;
      },
    });
  }
  return out;
}
