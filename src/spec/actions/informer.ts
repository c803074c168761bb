/**
 * The controller's informer cache, only with `staleReads`. The StatefulSet controller lists pods
 * from its informer (`getPodsForStatefulSet`: `podLister.Pods(ns).List`), which lags the API
 * server; the model keeps that view as `seen`, a past snapshot of every pod record, and lets the
 * informer catch up at any time, fairly (a watch delivers its events eventually). With
 * `readOwnWrites` the catch-up also clears `dirty`: the cache has then observed the controller's
 * own writes (KEP-5647, `EnsureReady` comparing resource versions).
 */
import { family, type Family, type FamilyContext } from '../family.js';
import { POD_SIZE, type StsState } from '../state.js';

export function informerFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  if (!cfg.staleReads) return [];
  const pods = cfg.R * POD_SIZE;
  const behind = (s: StsState) => {
    for (let k = 0; k < pods; k++) if (s[L.seen + k] !== s[L.pod + k]) return true;
    return s[L.dirty] === 1;
  };
  return [
    family({
      name: 'ControllerObserve',
      actor: 'controller',
      environment: false,
      instances: [[]],
      nodeParam: -1,
      label: () => 'ControllerObserve',
      fairGroup: () => 'ControllerObserve',
      when: { cacheBehind: behind },
      effect(t) {
        t.copyWithin(L.seen, L.pod, L.pod + pods);
        t[L.dirty] = 0;
      },
    }),
  ];
}
