/** Volume controllers: PVC protection finalizer and the garbage collector of owned claims. */
import { byOrdinal, cond, family, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { EXISTS, POD_SIZE, Pvc } from '../state.js';
import { removePVC } from './effects.js';

export function volumeFamilies(ctx: FamilyContext): Family[] {
  const { L } = ctx;
  const common = { actor: 'volumes', environment: false, instances: ordinals(ctx) };
  const podAbsent = (s: Uint8Array, i: number) => s[L.pod + i * POD_SIZE + EXISTS] === 0;
  // Some claim in `state` whose pod is gone.
  const anyClaim = (state: number) => cond.some(range(ctx.cfg.R), (i) => cond.and(cond.eq(L.pvc + i, state), cond.eq(L.pod + i * POD_SIZE + EXISTS, 0)));
  const pvcFinalize = family({
    ...common,
    name: 'PVCFinalize',
    ...byOrdinal('PVCFinalize'),
    when: { claimTerminating: (s, i) => s[L.pvc + i] === Pvc.deleting, podAbsent },
    effect: (t, i) => removePVC(L, t, i),
  });
  const gcClaim = family({
    ...common,
    name: 'GCClaim',
    ...byOrdinal('GCClaim'),
    when: { claimOwned: (s, i) => s[L.pvc + i] === Pvc.owned, ownerGone: podAbsent },
    effect(t, i) {
      removePVC(L, t, i);
      t[L.written + i] = 0; // a deliberate clean-up: the identity starts afresh
    },
  });
  // Prefilters (speed only): necessary conditions for some instance's guard to hold.
  return [withPrefilter(pvcFinalize, anyClaim(Pvc.deleting)), withPrefilter(gcClaim, anyClaim(Pvc.owned))];
}
