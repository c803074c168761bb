/**
 * The garbage collector after the user deletes the StatefulSet object (`deleteStatefulSet`): the
 * set's pods lose their owner and are deleted; under `persistentVolumeClaimRetentionPolicy.whenDeleted:
 * Delete` so are its claims (upstream: the controller makes the set the claims' owner). Only present
 * when `deleteStatefulSet` is enabled.
 */
import { byOrdinal, cond, fail, ordinals, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { DELETING, EXISTS, POD_SIZE, Pvc } from '../state.js';
import { reqDelete, requestClaimDeletion } from './effects.js';

export function garbageCollectorFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  if (!cfg.stsDeletion) return [];
  const P = (i: number) => L.pod + i * POD_SIZE;
  const common = { actor: 'gc', environment: false, instances: ordinals(ctx) };
  const setDeleted = cond.eq(L.stsDeleted, 1);

  const gcOrphanPod: Family = {
    ...common,
    name: 'GCOrphanPod',
    ...byOrdinal('GCOrphanPod'),
    guard(s, i, _b, why) {
      if (!(s[L.stsDeleted] === 1) && fail(why, 'setDeleted')) return false;
      if (!(s[P(i) + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[P(i) + DELETING] === 0) && fail(why, 'notTerminating')) return false;
      return why === undefined || why.length === 0;
    },
    effect: (t, i) => reqDelete(L, t, i),
  };
  if (!cfg.whenDeletedDelete) return [withPrefilter(gcOrphanPod, setDeleted)];

  const gcSetClaim: Family = {
    ...common,
    name: 'GCSetClaim',
    ...byOrdinal('GCSetClaim'),
    guard(s, i, _b, why) {
      const pvc = s[L.pvc + i];
      if (!(s[L.stsDeleted] === 1) && fail(why, 'setDeleted')) return false;
      if (!(pvc === Pvc.bound || pvc === Pvc.owned) && fail(why, 'claimExists')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      // PVC protection, as for a user's deletion: a claim in use by a scheduled pod waits for it.
      if (requestClaimDeletion(L, t, i)) t[L.written + i] = 0; // the retention policy the user chose: the identity starts afresh
    },
  };
  return [withPrefilter(gcOrphanPod, setDeleted), withPrefilter(gcSetClaim, setDeleted)];
}
