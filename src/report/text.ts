/**
 * Counterexamples as text: one block per step, the action (and what it is in Kubernetes terms),
 * then only what changed, per object; the violating step marked and the property explained in a
 * sentence.
 */
import type { Counterexample } from '../check/counterexample.js';
import { traceLength } from '../check/counterexample.js';
import { describeChange, diffViews, showValue } from '../explorer/viewDiff.js';
import { operatorWords } from './operatorWords.js';

export function renderText(cx: Counterexample): string {
  const lines: string[] = [];
  const n = traceLength(cx);
  lines.push(`Counterexample for ${cx.property.name} (${cx.property.kind}) in ${cx.scenario}: ${n} step${n === 1 ? '' : 's'}`);
  cx.steps.forEach((step, k) => {
    if (k === 0) {
      lines.push(`  State 0 (initial)`);
      for (const [name, fields] of step.view) {
        if (fields === null) continue;
        lines.push(`    ${name}: ${[...fields].map(([f, v]) => `${f}=${showValue(v)}`).join(', ')}`);
      }
      return;
    }
    const last = k === cx.steps.length - 1;
    const mark = last && cx.loopBack === undefined && cx.stutter === undefined ? '  <-- violation' : '';
    // The StatefulSet model's steps in Kubernetes terms too (a variant's own actions have none).
    const words = cx.model === 'statefulset' && step.action !== null ? operatorWords(step.action, cx.params) : undefined;
    lines.push(`  Step ${k}: ${step.action}${words !== undefined ? ` — ${words}` : ''}${mark}`);
    const changes = diffViews(cx.steps[k - 1]!.view, step.view);
    if (changes.length === 0) lines.push('    (no visible change)');
    for (const c of changes) lines.push(`    ${describeChange(c)}`);
  });
  if (cx.loopBack !== undefined) lines.push(`  ... back to state ${cx.loopBack}: this loop repeats forever`);
  if (cx.stutter !== undefined) {
    lines.push(`  ... then nothing happens forever (stuttering): no fair action is enabled. Closest to acting:`);
    const shown = closestToActing(cx.stutter);
    for (const d of shown) lines.push(`    ${d.label} needs ${d.failing.join(', ')}${d.needs && d.failing.length === 1 ? ` (${d.needs})` : ''}`);
    const rest = cx.stutter.length - shown.length;
    if (rest > 0) lines.push(`    (${rest} more disabled fair actions: every one is listed in the .itf.json and .html files)`);
  }
  lines.push(`  ${cx.property.name} violated: ${cx.property.description}.`);
  return lines.join('\n');
}

const SHOWN_DISABLED = 8;

/**
 * The disabled actions a reader should see first: the controller's before the rest, fewest failing
 * conditions first (an action blocked by one condition is what the behaviour is waiting for).
 */
function closestToActing(disabled: NonNullable<Counterexample['stutter']>): NonNullable<Counterexample['stutter']> {
  const rank = (d: (typeof disabled)[number]) => (d.actor === 'controller' ? 0 : 1000) + d.failing.length;
  return [...disabled].sort((a, b) => rank(a) - rank(b)).slice(0, SHOWN_DISABLED);
}
