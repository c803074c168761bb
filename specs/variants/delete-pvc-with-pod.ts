/**
 * A controller that "cleans up" a pod's PVC whenever it deletes the pod (for an update, a
 * scale-down or a failed pod), as if the claim were part of the pod. With a StorageClass
 * reclaimPolicy of Delete, the member's data goes with it: NoDataLoss breaks.
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'delete-pvc-with-pod',
  description: 'the controller deletes the PVC of every pod it deletes',
  controller({ modify }, upstream) {
    return modify(upstream, ['CtlScaleDown', 'CtlUpdate', 'CtlDeleteFailed'], (a) => ({
      ...a,
      then(w, i, c) {
        a.then(w, i, c); // upstream's deletion of the pod
        w.deleteClaim(i); // held by PVC protection while a scheduled pod object still uses it
      },
    }));
  },
};
export default variant;
