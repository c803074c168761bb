/**
 * The whole explored state graph as a picture (`stsmc check --dump-graph FILE.dot|FILE.svg`), like
 * TLC's `-dump dot`: one node per distinct state (its id; the full state as a tooltip), one edge per
 * enabled action instance, coloured by actor; initial states doubled, states violating an invariant
 * and steps violating a transition property in red. Meant for small configurations: above
 * `GRAPH_STATE_LIMIT` states the picture is unreadable, so it refuses with an input error.
 *
 * Edges are recovered after exploration: every stored state is decoded and expanded again, and each
 * successor looked up among the stored states by its packed words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { explore, type Exploration } from '../explorer/bfs.js';
import type { InvariantProperty, Model, TransitionProperty } from '../explorer/model.js';
import { NO_PARENT, StoreView } from '../explorer/store.js';
import { showValue } from '../explorer/viewDiff.js';
import { InputError } from '../input/errors.js';
import { loadModelAsync } from '../registry.js';
import type { Plan } from '../scenario/scenario.js';
import { dotString } from './dot.js';
import { dotAttr, dotToSvg, FONT, htmlText } from './svg.js';
import { actorColor } from './viewerData.js';

export const GRAPH_STATE_LIMIT = 2000;
/** Above this many edges, action labels are left to the tooltips: the layout gets slow and cluttered. */
const EDGE_LABEL_LIMIT = 400;

export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly action: number;
  /** Transition properties this step violates. */
  readonly violates: readonly string[];
}

export interface StateGraph {
  readonly states: number;
  readonly initial: ReadonlySet<number>;
  /** Per state, the invariants it violates (only states with some). */
  readonly violating: ReadonlyMap<number, readonly string[]>;
  readonly edges: readonly GraphEdge[];
}

function tooLarge(states: number | null): InputError {
  const limit = GRAPH_STATE_LIMIT.toLocaleString('en-US');
  const has = states === null ? `more than ${limit} states` : `${states.toLocaleString('en-US')} states, more than the limit of ${limit}`;
  return new InputError(
    `--dump-graph: the state graph has ${has}; a picture that large cannot be read: ` +
      'use a smaller configuration (fewer ordinals or nodes, a smaller budget) or --max-depth',
  );
}

/** Rebuilds the edges of an exploration; `check` names the properties to mark (default: all safety properties). */
export function stateGraph<S>(model: Model<S>, exploration: Exploration, check?: readonly string[]): StateGraph {
  const n = exploration.distinct;
  if (n > GRAPH_STATE_LIMIT) throw tooLarge(n);
  const W = model.stateWords;
  const view = new StoreView(exploration.store);
  const key = (words: Uint32Array, off: number) => {
    let k = '';
    for (let w = 0; w < W; w++) k += `${words[off + w]!.toString(36)},`;
    return k;
  };
  const ids = new Map<string, number>();
  for (let id = 0; id < n; id++) ids.set(key(view.states, id * W), id);
  const wanted = (name: string) => check === undefined || check.includes(name);
  const invariants = model.properties.filter((p): p is InvariantProperty<S> => p.kind === 'invariant' && wanted(p.name));
  const transitions = model.properties.filter((p): p is TransitionProperty<S> => p.kind === 'transition' && wanted(p.name));

  const initial = new Set<number>();
  const violating = new Map<number, string[]>();
  const edges: GraphEdge[] = [];
  const buf = new Uint32Array(W);
  for (let id = 0; id < n; id++) {
    if (view.parents[id] === NO_PARENT) initial.add(id);
    const s = model.scratch();
    model.decode(view.states, id * W, s);
    const bad = invariants.filter((p) => !p.holds(s)).map((p) => p.name);
    if (bad.length) violating.set(id, bad);
    model.successors(s, (action, next) => {
      model.encode(next, buf, 0);
      const to = ids.get(key(buf, 0));
      if (to === undefined) return; // beyond --max-depth: not explored
      const violates = transitions.filter((p) => !p.holds(s, next, action)).map((p) => p.name);
      edges.push({ from: id, to, action, violates });
    });
  }
  return { states: n, initial, violating, edges };
}

function stateTooltip<S>(model: Model<S>, exploration: Exploration, id: number): string {
  const s = model.scratch();
  model.decode(new StoreView(exploration.store).states, id * model.stateWords, s);
  const lines = [`state ${id}`];
  for (const [name, fields] of model.view(s)) {
    if (fields !== null) lines.push(`${name}: ${[...fields].map(([f, v]) => `${f}=${showValue(v)}`).join(' ')}`);
  }
  return lines.join('\n');
}

export function renderStateGraphDot<S>(model: Model<S>, exploration: Exploration, title: string, check?: readonly string[]): string {
  const g = stateGraph(model, exploration, check);
  const labels = g.edges.length <= EDGE_LABEL_LIMIT;
  const out: string[] = [];
  const actors = [...new Set(g.edges.map((e) => model.actions[e.action]!.actor))];
  const legend = actors.map((a) => `<FONT COLOR="${actorColor(a)}">&#9632; ${htmlText(a)}</FONT>`).join('  ');
  const line = (html: string, size = 9) => `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="${size}">${html}</FONT></TD></TR>`;
  const caption =
    `<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="0">` +
    line(`<B>${htmlText(title)}</B>`, 12) +
    line(`${g.states} states, ${g.edges.length} transitions${exploration.complete ? '' : ` (explored to depth ${exploration.depth})`}`) +
    line(`double border: initial state; <FONT COLOR="#D00000">red: violates a checked property</FONT>; hover a state to see it`) +
    (legend ? line(`actors: ${legend}`) : '') +
    `</TABLE>`;
  out.push('digraph states {');
  out.push(`  graph [id="states", rankdir=TB, nodesep=0.15, ranksep=0.35, fontname=${dotString(FONT)}, fontsize=10, labelloc=t, labeljust=l, label=<${caption}>];`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=${dotString(FONT)}, fontsize=9, margin="0.05,0.02", width=0.3, height=0.2];`);
  out.push(`  edge [fontname=${dotString(FONT)}, fontsize=7, arrowsize=0.5, penwidth=0.8];`);
  for (let id = 0; id < g.states; id++) {
    const bad = g.violating.get(id);
    const attrs = [`id="state${id}"`, `tooltip=${dotAttr(stateTooltip(model, exploration, id))}`];
    if (bad) attrs.push(`label=${dotAttr(`${id}\n${bad.join('\n')}`)}`, 'color="#D00000"', 'fillcolor="#FFD6D6"', 'penwidth=2');
    else attrs.push(`label="${id}"`);
    if (g.initial.has(id)) attrs.push('peripheries=2', bad ? '' : 'fillcolor="#DDF4FF"');
    out.push(`  s${id} [${attrs.filter(Boolean).join(', ')}];`);
  }
  for (const e of g.edges) {
    const a = model.actions[e.action]!;
    const color = e.violates.length ? '#D00000' : actorColor(a.actor);
    const tip = `${a.label} (${a.actor})${e.violates.length ? `: violates ${e.violates.join(', ')}` : ''}`;
    const attrs = [`color="${color}"`, `tooltip=${dotAttr(tip)}`];
    if (labels) attrs.push(`label=${dotAttr(a.label)}`, `fontcolor="${color}"`);
    if (e.violates.length) attrs.push('penwidth=2', 'style=bold');
    out.push(`  s${e.from} -> s${e.to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** Explores `model` (stopping past the limit) and writes its state graph to `file` (`.dot` or `.svg`). */
export async function dumpStateGraph<S>(
  model: Model<S>,
  file: string,
  options: { title: string; check: readonly string[]; maxDepth?: number },
): Promise<{ states: number; file: string }> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.dot' && ext !== '.svg') throw new InputError(`--dump-graph: '${file}' must end in .dot or .svg`);
  const exploration = await explore(model, {
    check: [],
    stopWhenAllViolated: false,
    maxStates: GRAPH_STATE_LIMIT + 1,
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
  });
  if (exploration.stopReason === 'maxStates' || exploration.stopReason === 'memory' || exploration.distinct > GRAPH_STATE_LIMIT) {
    throw tooLarge(null);
  }
  const dot = renderStateGraphDot(model, exploration, options.title, options.check);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, ext === '.svg' ? await dotToSvg(dot) : dot);
  return { states: exploration.distinct, file };
}

/**
 * `stsmc check --dump-graph FILE`: the state graph of one scenario's configuration (its checked
 * safety properties marked). Runs before the check, so a graph too large is refused at once.
 */
export async function dumpPlanGraph(plans: readonly Plan[], file: string, maxDepth?: number): Promise<{ states: number; file: string }> {
  if (plans.length !== 1) throw new InputError(`--dump-graph draws one configuration: give one scenario file or --model (got ${plans.length} scenarios)`);
  const plan = plans[0]!;
  const model = await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) });
  const check = plan.check.filter((p) => p.kind !== 'liveness').map((p) => p.name);
  return dumpStateGraph(model, file, { title: `${plan.name}: every reachable state`, check, ...(maxDepth !== undefined ? { maxDepth } : {}) });
}
