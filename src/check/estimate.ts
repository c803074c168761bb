/**
 * How big an exploration will be, said before a run that may be long: the same configuration is
 * explored with the environment budget one, two and three lower (each a small fraction of the real
 * run), and the distinct state count extrapolated from their growth. The count grows by a factor per
 * budget step that itself shrinks as the budget rises (measured on the built-in model: 207, 114 and
 * 45 for R=5 on 3 nodes; 71, 27, 15 for R=3 on 2 nodes), so the next factor is the last one times
 * the last change of the factor. The estimate is a guide, good to a factor of about two.
 */
import { explore } from '../explorer/bfs.js';
import type { Model } from '../explorer/model.js';
import type { Plan } from '../scenario/scenario.js';

export interface Estimate {
  /** Estimated distinct states of the full run. */
  readonly states: number;
  /** Whether a sample reached its cap: the real count is then larger than `states`. */
  readonly atLeast: boolean;
  /** The samples: distinct states at lower budgets, lowest first. */
  readonly samples: readonly { readonly budget: number; readonly states: number }[];
}

/** Each sample explores at most this many states; a larger one only shows that the run is long. */
export const SAMPLE_CAP = 2_000_000;

/**
 * The estimate for a plan of the built-in model (no controller variant: its code is not run
 * here), or undefined when its budget is below 2 (nothing to extrapolate from, and such runs are
 * short) or the model has no budget.
 */
export async function estimateStates(plan: Plan, symmetry: boolean, signal?: AbortSignal, cap = SAMPLE_CAP): Promise<Estimate | undefined> {
  const budget = plan.params.budget;
  if (plan.controller !== undefined || typeof budget !== 'number' || budget < 2) return undefined;
  const samples: { budget: number; states: number }[] = [];
  let capped = false;
  for (let b = Math.max(0, budget - 3); b < budget && !capped; b++) {
    if (signal?.aborted) return undefined;
    const model = plan.factory.create({ ...plan.params, budget: b }, undefined, { symmetry }) as Model<unknown>;
    const r = await explore(model, { check: [], maxStates: cap, ...(signal ? { signal } : {}) });
    if (r.stopReason === 'interrupted') return undefined;
    capped = !r.complete;
    samples.push({ budget: b, states: r.distinct });
  }
  const n = samples.map((s) => s.states);
  const last = n.at(-1)!;
  const factors = n.slice(1).map((x, k) => x / Math.max(1, n[k]!));
  let factor = factors.at(-1) ?? last;
  if (factors.length >= 2) factor *= Math.min(1, factors.at(-1)! / factors.at(-2)!);
  // The remaining budget steps (more than one when a sample was capped).
  const steps = budget - samples.at(-1)!.budget;
  return { states: Math.round(last * Math.max(1, factor) ** steps), atLeast: capped, samples };
}

const count = (n: number) => n.toLocaleString('en-US');

/** Rough duration at 0.5 to 1 million distinct states per second (two cores, see the README's Performance). */
function duration(states: number): string {
  const [lo, hi] = [states / 1e6, states / 5e5];
  const fmt = (s: number) => (s < 90 ? `${Math.max(1, Math.round(s))} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)} to ${fmt(hi)}`;
}

/** One line for stderr: the estimate, where it comes from, and what it means in time. */
export function estimateLine(name: string, e: Estimate): string {
  const from = e.samples.map((s) => `${count(s.states)}${e.atLeast && s === e.samples.at(-1) ? '+' : ''} at budget ${s.budget}`).join(', ');
  return `${name}: ${e.atLeast ? 'more than' : 'up to about'} ${count(e.states)} distinct states, fewer if every checked property fails early (from ${from}): up to ${duration(e.states)} on two cores`;
}
