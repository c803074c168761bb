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
  controller(api, upstream) {
    const { cfg, L, fail, Ctr } = api;
    return upstream.map((f) =>
      f.name !== 'CtlCreate'
        ? f
        : {
            ...f,
            guard(s, i, b, why) {
              let fenced = true;
              for (let n = 0; n < cfg.nodes; n++) if (s[L.ctr + n * cfg.R + i] !== Ctr.none && s[L.nodeObj + n] === 1) fenced = false;
              const upstreamOk = f.guard(s, i, b, why);
              if (!fenced && fail(why, 'oldCopyFenced')) return false;
              return upstreamOk && (why === undefined || why.length === 0);
            },
          },
    );
  },
};
export default variant;
