/**
 * Node lifecycle controller (NotReady, taint-based eviction), pod garbage collection, and — when
 * `recovery = transient` — nodes coming back and broken pods healing.
 */
import { byNode, byOrdinal, cond, fail, nodeIndices, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, DELETING, EXISTS, NODE, NodeSt, POD_SIZE, READY, type StsState } from '../state.js';
import { forceRemove } from './effects.js';

export function nodeLifecycleFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  const { R } = cfg;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const on = (s: StsState, i: number, n: number) => s[P(i) + EXISTS] === 1 && s[P(i) + NODE] === n + 1;
  const perNode = { actor: 'nodeLifecycle', environment: false, instances: nodeIndices(ctx) };

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
  const families: Family[] = ([
    {
      ...perNode,
      name: 'NodeNotReady',
      ...byNode('NodeNotReady'),
      guard(s, n, _b, why) {
        // The node conditions first: they are one byte each and fail in most states.
        if (!(s[L.nodeSt + n] !== NodeSt.Up) && fail(why, 'nodeUnreachable')) return false;
        if (!(s[L.nodeObj + n] === 1) && fail(why, 'nodeRegistered')) return false;
        let someReady = false;
        for (let i = 0; i < R; i++) if (on(s, i, n) && s[P(i) + READY] === 1) someReady = true;
        if (!someReady && fail(why, 'somePodReady')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        for (let i = 0; i < R; i++) {
          if (!on(t, i, n)) continue;
          t[P(i) + READY] = 0;
          t[P(i) + AVAILABLE] = 0;
        }
      },
    },
    {
      ...perNode,
      name: 'TaintEvict',
      ...byNode('TaintEvict'),
      guard(s, n, _b, why) {
        if (!(s[L.nodeSt + n] !== NodeSt.Up) && fail(why, 'nodeUnreachable')) return false;
        if (!(s[L.nodeObj + n] === 1) && fail(why, 'nodeRegistered')) return false;
        let someReady = false;
        let someNotDeleting = false;
        for (let i = 0; i < R; i++) {
          if (!on(s, i, n)) continue;
          if (s[P(i) + READY] === 1) someReady = true;
          if (s[P(i) + DELETING] === 0) someNotDeleting = true;
        }
        if (someReady && fail(why, 'noPodReady')) return false;
        if (!someNotDeleting && fail(why, 'somePodNotTerminating')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        for (let i = 0; i < R; i++) if (on(t, i, n)) t[P(i) + DELETING] = 1;
      },
    },
    {
      name: 'PodGC',
      actor: 'nodeLifecycle',
      environment: false,
      instances: ordinals(ctx),
      ...byOrdinal('PodGC'),
      guard(s, i, _b, why) {
        const node = s[P(i) + NODE]!;
        if (!(s[P(i) + EXISTS] === 1 && node > 0) && fail(why, 'scheduled')) return false;
        if (!(node > 0 && s[L.nodeObj + node - 1] === 0) && fail(why, 'nodeObjectGone')) return false;
        return why === undefined || why.length === 0;
      },
      effect: (t, i) => forceRemove(L, t, i),
    },
  ] satisfies Family[]).map((f, k) => withPrefilter(f, prefilters[k]!));
  if (L.hasAttach) {
    // gcTerminating (pkg/controller/podgc/gc_controller.go): on a node that is not Ready and carries
    // the out-of-service taint, Terminating pods are force-deleted (NodeOutOfServiceVolumeDetach,
    // GA in 1.28), so that their volumes can be detached at once.
    const podGCTerminating: Family = {
      name: 'PodGCTerminating',
      actor: 'nodeLifecycle',
      environment: false,
      instances: ordinals(ctx),
      ...byOrdinal('PodGCTerminating'),
      guard(s, i, _b, why) {
        const node = s[P(i) + NODE]!;
        if (!(s[P(i) + EXISTS] === 1 && s[P(i) + DELETING] === 1) && fail(why, 'terminating')) return false;
        if (!(node > 0) && fail(why, 'scheduled')) return false;
        if (!(node > 0 && s[L.nodeObj + node - 1] === 1) && fail(why, 'nodeRegistered')) return false;
        if (!(node > 0 && s[L.nodeSt + node - 1] !== NodeSt.Up) && fail(why, 'nodeUnreachable')) return false;
        if (!(node > 0 && s[L.oos + node - 1] === 1) && fail(why, 'outOfService')) return false;
        return why === undefined || why.length === 0;
      },
      effect: (t, i) => forceRemove(L, t, i),
    };
    families.push(withPrefilter(podGCTerminating, cond.some(nodeIdx, (n) => cond.eq(L.oos + n, 1))));
  }
  if (!cfg.transient) return families;
  const fixed = families.length;

  families.push(
    {
      ...perNode,
      actor: 'recovery',
      name: 'NodeRecover',
      ...byNode('NodeRecover'),
      guard(s, n, _b, why) {
        if (!(s[L.nodeSt + n] !== NodeSt.Up) && fail(why, 'nodeDown')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n) {
        t[L.nodeSt + n] = NodeSt.Up;
        t[L.nodeObj + n] = 1; // the kubelet re-registers
        if (L.hasAttach) t[L.oos + n] = 0; // the operator removes the taint once the node is back
      },
    },
    {
      name: 'PodHeal',
      actor: 'recovery',
      environment: false,
      instances: ordinals(ctx),
      ...byOrdinal('PodHeal'),
      guard(s, i, _b, why) {
        if (!(s[L.broken + i] === 1) && fail(why, 'broken')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        t[L.broken + i] = 0;
      },
    },
  );
  const [nodeRecover, podHeal] = families.splice(fixed, 2) as [Family, Family];
  families.push(
    withPrefilter(nodeRecover, cond.some(nodeIdx, (n) => cond.ne(L.nodeSt + n, NodeSt.Up))),
    withPrefilter(podHeal, cond.some(range(R), (i) => cond.eq(L.broken + i, 1))),
  );
  return families;
}
