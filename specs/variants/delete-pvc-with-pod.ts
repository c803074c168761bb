/**
 * A controller that "cleans up" a pod's PVC whenever it deletes the pod (for an update, a
 * scale-down or a failed pod), as if the claim were part of the pod. With a StorageClass
 * reclaimPolicy of Delete, the member's data goes with it: NoDataLoss breaks.
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'delete-pvc-with-pod',
  description: 'the controller deletes the PVC of every pod it deletes',
  controller(api, upstream) {
    const { L, pod, Pvc, effects } = api;
    const P = (i: number) => L.pod + i * pod.SIZE;
    const deletesPods = new Set(['CtlScaleDown', 'CtlUpdate', 'CtlDeleteFailed']);
    return upstream.map((f) =>
      !deletesPods.has(f.name)
        ? f
        : {
            ...f,
            effect(t, i, b) {
              f.effect(t, i, b); // the upstream deletion of the pod
              const pvc = t[L.pvc + i];
              if (pvc !== Pvc.bound && pvc !== Pvc.owned) return;
              // PVC protection holds the claim while a scheduled pod object still uses it.
              if (t[P(i) + pod.EXISTS] === 1 && t[P(i) + pod.NODE] !== 0) t[L.pvc + i] = Pvc.deleting;
              else effects.removePVC(t, i);
            },
          },
    );
  },
};
export default variant;
