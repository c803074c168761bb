/**
 * Upstream KEP-961 (`maxUnavailable: 2` for rolling updates): the controller may take down up to two
 * pods at a time while it updates, instead of one pod after the other, each waiting for its
 * successor to be Running and Ready. Which guarantees survive? The checker answers.
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const MAX_UNAVAILABLE = 2;

const variant: ControllerVariant = {
  name: 'max-unavailable',
  description: `rolling update with maxUnavailable ${MAX_UNAVAILABLE}: up to ${MAX_UNAVAILABLE} pods below replicas may be unavailable while updating`,
  controller({ cfg, modify, only }, upstream) {
    return modify(upstream, 'CtlUpdate', (a) => ({
      ...a,
      when: {
        // An outdated pod in range, as upstream; then the variant's own rule.
        ...only(a.when, 'rollingUpdate', 'atOrAbovePartition', 'inRange', 'exists', 'outdated', 'notTerminating'),
        higherOrdinalsUpdated: (c, i) => {
          for (let j = i + 1; j < c.set.replicas; j++) if (c.pod(j).exists && c.pod(j).revision !== c.set.updateRevision) return false;
          return true;
        },
        // Taking pod i down makes it unavailable too (if it is not already).
        withinMaxUnavailable: (c, i) => {
          let unavailable = c.isRunningAndReady(i) ? 1 : 0;
          for (let j = 0; j < c.set.replicas; j++) if (!c.isRunningAndReady(j)) unavailable++;
          return unavailable <= MAX_UNAVAILABLE;
        },
        noCondemnedPods: (c) => cfg.parallel || !c.someCondemned(),
      },
    }));
  },
};
export default variant;
