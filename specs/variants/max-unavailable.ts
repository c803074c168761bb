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
  controller(api, upstream) {
    const { cfg, L, r, fail, pod } = api;
    const P = (i: number) => L.pod + i * pod.SIZE;
    return upstream.map((f) =>
      f.name !== 'CtlUpdate'
        ? f
        : {
            ...f,
            guard(s, i, _b, why) {
              const replicas = s[L.replicas]!;
              const upd = s[L.updRev]!;
              let higherUpdated = true;
              for (let j = i + 1; j < replicas; j++) if (r.exists(s, j) && s[P(j) + pod.REV] !== upd) higherUpdated = false;
              let unavailable = 0;
              for (let j = 0; j < replicas; j++) if (!r.rr(s, j)) unavailable++;
              let condemned = false;
              for (let j = replicas; j < cfg.R; j++) if (r.exists(s, j)) condemned = true;
              if (!cfg.rolling && fail(why, 'rollingUpdate')) return false;
              if (!(i >= s[L.partition]!) && fail(why, 'atOrAbovePartition')) return false;
              if (!(i < replicas) && fail(why, 'inRange')) return false;
              if (!r.exists(s, i) && fail(why, 'exists')) return false;
              if (!(s[P(i) + pod.REV] !== upd) && fail(why, 'outdated')) return false;
              if (!(s[P(i) + pod.DELETING] === 0) && fail(why, 'notTerminating')) return false;
              if (!higherUpdated && fail(why, 'higherOrdinalsUpdated')) return false;
              // Taking pod i down makes it unavailable too (if it is not already).
              if (!(unavailable + (r.rr(s, i) ? 1 : 0) <= MAX_UNAVAILABLE) && fail(why, 'withinMaxUnavailable')) return false;
              if (!cfg.parallel && condemned && fail(why, 'noCondemnedPods')) return false;
              return why === undefined || why.length === 0;
            },
          },
    );
  },
};
export default variant;
