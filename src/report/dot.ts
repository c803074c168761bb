/**
 * Counterexamples as Graphviz DOT: one node per state listing what changed in it, edges labelled
 * with the action, the violating state marked, a liveness loop drawn as a back edge.
 */
import type { Counterexample } from '../check/counterexample.js';
import { diffViews, showValue } from '../explorer/viewDiff.js';
import { blamedCells } from './blame.js';

/** Escapes text for a DOT double-quoted string. */
export function dotString(s: string): string {
  return `"${escapeDot(s)}"`;
}

function escapeDot(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n');
}

/** A left-justified multi-line label. */
function dotLines(lines: readonly string[]): string {
  return `"${lines.map(escapeDot).join('\\l')}\\l"`;
}

/**
 * The cells of the violating state that make the property false (or, for a liveness property, keep
 * it from holding), with their values there: what the HTML viewer outlines, said in the picture.
 */
function blameLines(cx: Counterexample): string[] {
  const cells = blamedCells(cx);
  if (cells.length === 0) return [];
  const view = cx.steps.at(-1)!.view;
  const head = cx.property.kind === 'liveness' ? `keeps ${cx.property.name} from holding:` : `makes ${cx.property.name} false:`;
  return ['', head, ...cells.map((c) => {
    const v = view.get(c.object)?.get(c.field);
    return `  ${c.object}: ${c.field}${v === undefined ? '' : `=${showValue(v)}`}`;
  })];
}

export function renderDot(cx: Counterexample): string {
  const out: string[] = [];
  out.push(`digraph ${dotString(`${cx.scenario}: ${cx.property.name}`)} {`);
  out.push('  rankdir=TB;');
  out.push('  node [shape=box, fontname="monospace", fontsize=10];');
  out.push('  edge [fontname="monospace", fontsize=10];');
  out.push(`  label=${dotString(`${cx.property.name} violated: ${cx.property.description}`)}; labelloc=t;`);
  cx.steps.forEach((step, k) => {
    const lines: string[] = [k === 0 ? 'State 0 (initial)' : `State ${k}`];
    if (k === 0) {
      for (const [name, fields] of step.view) {
        if (fields !== null) lines.push(`${name}: ${[...fields].map(([f, v]) => `${f}=${showValue(v)}`).join(' ')}`);
      }
    } else {
      for (const c of diffViews(cx.steps[k - 1]!.view, step.view)) {
        if (c.kind === 'deleted') lines.push(`${c.object}: deleted`);
        else if (c.kind === 'created') lines.push(`${c.object}: created`);
        else lines.push(`${c.object}: ${c.fields.map(([f, , b]) => `${f}=${showValue(b)}`).join(' ')}`);
      }
    }
    const last = k === cx.steps.length - 1;
    if (last) lines.push(...blameLines(cx));
    const style = last ? ', color=red, penwidth=2' : '';
    out.push(`  s${k} [label=${dotLines(lines)}${style}];`);
    if (k > 0) out.push(`  s${k - 1} -> s${k} [label=${dotString(step.action ?? '')}];`);
  });
  if (cx.loopBack !== undefined) out.push(`  s${cx.steps.length - 1} -> s${cx.loopBack} [label="loop", style=dashed, color=red, constraint=false];`);
  if (cx.stutter !== undefined) out.push(`  s${cx.steps.length - 1} -> s${cx.steps.length - 1} [label="stutters forever", style=dashed, color=red];`);
  out.push('}');
  return out.join('\n') + '\n';
}
