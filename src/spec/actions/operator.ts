/**
 * A human operator, only with `rollback` and `manualFix`: the documented workaround for a rollout
 * stuck on a bad revision. The "Forced rollback" section of the StatefulSet docs: after reverting
 * the template, "you must also delete any Pods that StatefulSet had already attempted to run with
 * the bad configuration". Modelled as fair: an operator who is watching does it eventually.
 */
import { byOrdinal, family, ordinals, type Family, type FamilyContext } from '../family.js';
import { DELETING, EXISTS, POD_SIZE, REV, type StsState } from '../state.js';
import { reqDelete } from './effects.js';

export function operatorFamilies(ctx: FamilyContext): Family[] {
  const { cfg, L } = ctx;
  if (!cfg.rollback || !cfg.manualFix) return [];
  const P = (i: number) => L.pod + i * POD_SIZE;
  return [
    family({
      name: 'OperatorDelete',
      actor: 'operator',
      environment: false,
      instances: ordinals(ctx),
      ...byOrdinal('OperatorDelete'),
      when: {
        exists: (s: StsState, i: number) => s[P(i) + EXISTS] === 1,
        notTerminating: (s, i) => s[P(i) + DELETING] === 0,
        badRevision: (s, i) => cfg.bad[s[P(i) + REV]!] === 1,
        notUpdateRevision: (s, i) => s[P(i) + REV] !== s[L.updRev],
      },
      effect: (t, i) => reqDelete(L, t, i),
    }),
  ];
}
