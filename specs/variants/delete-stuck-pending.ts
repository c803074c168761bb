/**
 * kubernetes/kubernetes PR #100289 ("StatefulSet: delete outdated pending pods", closed without
 * being merged), a proposed fix for the stuck rollout (#67250, #100094): a bad template leaves pod
 * i Pending forever (ErrImagePull), `processReplica` waits for it to become Running and Ready
 * under OrderedReady, so the rolling update never reaches it, and reverting the template does not
 * help. The PR deletes such a pod in `processReplica`, before the monotonic wait, when it is not at
 * the revision it would be created with now: the controller then recreates it from the reverted
 * template.
 *
 * Run with `rollback: true` (the pods' revisions must be able to go back). `stsmc compare
 * --variant delete-stuck-pending` shows what it fixes (a Pending pod after a revert) and what it
 * breaks (the rolling update's highest-first order).
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'delete-stuck-pending',
  description: 'PR #100289: CtlDeleteStuck(i) deletes an outdated Pending pod, before the monotonic wait of processReplica',
  controller({ cfg }, upstream) {
    return [
      ...upstream,
      {
        name: 'CtlDeleteStuck',
        over: 'ordinal',
        when: {
          rollingUpdate: () => cfg.rolling,
          inRange: (c, i) => i < c.set.replicas,
          exists: (c, i) => c.pod(i).exists,
          notTerminating: (c, i) => !c.pod(i).terminating,
          outdated: (c, i) => c.pod(i).revision !== c.newRevision(i),
          pending: (c, i) => c.pod(i).phase === 'Pending',
          predecessorsReady: (c, i) => cfg.parallel || c.allRunningAndReadyBelow(i),
        },
        screen: ['pending', 'outdated'],
        then: (w, i) => w.deletePod(i),
      },
    ];
  },
};
export default variant;
