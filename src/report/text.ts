/**
 * Counterexamples as text: one block per step, the action, then only what changed, per object;
 * the violating step marked and the property explained in a sentence.
 */
import type { Counterexample } from './counterexample.js';
import { traceLength } from './counterexample.js';
import { diffViews, showValue, type ObjectChange } from './diff.js';

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
    lines.push(`  Step ${k}: ${step.action}${mark}`);
    const changes = diffViews(cx.steps[k - 1]!.view, step.view);
    if (changes.length === 0) lines.push('    (no visible change)');
    for (const c of changes) lines.push(`    ${describeChange(c)}`);
  });
  if (cx.loopBack !== undefined) lines.push(`  ... back to state ${cx.loopBack}: this loop repeats forever`);
  if (cx.stutter !== undefined) {
    lines.push(`  ... then nothing happens forever (stuttering); the fair actions that could act are disabled:`);
    for (const d of cx.stutter) lines.push(`    ${d.label}: ${d.failing.join(', ')}`);
  }
  lines.push(`  ${cx.property.name} violated: ${cx.property.description}.`);
  return lines.join('\n');
}

function describeChange(c: ObjectChange): string {
  switch (c.kind) {
    case 'created':
      return `${c.object}: created (${c.fields.map(([f, v]) => `${f}=${showValue(v)}`).join(', ')})`;
    case 'deleted':
      return `${c.object}: deleted`;
    case 'changed':
      return `${c.object}: ${c.fields.map(([f, a, b]) => `${f} ${showValue(a)} -> ${showValue(b)}`).join(', ')}`;
  }
}
