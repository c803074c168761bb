/**
 * A counterexample as one self-contained HTML file: the SVG graph, and a step panel (previous /
 * next, arrow keys) showing the full state at each step with what changed, and why the property
 * fails. No network: the styles, the script and the data are all inside the file, so it opens from
 * the file system and can be attached to a review or an incident report.
 *
 * User-provided strings (scenario name and description, object names, values, action labels) never
 * reach the markup: they travel as JSON in a `<script type="application/json">` block, with `<`,
 * `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, and the viewer script puts them on the page
 * with `textContent`. The SVG's text was escaped by Graphviz. As a second line of defence a
 * Content-Security-Policy allows no script but the viewer's own (by hash) and no network at all.
 */
import { createHash } from 'node:crypto';
import type { Counterexample } from '../check/counterexample.js';
import type { StateView } from '../explorer/model.js';
import { traceDisplay } from './operatorView.js';
import { actorColor, actorLookup, annotateGroups, blamedCellKeys, stateGroups, xmlSafe, type ActorOf } from './viewerData.js';
import { VIEWER_SCRIPT } from './viewerScript.js';

/** Everything the viewer script shows, as plain JSON. */
export interface ViewerData {
  readonly scenario: string;
  readonly description: string;
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly property: Counterexample['property'];
  /** The sentence shown at the last step. */
  readonly verdict: string;
  readonly loopBack: number | null;
  readonly stutter: Counterexample['stutter'] | null;
  /** Said once for the whole trace (the event budget, how ordinals are shown). */
  readonly notes: readonly string[];
  /** What the highlighted cells of the violating state are; null when none are. */
  readonly blameNote: string | null;
  readonly steps: readonly {
    /** The action as shown (the pods' own ordinals). */
    readonly action: string | null;
    /** The step in Kubernetes terms (the StatefulSet model's own actions). */
    readonly words: string | null;
    readonly actor: string | null;
    readonly color: string;
    readonly changes: readonly string[];
    /** The model words this step's changes (the initial state: its objects) use, explained. */
    readonly glosses: readonly string[];
    readonly groups: ReturnType<typeof stateGroups>;
  }[];
}

export function viewerData(cx: Counterexample, actorOf: ActorOf = actorLookup(cx)): ViewerData {
  const last = cx.steps.length - 1;
  let verdict = `${cx.property.name} violated: ${cx.property.description}.`;
  if (cx.loopBack !== undefined) verdict = `From here the behaviour goes back to state ${cx.loopBack} and repeats forever, so ${verdict}`;
  else if (cx.stutter !== undefined) verdict = `From here nothing happens forever, so ${verdict}`;
  else if (last > 0) verdict = `This step breaks the property. ${verdict}`;
  const display = traceDisplay(cx);
  // The violating state's blamed cells, under the names the tables show.
  const blamed = blamedCellKeys(cx, display);
  const note = (view: StateView) => (object: string, f: string) => {
    const value = view.get(object)?.get(f);
    const glosses = value === undefined ? [] : display.glosses(object, f, value);
    return glosses.length ? glosses.map((g) => g.text).join('; ') : undefined;
  };
  const blameNote =
    blamed.size === 0
      ? null
      : cx.property.kind === 'liveness'
        ? `Outlined in red: the cells that keep ${cx.property.name} from holding${cx.loopBack !== undefined ? ' throughout the loop' : ''}.`
        : `Outlined in red: the cells that make ${cx.property.name} false${cx.property.kind === 'transition' ? ' in this step' : ''}.`;
  return {
    scenario: cx.scenario,
    description: cx.description,
    model: cx.model,
    params: cx.params,
    property: cx.property,
    verdict,
    loopBack: cx.loopBack ?? null,
    stutter: cx.stutter ? closestFirst(cx.stutter).map((d) => ({ ...d, label: display.label(d.label) })) : null,
    notes: display.notes,
    blameNote,
    steps: cx.steps.map((s, k) => {
      const actor = s.action === null ? undefined : actorOf(s.action);
      const view = display.views[k]!;
      const changes = k === 0 ? [] : display.changes(k);
      const used =
        k === 0 ? [...view].flatMap(([object, fields]) => (fields === null ? [] : [...fields].flatMap(([f, v]) => display.glosses(object, f, v)))) : changes.flatMap((c) => c.glosses);
      return {
        action: s.action === null ? null : display.label(s.action),
        words: (s.action !== null ? display.words(s.action) : undefined) ?? null,
        actor: actor ?? null,
        color: actorColor(actor),
        changes: changes.map((c) => c.line),
        glosses: firstOfEachTerm(used),
        groups: annotateGroups(stateGroups(k === 0 ? null : display.views[k - 1]!, view), note(view), k === last ? blamed : undefined),
      };
    }),
  };
}

/** Each model word's first explanation (the first identity's, say, not one per identity). */
function firstOfEachTerm(glosses: readonly { readonly term: string; readonly text: string }[]): string[] {
  const out = new Map<string, string>();
  for (const g of glosses) if (!out.has(g.term)) out.set(g.term, g.text);
  return [...out.values()];
}

/** How many disabled fair actions a stuttering trace shows before the "more" fold. */
export const SHOWN_DISABLED = 8;

/**
 * Disabled fair actions in the order a reader should see them (as in the text report): the
 * controller's first, then fewest failing conditions first (what the behaviour is waiting for).
 */
function closestFirst(disabled: NonNullable<Counterexample['stutter']>): NonNullable<Counterexample['stutter']> {
  const rank = (d: (typeof disabled)[number]) => (d.actor === 'controller' ? 0 : 1000) + d.failing.length;
  return [...disabled].sort((a, b) => rank(a) - rank(b));
}

/** JSON that can sit inside a `<script>` element: nothing in it can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return xmlSafe(JSON.stringify(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Graphviz's SVG, ready to sit inside HTML: no XML prolog, doctype or comments. */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error('the SVG renderer returned no <svg> element');
  return svg.slice(start).replace(/<!--[\s\S]*?-->/g, '').trim();
}

const STYLE = `
:root { --border: #d0d7de; --muted: #57606a; --changed: #ffe066; --created: #c8f0c8; --deleted: #f6c6c6; --red: #d00000; }
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; }
header { padding: 12px 20px; border-bottom: 1px solid var(--border); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .property { margin: 0; }
header .property .name { color: var(--red); font-weight: 600; }
header details { margin-top: 6px; color: var(--muted); max-height: 30vh; overflow: auto; }
header details p { margin: 4px 0; white-space: pre-wrap; color: #1f2328; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
main { display: flex; flex: 1 1 auto; min-height: 0; }
#graph { flex: 1 1 50%; overflow: auto; padding: 12px; border-right: 1px solid var(--border); }
#graph svg { display: block; }
#graph g.node { cursor: pointer; }
#graph g.node.current { filter: drop-shadow(0 0 3px #1f6feb) drop-shadow(0 0 6px #1f6feb); }
#graph g.edge.current path { stroke-width: 4; }
#panel { flex: 1 1 50%; overflow: auto; padding: 12px 20px; }
nav { display: flex; align-items: center; gap: 12px; position: sticky; top: -12px; background: #fff; padding: 6px 0; z-index: 1; }
nav button { font: inherit; padding: 4px 12px; border: 1px solid var(--border); border-radius: 6px; background: #f6f8fa; cursor: pointer; }
nav button:disabled { opacity: .45; cursor: default; }
nav .hint { color: var(--muted); font-size: 12px; }
h2 { font-size: 17px; margin: 10px 0 6px; }
h2 .action { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; }
.actor { display: inline-block; margin-left: 8px; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; vertical-align: middle; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 4px; }
#verdict { border: 2px solid var(--red); border-radius: 6px; padding: 4px 10px; color: var(--red); background: #fff5f5; }
#verdict p { margin: 4px 0; }
#verdict ul { margin: 2px 0 6px; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; color: #1f2328; }
#verdict details summary { cursor: pointer; }
#changes { margin: 0; padding-left: 20px; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
#changes li.none { list-style: none; margin-left: -20px; color: var(--muted); font-family: inherit; }
.state-table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; }
.state-table th, .state-table td { border: 1px solid var(--border); padding: 2px 8px; text-align: center; }
.state-table thead th { background: #f6f8fa; font-weight: normal; color: var(--muted); font-size: 12px; }
.state-table thead th.kind { color: #1f2328; font-weight: 600; text-align: left; }
.state-table th.object { text-align: left; font-weight: normal; }
.state-table td.changed { background: var(--changed); font-weight: 600; }
.state-table td.glossed { text-decoration: underline dotted; cursor: help; }
.state-table td.blamed { outline: 3px solid var(--red); outline-offset: -3px; font-weight: 600; }
header .notes { margin: 4px 0 0; padding-left: 20px; color: var(--muted); font-size: 13px; }
#glosses { margin: 4px 0 0; padding-left: 20px; color: var(--muted); font-size: 13px; }
.state-table tr.created th, .state-table tr.created td { background: var(--created); }
.state-table tr.deleted th, .state-table tr.deleted td { background: var(--deleted); text-decoration: line-through; }
#steps { padding-left: 28px; margin: 4px 0; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
#steps li { margin: 1px 0; }
.step-link { font: inherit; border: none; border-left: 4px solid #333; background: none; padding: 1px 8px; cursor: pointer; text-align: left; }
.step-link.current { background: #ddf4ff; font-weight: 600; }
@media (max-width: 900px) { body { height: auto; display: block; } main { display: block; } #graph { border-right: none; border-bottom: 1px solid var(--border); max-height: 60vh; } }
`;

/** The viewer page for a counterexample, given its SVG (from `renderSvg`). */
export function renderHtml(cx: Counterexample, svg: string, actorOf: ActorOf = actorLookup(cx)): string {
  const script = VIEWER_SCRIPT;
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stsmc">
<title>stsmc counterexample</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1 id="scenario"></h1>
  <p class="property"><span class="name" id="property-name"></span> <span id="property-kind"></span> violated in <span id="length"></span>: <span id="property-description"></span></p>
  <ul class="notes" id="notes"></ul>
  <details><summary>About this scenario</summary><p id="description"></p><p>model <code id="model"></code>, parameters <code id="params"></code></p></details>
</header>
<main>
  <section id="graph" aria-label="the counterexample as a graph">
${inlineSvg(svg)}
  </section>
  <section id="panel" aria-label="the state at each step">
    <nav>
      <button type="button" id="prev" title="previous step (left arrow)">&#9664; Previous</button>
      <strong id="position"></strong>
      <button type="button" id="next" title="next step (right arrow)">Next &#9654;</button>
      <span class="hint">&larr; &rarr; keys, Home, End; or click a state</span>
    </nav>
    <h2><span id="step-title"></span><span class="action" id="step-action"></span><span class="actor" id="step-actor" hidden></span></h2>
    <p class="words" id="step-words" hidden></p>
    <div id="verdict" hidden></div>
    <h3>Changes</h3>
    <ul id="changes"></ul>
    <ul id="glosses" aria-label="model words used in this step"></ul>
    <h3>State</h3>
    <div id="state"></div>
    <h3>Steps</h3>
    <ol id="steps" start="0"></ol>
  </section>
</main>
<script type="application/json" id="trace-data">${scriptJson({ ...viewerData(cx, actorOf), shownDisabled: SHOWN_DISABLED })}</script>
<script>${script}</script>
</body>
</html>
`;
}
