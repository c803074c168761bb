/**
 * The kubelet of each node: runs, readies and terminates containers, only while its node is Up
 * (`pkg/kubelet`: `SyncPod`, `SyncTerminatingPod`, the pod workers). With volume attachment it also
 * waits for the volume to be attached before it mounts (`WaitForAttachAndMount`) and reports the
 * volume unmounted once no container of the pod uses it (`volumesInUse`).
 */
import { byOrdinal, cond, family, ordinalNodePairs, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, Ctr, DELETING, EXISTS, NODE, NodeSt, PHASE, Phase, POD_SIZE, Pvc, READY, REV, Vol, type StsState } from '../state.js';
import { stopContainer, wanted } from './effects.js';

export function kubeletFamilies(ctx: FamilyContext): Family[] {
  const { L, cfg } = ctx;
  const attach = L.hasAttach;
  /**
   * ReadWriteOnce lets a new pod mount the disk on the node where the old pod's container is still
   * being killed (the pod workers allow it, and the attach/detach controller sees the volume
   * attached to that node already); ReadWriteOncePod refuses the mount while another pod uses it
   * (`GenerateMountVolumeFunc`).
   */
  const sharesNode = cfg.attach === 'rwo';
  const common = { actor: 'kubelet', environment: false, instances: ordinals(ctx) };
  /** `Bad(i)`: pod i's revision is one of `badRevs`. It belongs to the revision, so nothing heals it. */
  const bad = (s: StsState, i: number) => cfg.bad[s[L.pod + i * POD_SIZE + REV]!] === 1;
  const anyBad = cfg.rollback && cfg.bad.includes(1);
  const badPending = anyBad && cfg.badPending;
  const P = (i: number) => L.pod + i * POD_SIZE;
  /** Node index of pod `i` if it exists and is scheduled, else -1. */
  const placed = (s: StsState, i: number) => (s[P(i) + EXISTS] === 1 ? s[P(i) + NODE]! - 1 : -1);
  const ctrAt = (n: number, i: number) => L.ctr + n * L.R + i;

  const scheduled = (s: StsState, i: number) => placed(s, i) >= 0;
  const nodeUp = (s: StsState, i: number) => {
    const n = placed(s, i);
    return n >= 0 && s[L.nodeSt + n] === NodeSt.Up;
  };
  const notTerminating = (s: StsState, i: number) => s[P(i) + DELETING] === 0;
  /** What the kubelet needs to act on a pod at all: the pod is bound to its node, and the node is Up. */
  const onUpNode = { scheduled, nodeUp };
  const running = (s: StsState, i: number) => s[P(i) + PHASE] === Phase.Running;
  /** The pod's container slot on its node holds one of `kinds` (true when the pod is not placed). */
  const ctrIn = (s: StsState, i: number, a: number, b: number) => {
    const n = placed(s, i);
    return n < 0 || s[ctrAt(n, i)] === a || s[ctrAt(n, i)] === b;
  };

  /** A kubelet action on pod `i` (one instance per ordinal). */
  const perPod = (name: string, when: Readonly<Record<string, (s: StsState, i: number) => boolean>>, effect: Family['effect']) =>
    family({ ...common, name, ...byOrdinal(name), when, effect });

  const run = family({
    ...common,
    name: 'KubeletRun',
    ...byOrdinal('KubeletRun'),
    when: {
      ...onUpNode,
      notFailed: (s, i) => s[P(i) + PHASE] !== Phase.Failed,
      notTerminating,
      ...(sharesNode ? { noLiveContainer: (s: StsState, i: number) => ctrIn(s, i, Ctr.none, Ctr.stale) } : { noContainer: (s: StsState, i: number) => ctrIn(s, i, Ctr.none, Ctr.none) }),
      claimExists: (s, i) => s[L.pvc + i] !== Pvc.none,
      // A bad revision with badMode pending: the image never pulls (ErrImagePull), so the container never starts.
      ...(badPending ? { imagePulls: (s: StsState, i: number) => !bad(s, i) } : {}),
      ...(attach ? { volumeAttached: (s: StsState, i: number) => scheduled(s, i) && s[L.att + i] === placed(s, i) + 1 } : {}),
    },
    effect(t, i) {
      const o = P(i);
      const c = ctrAt(t[o + NODE]! - 1, i);
      t[c] = t[c] === Ctr.stale ? Ctr.both : Ctr.live;
      if (attach) t[L.inUse + i] = 1;
      t[o + PHASE] = Phase.Running;
      t[o + READY] = 0;
      t[o + AVAILABLE] = 0;
      t[L.vol + i] = Vol.data;
      t[L.written + i] = 1;
    },
  });
  const ready = perPod(
    'KubeletReady',
    {
      ...onUpNode,
      running,
      notReady: (s, i) => s[P(i) + READY] === 0,
      notTerminating,
      // `both` holds the pod's own live container too: a stale container of a deleted pod object
      // beside it does not stop the new one's readiness probe.
      containerLive: (s, i) => scheduled(s, i) && ctrIn(s, i, Ctr.live, Ctr.both),
      probePasses: (s, i) => s[L.broken + i] === 0,
      // A bad revision's pods never pass the probe (a crash loop, or an app that never gets ready).
      ...(anyBad ? { revisionHealthy: (s: StsState, i: number) => !bad(s, i) } : {}),
    },
    (t, i) => {
      t[P(i) + READY] = 1;
    },
  );
  const terminate = perPod('KubeletTerminate', { terminating: (s, i) => s[P(i) + EXISTS] === 1 && s[P(i) + DELETING] === 1, ...onUpNode }, (t, i) => {
    const o = P(i);
    stopContainer(L, t, t[o + NODE]! - 1, i);
    t.fill(0, o, o + POD_SIZE);
  });
  const killStale = family({
    name: 'KubeletKillStale',
    actor: 'kubelet',
    environment: false,
    instances: ordinalNodePairs(ctx).map(([i, n]) => [n!, i!]),
    nodeParam: 0,
    label: (n, i) => `KubeletKillStale(${n + 1},${i})`,
    fairGroup: (n, i) => `KubeletKillStale(${n + 1},${i})`,
    when: {
      nodeUp: (s, n) => s[L.nodeSt + n] === NodeSt.Up,
      staleContainer: (s, n, i) => s[ctrAt(n, i)] === Ctr.stale || s[ctrAt(n, i)] === Ctr.both,
    },
    effect(t, n, i) {
      t[ctrAt(n, i)] = t[ctrAt(n, i)] === Ctr.both ? Ctr.live : Ctr.none;
    },
  });

  // Prefilters (speed only): necessary conditions for some instance's guard to hold.
  const ords = range(L.R);
  const pairs = ordinalNodePairs(ctx) as [number, number][];
  const noLive = (n: number, i: number) => (sharesNode ? cond.or(cond.eq(ctrAt(n, i), Ctr.none), cond.eq(ctrAt(n, i), Ctr.stale)) : cond.eq(ctrAt(n, i), Ctr.none));
  const stale = (n: number, i: number) => (attach ? cond.or(cond.eq(ctrAt(n, i), Ctr.stale), cond.eq(ctrAt(n, i), Ctr.both)) : cond.eq(ctrAt(n, i), Ctr.stale));
  const families = [
    // Some pod i sits on an Up node n that runs no container for it.
    withPrefilter(run, cond.some(pairs, ([i, n]) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + NODE, n + 1), noLive(n, i), cond.eq(L.nodeSt + n, NodeSt.Up)))),
    withPrefilter(ready, cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + PHASE, Phase.Running), cond.eq(P(i) + READY, 0), cond.eq(P(i) + DELETING, 0), cond.eq(L.broken + i, 0)))),
    // Some Terminating pod sits on an Up node.
    withPrefilter(terminate, cond.some(pairs, ([i, n]) => cond.and(cond.eq(P(i) + DELETING, 1), cond.eq(P(i) + NODE, n + 1), cond.eq(L.nodeSt + n, NodeSt.Up)))),
    withPrefilter(killStale, cond.some(pairs, ([i, n]) => cond.and(stale(n, i), cond.eq(L.nodeSt + n, NodeSt.Up)))),
  ];
  if (attach) {
    // Once no container of the pod runs and the pod no longer wants the volume there, the kubelet
    // unmounts it and drops it from the node's status.volumesInUse; only a node that is Up can.
    const attachedNode = (s: StsState, i: number) => s[L.att + i]! - 1;
    const unmount = perPod(
      'KubeletUnmount',
      {
        volumeAttached: (s, i) => attachedNode(s, i) >= 0,
        nodeUp: (s, i) => attachedNode(s, i) < 0 || s[L.nodeSt + attachedNode(s, i)] === NodeSt.Up,
        volumeInUse: (s, i) => s[L.inUse + i] === 1,
        noContainer: (s, i) => attachedNode(s, i) < 0 || s[ctrAt(attachedNode(s, i), i)] === Ctr.none,
        notWanted: (s, i) => attachedNode(s, i) < 0 || !wanted(L, s, i, attachedNode(s, i)),
      },
      (t, i) => {
        t[L.inUse + i] = 0;
      },
    );
    families.push(withPrefilter(unmount, cond.some(ords, (i) => cond.eq(L.inUse + i, 1))));
  }
  if (!ctx.cfg.minReady) return families;

  // minReadySeconds: a pod that stays Ready long enough becomes Available (no node needed: it is
  // the passing of time, which the controller reads from the Ready condition's transition time).
  const podAvailable = perPod(
    'PodAvailable',
    {
      exists: (s, i) => s[P(i) + EXISTS] === 1,
      running,
      ready: (s, i) => s[P(i) + READY] === 1,
      notTerminating,
      notAvailable: (s, i) => s[P(i) + AVAILABLE] === 0,
    },
    (t, i) => {
      t[P(i) + AVAILABLE] = 1;
    },
  );
  return [...families, withPrefilter(podAvailable, cond.some(ords, (i) => cond.and(cond.eq(P(i) + READY, 1), cond.eq(P(i) + AVAILABLE, 0))))];
}
