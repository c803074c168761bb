/**
 * Node lifecycle controller (NotReady, taint-based eviction), pod garbage collection, and — when
 * `recovery = transient` — nodes coming back and broken pods healing.
 */
import { byNode, byOrdinal, cond, family, nodeIndices, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, DELETING, EXISTS, NODE, NodeSt, POD_SIZE, READY, type StsState } from '../state.js';
import { forceRemove } from './effects.js';

export function nodeLifecycleFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  const { R } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const on = (s: StsState, i: number, n: number) => s[P(i) + EXISTS] === 1 && s[P(i) + NODE] === n + 1;
  const perNode = { actor: 'nodeLifecycle', environment: false, instances: nodeIndices(ctx) };
  const perPod = { actor: 'nodeLifecycle', environment: false, instances: ordinals(ctx) };

  // Prefilters (speed only): necessary conditions for some instance's guard to hold.
  const nodeIdx = range(cfg.nodes);
  // Some unreachable, registered node with a pod on it that is Ready / not Terminating.
  const unreachableWithPod = (field: number, value: number) =>
    cond.some(nodeIdx, (n) =>
      cond.and(
        cond.ne(L.nodeSt + n, NodeSt.Up),
        cond.eq(L.nodeObj + n, 1),
        cond.some(range(R), (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + NODE, n + 1), cond.eq(P(i) + field, value))),
      ),
    );
  const prefilters = [unreachableWithPod(READY, 1), unreachableWithPod(DELETING, 0), cond.some(nodeIdx, (n) => cond.eq(L.nodeObj + n, 0))];
  const nodeUnreachable = (s: StsState, n: number) => s[L.nodeSt + n] !== NodeSt.Up;
  const nodeRegistered = (s: StsState, n: number) => s[L.nodeObj + n] === 1;
  /** Some pod on node `n` has `field` equal to `value`. */
  const somePodOn = (s: StsState, n: number, field: number, value: number) => {
    for (let i = 0; i < R; i++) if (on(s, i, n) && s[P(i) + field] === value) return true;
    return false;
  };
  /** The node pod `i` is bound to (index), or -1. */
  const nodeOf = (s: StsState, i: number) => (s[P(i) + EXISTS] === 1 ? s[P(i) + NODE]! - 1 : -1);
  const scheduled = (s: StsState, i: number) => nodeOf(s, i) >= 0;

  const families: Family[] = [
    family({
      ...perNode,
      name: 'NodeNotReady',
      ...byNode('NodeNotReady'),
      // The node conditions first: they are one byte each and fail in most states.
      when: { nodeUnreachable, nodeRegistered, somePodReady: (s, n) => somePodOn(s, n, READY, 1) },
      effect(t, n) {
        for (let i = 0; i < R; i++) {
          if (!on(t, i, n)) continue;
          t[P(i) + READY] = 0;
          t[P(i) + AVAILABLE] = 0;
        }
      },
    }),
    family({
      ...perNode,
      name: 'TaintEvict',
      ...byNode('TaintEvict'),
      when: {
        nodeUnreachable,
        nodeRegistered,
        noPodReady: (s, n) => !somePodOn(s, n, READY, 1),
        somePodNotTerminating: (s, n) => somePodOn(s, n, DELETING, 0),
      },
      effect(t, n) {
        for (let i = 0; i < R; i++) if (on(t, i, n)) t[P(i) + DELETING] = 1;
      },
    }),
    family({
      ...perPod,
      name: 'PodGC',
      ...byOrdinal('PodGC'),
      when: { scheduled, nodeObjectGone: (s, i) => scheduled(s, i) && s[L.nodeObj + nodeOf(s, i)] === 0 },
      effect: (t, i) => forceRemove(L, t, i),
    }),
  ].map((f, k) => withPrefilter(f, prefilters[k]!));
  if (L.hasAttach) {
    // gcTerminating (pkg/controller/podgc/gc_controller.go): on a node that is not Ready and carries
    // the out-of-service taint, Terminating pods are force-deleted (NodeOutOfServiceVolumeDetach,
    // GA in 1.28), so that their volumes can be detached at once.
    const podGCTerminating = family({
      ...perPod,
      name: 'PodGCTerminating',
      ...byOrdinal('PodGCTerminating'),
      when: {
        terminating: (s, i) => s[P(i) + EXISTS] === 1 && s[P(i) + DELETING] === 1,
        scheduled,
        nodeRegistered: (s, i) => scheduled(s, i) && nodeRegistered(s, nodeOf(s, i)),
        nodeUnreachable: (s, i) => scheduled(s, i) && nodeUnreachable(s, nodeOf(s, i)),
        outOfService: (s, i) => scheduled(s, i) && s[L.oos + nodeOf(s, i)] === 1,
      },
      effect: (t, i) => forceRemove(L, t, i),
    });
    families.push(withPrefilter(podGCTerminating, cond.some(nodeIdx, (n) => cond.eq(L.oos + n, 1))));
  }
  if (cfg.cloudNodeDelete) {
    // The cloud node lifecycle controller (`MonitorNodes` in k8s.io/cloud-provider
    // controllers/nodelifecycle/node_lifecycle_controller.go) deletes the Node object of a NotReady
    // node whose instance no longer exists at the cloud provider (`ensureNodeExistsByProviderID`).
    // A crash under `recovery: permanent` is such a node: the VM is gone. Fair: the controller
    // polls (--node-monitor-period) until it happens.
    const cloudNodeDelete = family({
      ...perNode,
      actor: 'cloudNodeLifecycle',
      name: 'CloudNodeDelete',
      ...byNode('CloudNodeDelete'),
      when: { nodeCrashed: (s, n) => s[L.nodeSt + n] === NodeSt.Crashed, nodeRegistered },
      effect(t, n) {
        t[L.nodeObj + n] = 0;
      },
    });
    families.push(withPrefilter(cloudNodeDelete, cond.some(nodeIdx, (n) => cond.and(cond.eq(L.nodeSt + n, NodeSt.Crashed), cond.eq(L.nodeObj + n, 1)))));
  }
  if (!cfg.transient) return families;

  const nodeRecover = family({
    ...perNode,
    actor: 'recovery',
    name: 'NodeRecover',
    ...byNode('NodeRecover'),
    when: { nodeDown: nodeUnreachable },
    effect(t, n) {
      t[L.nodeSt + n] = NodeSt.Up;
      t[L.nodeObj + n] = 1; // the kubelet re-registers
      if (L.hasAttach) t[L.oos + n] = 0; // the operator removes the taint once the node is back
    },
  });
  const podHeal = family({
    ...perPod,
    actor: 'recovery',
    name: 'PodHeal',
    ...byOrdinal('PodHeal'),
    when: { broken: (s, i) => s[L.broken + i] === 1 },
    effect(t, i) {
      t[L.broken + i] = 0;
    },
  });
  families.push(
    withPrefilter(nodeRecover, cond.some(nodeIdx, (n) => cond.ne(L.nodeSt + n, NodeSt.Up))),
    withPrefilter(podHeal, cond.some(range(R), (i) => cond.eq(L.broken + i, 1))),
  );
  return families;
}
