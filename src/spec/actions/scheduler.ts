/** The scheduler binds a pending pod to a node that is up and registered. */
import { cond, fail, ordinalNodePairs, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { DELETING, EXISTS, NODE, NodeSt, POD_SIZE, Pvc } from '../state.js';

export function schedulerFamilies(ctx: FamilyContext): Family[] {
  const { L } = ctx;
  const P = (i: number) => L.pod + i * POD_SIZE;
  const schedule: Family = {
    name: 'Schedule',
    actor: 'scheduler',
    environment: false,
    instances: ordinalNodePairs(ctx),
    nodeParam: 1,
    label: (i, n) => `Schedule(${i},${n + 1})`,
    // Fair per ordinal over all nodes: the scheduler may pick any node, but must pick one.
    fairGroup: (i) => `Schedule(${i})`,
    guard(s, i, n, why) {
      const o = L.pod + i * POD_SIZE;
      const pvc = s[L.pvc + i];
      if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[o + NODE] === 0) && fail(why, 'unscheduled')) return false;
      if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
      if (!(pvc === Pvc.bound || pvc === Pvc.owned) && fail(why, 'claimUsable')) return false;
      if (!(s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
      if (!(s[L.nodeObj + n] === 1) && fail(why, 'nodeRegistered')) return false;
      // The out-of-service taint is NoExecute: the scheduler places no pod there that does not tolerate it.
      if (L.hasAttach && !(s[L.oos + n] === 0) && fail(why, 'notOutOfService')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i, n) {
      t[L.pod + i * POD_SIZE + NODE] = n + 1;
    },
  };
  // Prefilter (speed only): some pod exists unscheduled.
  return [withPrefilter(schedule, cond.some(range(ctx.cfg.R), (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + NODE, 0))))];
}
