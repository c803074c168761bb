/**
 * Counterexamples as text: one block per step, the action (and what it is in Kubernetes terms),
 * then only what changed, per object; the violating step marked and the property explained in a
 * sentence. What is shown is the operator's view of the trace (operatorView.ts): the event budget
 * said once in the header, model words explained under the line that first uses them, labels with
 * the pods' own ordinals.
 */
import type { Counterexample } from '../check/counterexample.js';
import { traceLength } from '../check/counterexample.js';
import { showValue } from '../explorer/viewDiff.js';
import { traceDisplay, type Gloss } from './operatorView.js';

export function renderText(cx: Counterexample): string {
  const lines: string[] = [];
  const n = traceLength(cx);
  const display = traceDisplay(cx);
  lines.push(`Counterexample for ${cx.property.name} (${cx.property.kind}) in ${cx.scenario}: ${n} step${n === 1 ? '' : 's'}`);
  for (const note of display.notes) lines.push(`  ${note}`);
  // Each model word is explained once, under the first line that shows it.
  const explained = new Set<string>();
  const explain = (glosses: readonly Gloss[]) => {
    for (const g of glosses) {
      if (explained.has(g.term)) continue;
      explained.add(g.term);
      lines.push(`      (${g.text})`);
    }
  };
  cx.steps.forEach((step, k) => {
    if (k === 0) {
      lines.push(`  State 0 (initial)`);
      for (const [name, fields] of display.views[0]!) {
        if (fields === null) continue;
        lines.push(`    ${name}: ${[...fields].map(([f, v]) => `${f}=${showValue(v)}`).join(', ')}`);
        explain([...fields].flatMap(([f, v]) => display.glosses(name, f, v)));
      }
      return;
    }
    const last = k === cx.steps.length - 1;
    const mark = last && cx.loopBack === undefined && cx.stutter === undefined ? '  <-- violation' : '';
    // The StatefulSet model's steps in Kubernetes terms too (a variant's own actions have none).
    const words = step.action !== null ? display.words(step.action) : undefined;
    lines.push(`  Step ${k}: ${step.action === null ? null : display.label(step.action)}${words !== undefined ? ` — ${words}` : ''}${mark}`);
    const changes = display.changes(k);
    if (changes.length === 0) lines.push('    (no visible change)');
    for (const c of changes) {
      lines.push(`    ${c.line}`);
      explain(c.glosses);
    }
  });
  if (cx.loopBack !== undefined) lines.push(`  ... back to state ${cx.loopBack}: this loop repeats forever`);
  if (cx.stutter !== undefined) {
    lines.push(`  ... then nothing happens forever (stuttering): no fair action is enabled. Closest to acting:`);
    const shown = closestToActing(cx.stutter);
    for (const d of shown) lines.push(`    ${display.label(d.label)} needs ${d.failing.join(', ')}${d.needs && d.failing.length === 1 ? ` (${d.needs})` : ''}`);
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
