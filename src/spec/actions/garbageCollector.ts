/**
 * The garbage collector after the user deletes the StatefulSet object (`deleteStatefulSet`): the
 * set's pods lose their owner and are deleted; under `persistentVolumeClaimRetentionPolicy.whenDeleted:
 * Delete` so are its claims (upstream: the controller makes the set the claims' owner). Only present
 * when `deleteStatefulSet` is enabled.
 */
import { byOrdinal, cond, family, ordinals, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { DELETING, EXISTS, POD_SIZE, Pvc, type StsState } from '../state.js';
import { reqDelete, requestClaimDeletion } from './effects.js';

export function garbageCollectorFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  if (!cfg.stsDeletion) return [];
  const P = (i: number) => L.pod + i * POD_SIZE;
  const common = { actor: 'gc', environment: false, instances: ordinals(ctx) };
  const deleted = cond.eq(L.stsDeleted, 1);

  const setDeleted = (s: StsState) => s[L.stsDeleted] === 1;
  const gcOrphanPod = family({
    ...common,
    name: 'GCOrphanPod',
    ...byOrdinal('GCOrphanPod'),
    when: { setDeleted, exists: (s, i) => s[P(i) + EXISTS] === 1, notTerminating: (s, i) => s[P(i) + DELETING] === 0 },
    effect: (t, i) => reqDelete(L, t, i),
  });
  if (!cfg.whenDeletedDelete) return [withPrefilter(gcOrphanPod, deleted)];

  const gcSetClaim = family({
    ...common,
    name: 'GCSetClaim',
    ...byOrdinal('GCSetClaim'),
    when: { setDeleted, claimExists: (s, i) => s[L.pvc + i] === Pvc.bound || s[L.pvc + i] === Pvc.owned },
    effect(t, i) {
      // PVC protection, as for a user's deletion: a claim in use by a scheduled pod waits for it.
      if (requestClaimDeletion(L, t, i)) t[L.written + i] = 0; // the retention policy the user chose: the identity starts afresh
    },
  });
  return [withPrefilter(gcOrphanPod, deleted), withPrefilter(gcSetClaim, deleted)];
}
