/**
 * The environment: faults and user operations. Not fair, each costs one unit of `budget`, and only
 * the kinds enabled by `faults` / `userOps` exist in the model at all.
 */
import { byNode, byOrdinal, family, nodeIndices, ordinals, range, type Family, type FamilyContext, type FamilyDeclaration } from '../family.js';
import { AVAILABLE, Ctr, DELETING, EXISTS, NODE, NodeSt, PHASE, Phase, POD_SIZE, Pvc, READY, type StsState } from '../state.js';
import { forceRemove, reqDelete, requestClaimDeletion, stopContainer } from './effects.js';

type Declared = Omit<FamilyDeclaration, 'actor' | 'environment'>;

export function environmentFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  const { R } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const exists = (s: StsState, i: number) => s[P(i) + EXISTS] === 1;
  const notTerminating = (s: StsState, i: number) => s[P(i) + DELETING] === 0;
  /** Edits of the set's spec fail once the object is gone (only with `deleteStatefulSet`). */
  const setExists = (s: StsState) => !(cfg.stsDeletion && s[L.stsDeleted] === 1);
  const nodeRegistered = (s: StsState, n: number) => s[L.nodeObj + n] === 1;
  const nodeUnreachable = (s: StsState, n: number) => s[L.nodeSt + n] !== NodeSt.Up;
  const out: Family[] = [];
  /** Every fault and user operation needs a unit of budget, checked first. */
  const add = (actor: 'fault' | 'user', d: Declared) =>
    out.push(family({ ...d, actor, environment: true, when: { budget: (s) => s[L.budget]! > 0, ...d.when } }));
  /** An action on node `n` (one instance per node). */
  const perNode = (actor: 'fault' | 'user', name: string, when: Declared['when'], effect: Family['effect']) =>
    add(actor, { name, instances: nodeIndices(ctx), ...byNode(name), when, effect });
  const nodeUp = (s: StsState, n: number) => s[L.nodeSt + n] === NodeSt.Up;
  const once = (name: string) => ({ name, instances: [[]], nodeParam: -1, label: () => name, fairGroup: () => name });
  /** A user edit of one field of the set's spec, to any value it does not have yet (0..R). */
  const specEdit = (name: string, changes: string, at: number) =>
    add('user', {
      name,
      instances: range(R + 1).map((v) => [v]),
      ...byOrdinal(name),
      when: { [changes]: (s, v) => v !== s[at], setExists },
      effect(t, v) {
        t[at] = v;
      },
    });

  if (cfg.faults.has('nodePartition')) {
    perNode('fault', 'NodePartition', { nodeUp }, (t, n) => {
      t[L.nodeSt + n] = NodeSt.Partitioned;
    });
  }
  if (cfg.faults.has('nodeCrash')) {
    perNode('fault', 'NodeCrash', { notCrashed: (s, n) => s[L.nodeSt + n] !== NodeSt.Crashed }, (t, n) => {
      t[L.nodeSt + n] = NodeSt.Crashed;
      t.fill(Ctr.none, L.ctr + n * R, L.ctr + (n + 1) * R);
    });
  }
  if (cfg.faults.has('podBreak')) {
    add('fault', {
      name: 'PodBreak',
      instances: ordinals(ctx),
      ...byOrdinal('PodBreak'),
      when: { notBroken: (s, i) => s[L.broken + i] === 0 },
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
    add('fault', {
      name: 'PodEvict',
      instances: ordinals(ctx),
      ...byOrdinal('PodEvict'),
      when: {
        exists,
        running: (s, i) => s[P(i) + PHASE] === Phase.Running,
        notTerminating,
        nodeUp: (s, i) => s[P(i) + NODE]! > 0 && s[L.nodeSt + s[P(i) + NODE]! - 1] === NodeSt.Up,
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

  if (cfg.faults.has('kubeletRestart')) {
    // The kubelet restarts and lists the pods bound to its node (pkg/kubelet/config/apiserver.go,
    // a reflector on spec.nodeName). With staleKubelet that first list is served by an API server
    // whose watch cache lags (resourceVersion=0, #59848): it may still show a pod this node
    // already terminated, and the kubelet starts it again, a container of no current pod object
    // (stale) that runs until the watch catches up (KubeletKillStale). Without staleKubelet the
    // list is consistent (WatchListClient, on by default since 1.35: the initial events are not
    // older than the request) and the restart changes nothing the model tracks.
    perNode('fault', 'KubeletRestart', { nodeUp }, (t, n) => {
      if (!cfg.staleKubelet) return;
      for (let i = 0; i < R; i++) {
        const c = L.ctr + n * R + i;
        if (t[L.ranOn + i] === n + 1 && t[c] === Ctr.none) t[c] = Ctr.stale;
      }
    });
  }

  if (cfg.userOps.has('scale')) specEdit('Scale', 'changesReplicas', L.replicas);
  if (cfg.userOps.has('updateTemplate') && !cfg.rollback) {
    add('user', {
      ...once('UpdateTemplate'),
      when: { revisionsLeft: (s) => s[L.updRev]! < cfg.maxRevision, setExists },
      effect(t) {
        t[L.updRev] = t[L.updRev]! + 1;
      },
    });
  }
  if (cfg.userOps.has('updateTemplate') && cfg.rollback) {
    // A template unlike every earlier one: getStatefulSetRevisions finds no equal revision and
    // creates the next (nextRevision: the newest plus one), which becomes the update revision.
    add('user', {
      ...once('UpdateTemplate'),
      when: { revisionsLeft: (s) => s[L.hiRev]! < cfg.maxRevision, setExists },
      effect(t) {
        t[L.hiRev] = t[L.hiRev]! + 1;
        t[L.updRev] = t[L.hiRev]!;
      },
    });
  }
  if (cfg.userOps.has('revertTemplate')) {
    // kubectl rollout undo (or re-applying an older template): getStatefulSetRevisions finds the
    // equal older revision and renumbers it; its name, and so the label of pods created from it,
    // stays, so those pods count as updated. currentRevision does not change.
    add('user', {
      name: 'RevertTemplate',
      instances: range(cfg.maxRevision + 1).map((r) => [r]),
      ...byOrdinal('RevertTemplate'),
      when: { revisionExists: (s, r) => r <= s[L.hiRev]!, changesRevision: (s, r) => r !== s[L.updRev], setExists },
      effect(t, r) {
        t[L.updRev] = r;
      },
    });
  }
  if (cfg.userOps.has('setPartition')) specEdit('SetPartition', 'changesPartition', L.partition);
  if (cfg.userOps.has('deletePod')) {
    add('user', { name: 'DeletePod', instances: ordinals(ctx), ...byOrdinal('DeletePod'), when: { exists, notTerminating }, effect: (t, i) => reqDelete(L, t, i) });
  }
  if (cfg.userOps.has('forceDeletePod')) {
    add('user', { name: 'ForceDeletePod', instances: ordinals(ctx), ...byOrdinal('ForceDeletePod'), when: { exists }, effect: (t, i) => forceRemove(L, t, i) });
  }
  if (cfg.userOps.has('deletePVC')) {
    add('user', {
      name: 'DeletePVC',
      instances: ordinals(ctx),
      ...byOrdinal('DeletePVC'),
      when: { claimExists: (s, i) => s[L.pvc + i] === Pvc.bound || s[L.pvc + i] === Pvc.owned },
      effect: (t, i) => void requestClaimDeletion(L, t, i),
    });
  }
  if (cfg.userOps.has('deleteNode')) {
    perNode('user', 'DeleteNode', { nodeRegistered, nodeUnreachable }, (t, n) => {
      t[L.nodeObj + n] = 0;
    });
  }
  if (cfg.userOps.has('taintOutOfService')) {
    // kubectl taint nodes <node> node.kubernetes.io/out-of-service=nodeshutdown:NoExecute: the
    // documented step after a non-graceful node shutdown. The docs ask the operator to verify that
    // the node is really shut down; the model lets the operator err, since a partitioned node
    // looks the same from the API (NotReady) as a crashed one.
    perNode('user', 'TaintOutOfService', { nodeRegistered, nodeUnreachable, notTainted: (s, n) => s[L.oos + n] === 0 }, (t, n) => {
      t[L.oos + n] = 1;
    });
  }
  if (cfg.userOps.has('deleteStatefulSet')) {
    // kubectl delete statefulset (cascading in the background): the object goes at once; the
    // garbage collector then deletes its pods, and its claims under whenDeleted: Delete.
    add('user', {
      ...once('DeleteStatefulSet'),
      when: { setExists: (s) => s[L.stsDeleted] === 0 },
      effect(t) {
        t[L.stsDeleted] = 1;
      },
    });
  }
  return out;
}
