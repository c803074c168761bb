/**
 * Fencing: the controller does not recreate a pod while an old copy of it may still run — a
 * container of that identity not confirmed gone on some node (for example after a force delete,
 * or on a node that is unreachable) — unless that node's Node object has been deleted, which the
 * user does only when the machine is known to be down. Does AtMostOne then survive force deletion
 * and network partitions? The checker answers (see the README).
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'fence-before-replace',
  description: 'CtlCreate(i) also waits until no node that still has a Node object may run a container of identity i',
  controller({ cfg, modify }, upstream) {
    return modify(upstream, 'CtlCreate', (a) => ({
      ...a,
      when: {
        ...a.when,
        oldCopyFenced: (c, i) => {
          for (let n = 1; n <= cfg.nodes; n++) if (c.node(n).container(i) !== 'none' && c.node(n).registered) return false;
          return true;
        },
      },
    }));
  },
};
export default variant;
