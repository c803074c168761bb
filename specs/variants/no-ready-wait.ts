/**
 * A classic bug: OrderedReady that creates the next pod as soon as the previous one *exists*,
 * without waiting for it to be Running and Ready. `stsmc compare --variant no-ready-wait` shows
 * OrderedCreation breaking, with the counterexample.
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'no-ready-wait',
  description: 'OrderedReady creates pod i once pods 0..i-1 exist, ready or not',
  controller(api, upstream) {
    const { cfg, L, r, fail, pod, Pvc } = api;
    return upstream.map((f) =>
      f.name !== 'CtlCreate'
        ? f
        : {
            ...f,
            guard(s, i, _b, why) {
              const pvc = s[L.pvc + i];
              let predecessorsExist = true;
              for (let j = 0; j < i; j++) if (!r.exists(s, j)) predecessorsExist = false;
              if (!(i < s[L.replicas]!) && fail(why, 'inRange')) return false;
              if (!(s[L.pod + i * pod.SIZE + pod.EXISTS] === 0) && fail(why, 'podAbsent')) return false;
              if (!(pvc !== Pvc.deleting) && fail(why, 'claimNotTerminating')) return false;
              if (!(pvc !== Pvc.owned) && fail(why, 'claimNotStale')) return false;
              if (!(cfg.parallel || predecessorsExist) && fail(why, 'predecessorsExist')) return false;
              return why === undefined || why.length === 0;
            },
          },
    );
  },
};
export default variant;
