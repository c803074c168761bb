/**
 * The tutorial's variant (README, "Writing a controller variant"): a design question answered with
 * the checker.
 *
 * With a ReadWriteOnce disk, force-deleting a pod lets its replacement land on the same node and
 * mount the disk while the old container is still running there. Proposal: the StatefulSet
 * controller should not recreate pod i while the volume of its claim is still attached to some
 * node (a VolumeAttachment exists): the disk is detached only once its node has unmounted it, that
 * is once the old container is gone. Does that close the hole, and what does it cost?
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'wait-for-detach',
  description: 'CtlCreate(i) also waits until the volume of claim i is attached to no node',
  controller({ modify }, upstream) {
    return modify(upstream, 'CtlCreate', (a) => ({
      ...a,
      when: { ...a.when, volumeDetached: (c, i) => c.claim(i).attachedTo === 0 },
    }));
  },
};
export default variant;
