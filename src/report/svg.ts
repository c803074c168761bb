/**
 * Counterexamples as SVG pictures, laid out in-process by Graphviz compiled to WebAssembly
 * (`@hpcc-js/wasm-graphviz`: no system Graphviz needed). Each state is a node holding one compact
 * table per kind of object (see viewerData.ts), cells that changed in the step highlighted; edges
 * carry the step number and action, coloured by the actor that performs it; the violating state is
 * framed in red; a liveness loop is a dashed back edge.
 *
 * Everything a user or a model author controls (scenario name, object names, field values, action
 * labels) is escaped for Graphviz's HTML-like labels, which Graphviz escapes again for XML, so a
 * name such as `<img src=x onerror=alert(1)>` ends up as text in the SVG.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { is } from 'immutable';
import type { Counterexample } from '../check/counterexample.js';
import { dotString } from './dot.js';
import { shownCounterexample, traceDisplay } from './operatorView.js';
import { actorColor, actorLookup, annotateGroups, blamedCellKeys, stateGroups, xmlSafe, type ActorOf, type Group } from './viewerData.js';

// Graphviz lays text out without fonts, from built-in metrics of a few families. Courier's are exact
// for every monospace font (0.6 em a character), so the SVG names a list of them: cells fit their
// text in any browser.
export const FONT = 'Courier';
const FONT_FAMILY = 'Courier New,Courier,Liberation Mono,DejaVu Sans Mono,monospace';
const RED = '#D00000';
const CHANGED = '#FFE066';
const CREATED = '#C8F0C8';
const DELETED = '#F6C6C6';
const HEADER = '#F0F0F0';

/** Escapes text for a Graphviz HTML-like label (line breaks become left-aligned `<BR/>`). */
export function htmlText(s: string): string {
  return xmlSafe(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<BR ALIGN="LEFT"/>');
}

/** A double-quoted DOT string safe for XML output (tooltips, ids). */
export function dotAttr(s: string): string {
  return dotString(xmlSafe(s));
}

function groupTable(g: Group, compactHeaders: boolean): string {
  const head = g.columns
    .map((c) => `<TD BGCOLOR="${HEADER}"><FONT COLOR="#555555" POINT-SIZE="8">${compactHeaders ? htmlText(c).replace(/ /g, '<BR/>') : htmlText(c)}</FONT></TD>`)
    .join('');
  const rows = g.rows.map((r) => {
    const rowColor = r.status === 'created' ? CREATED : r.status === 'deleted' ? DELETED : undefined;
    const bg = (changed: boolean) => {
      const color = rowColor ?? (changed ? CHANGED : undefined);
      return color ? ` BGCOLOR="${color}"` : '';
    };
    const mark = (text: string, changed: boolean) => {
      const t = htmlText(text);
      if (r.status === 'deleted') return `<S>${t}</S>`;
      return t;
    };
    const label = r.status === 'deleted' ? `${r.label || r.object} (deleted)` : r.status === 'created' ? `${r.label || r.object} (new)` : r.label;
    // A blamed cell (the violating state's cells that make the property false) is framed in red and bold, as in the viewer.
    const cells = r.cells
      .map((c) => (c.blamed ? `<TD${bg(c.changed)} BORDER="2" COLOR="${RED}"><B>${mark(c.text, c.changed)}</B></TD>` : `<TD${bg(c.changed)}>${mark(c.text, c.changed)}</TD>`))
      .join('');
    return `<TR><TD ALIGN="LEFT"${bg(false)}>${htmlText(label)}</TD>${cells}</TR>`;
  });
  return (
    `<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" COLOR="#BBBBBB">` +
    `<TR><TD ALIGN="LEFT" BGCOLOR="${HEADER}">${htmlText(g.kind)}</TD>${head}</TR>${rows.join('')}</TABLE>`
  );
}

/**
 * Objects that look the same in every state of the trace. The initial state shows everything; the
 * later ones leave these out, which keeps the picture about what happens.
 */
export function unchangedObjects(cx: Counterexample): Set<string> {
  const names = new Set<string>();
  for (const s of cx.steps) for (const n of s.view.keys()) names.add(n);
  const first = cx.steps[0]?.view;
  const out = new Set<string>();
  for (const n of names) {
    const v0 = first?.get(n) ?? null;
    if (cx.steps.every((s) => is(s.view.get(n) ?? null, v0))) out.add(n);
  }
  return out;
}

/** What the last state's header says. */
function verdictNote(cx: Counterexample): string {
  if (cx.loopBack !== undefined) return `${cx.property.name}: loops back to state ${cx.loopBack} forever`;
  if (cx.stutter !== undefined) return `${cx.property.name}: nothing happens from here on`;
  return `violates ${cx.property.name}`;
}

/** The Graphviz source of the picture (HTML-like labels); `renderSvg` lays it out. */
export function renderRichDot(cx: Counterexample, actorOf: ActorOf = actorLookup(cx)): string {
  const out: string[] = [];
  const last = cx.steps.length - 1;
  // The operator's view of the trace, as in the text report and the viewer's panel (operatorView.ts).
  const display = traceDisplay(cx);
  const actors = new Map<string, string>();
  for (const s of cx.steps) {
    const a = s.action === null ? undefined : actorOf(s.action);
    if (a !== undefined && !actors.has(a)) actors.set(a, actorColor(a));
  }
  const unchanged = unchangedObjects(shownCounterexample(cx, display));
  const blamed = blamedCellKeys(cx, display);
  const legend = [...actors].map(([a, c]) => `<FONT COLOR="${c}">&#9632; ${htmlText(a)}</FONT>`).join('  ');
  const kind = cx.property.kind === 'liveness' ? 'liveness' : cx.property.kind;
  const title =
    `<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="0">` +
    `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="12"><B>${htmlText(cx.scenario)}</B></FONT></TD></TR>` +
    `<TR><TD ALIGN="LEFT"><FONT COLOR="${RED}"><B>${htmlText(cx.property.name)}</B> (${htmlText(kind)}) violated</FONT>: ${htmlText(cx.property.description)}</TD></TR>` +
    (legend ? `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">actors: ${legend}</FONT></TD></TR>` : '') +
    display.notes.map((n) => `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8">${htmlText(n)}</FONT></TD></TR>`).join('') +
    (blamed.size
      ? `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="${RED}">framed in red in state ${last}: the cells that ${cx.property.kind === 'liveness' ? `keep ${htmlText(cx.property.name)} from holding` : `make ${htmlText(cx.property.name)} false`}</FONT></TD></TR>`
      : '') +
    (unchanged.size && cx.steps.length > 1
      ? `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#666666">objects that never change are shown in state 0 only; changed cells are yellow, new objects green, deleted red</FONT></TD></TR>`
      : `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#666666">changed cells are yellow, new objects green, deleted red</FONT></TD></TR>`) +
    `</TABLE>`;
  out.push('digraph trace {');
  out.push(`  graph [id="trace", rankdir=TB, nodesep=0.3, ranksep=0.35, pad=0.2, fontname=${dotString(FONT)}, fontsize=10, labelloc=t, labeljust=l, label=<${title}>];`);
  out.push(`  node [shape=plain, fontname=${dotString(FONT)}, fontsize=9];`);
  out.push(`  edge [fontname=${dotString(FONT)}, fontsize=9, penwidth=1.6, arrowsize=0.8];`);
  cx.steps.forEach((step, k) => {
    const groups = annotateGroups(stateGroups(k === 0 ? null : display.views[k - 1]!, display.views[k]!), () => undefined, k === last ? blamed : undefined)
      .map((g) => (k === 0 ? g : { ...g, rows: g.rows.filter((r) => !unchanged.has(r.object) || r.cells.some((c) => c.blamed)) }))
      .filter((g) => g.rows.length > 0);
    const isLast = k === last;
    const heading =
      `<B>State ${k}</B>${k === 0 ? ' (initial)' : ''}` + (isLast ? `  <FONT COLOR="${RED}"><B>${htmlText(verdictNote(cx))}</B></FONT>` : '');
    const rows = [`<TR><TD ALIGN="LEFT">${heading}</TD></TR>`, ...groups.map((g) => `<TR><TD ALIGN="LEFT">${groupTable(g, true)}</TD></TR>`)];
    const frame = isLast ? `BORDER="3" COLOR="${RED}"` : `BORDER="1" COLOR="#444444"`;
    const label = `<TABLE ${frame} CELLBORDER="0" CELLSPACING="3" CELLPADDING="1" BGCOLOR="white">${rows.join('')}</TABLE>`;
    const tooltip = k === 0 ? 'State 0 (initial)' : `State ${k}, after ${step.action === null ? '' : display.label(step.action)}`;
    out.push(`  s${k} [id="step${k}", class="step", tooltip=${dotAttr(tooltip)}, label=<${label}>];`);
    if (k > 0) {
      const actor = actorOf(step.action ?? '');
      const action = step.action === null ? '' : display.label(step.action);
      const color = actorColor(actor);
      const actorLine = actor !== undefined ? `<BR/><FONT POINT-SIZE="7">${htmlText(actor)}</FONT>` : '';
      const edgeLabel = `<<TABLE BORDER="0" CELLPADDING="3" CELLSPACING="0"><TR><TD>${k}. ${htmlText(action)}${actorLine}</TD></TR></TABLE>>`;
      const tip = `Step ${k}: ${action}${actor !== undefined ? ` (${actor})` : ''}`;
      out.push(`  s${k - 1} -> s${k} [id="edge${k}", class="step", label=${edgeLabel}, color="${color}", fontcolor="${color}", tooltip=${dotAttr(tip)}, labeltooltip=${dotAttr(tip)}];`);
    }
  });
  if (cx.loopBack !== undefined) {
    out.push(`  s${last} -> s${cx.loopBack} [id="loop", label="loop", style=dashed, color="${RED}", fontcolor="${RED}", constraint=false, tooltip="the behaviour repeats from here forever"];`);
  }
  if (cx.stutter !== undefined) {
    out.push(`  s${last} -> s${last} [id="stutter", label="stutters forever", style=dashed, color="${RED}", fontcolor="${RED}", tooltip="no fair action can act: nothing happens forever"];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

let graphvizInstance: Promise<Graphviz> | undefined;

/** Lays out Graphviz source as SVG, in-process (the WebAssembly module loads once). */
export async function dotToSvg(dot: string): Promise<string> {
  graphvizInstance ??= Graphviz.load();
  const gv = await graphvizInstance;
  // Graphviz writes `Courier,monospace` on every text; name the common monospace fonts once, on the
  // root, instead. Only Graphviz writes attributes: quotes in user text are escaped as &quot;, so
  // this cannot match inside it.
  return gv
    .dot(dot, 'svg')
    .replace(/ font-family="Courier(,monospace)?"/g, '')
    .replace('<svg ', `<svg font-family="${FONT_FAMILY}" `);
}

export async function renderSvg(cx: Counterexample, actorOf: ActorOf = actorLookup(cx)): Promise<string> {
  return dotToSvg(renderRichDot(cx, actorOf));
}
