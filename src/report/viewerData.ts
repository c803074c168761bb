/**
 * What the pictures show of a state, shared by the SVG graph and the HTML viewer so both agree:
 * the model's view (objects -> fields) grouped into one small table per kind of object (the word
 * before the first space of an object name: `Pod web-0` is a row `web-0` of the `Pod` table), each
 * cell marked when it changed since the previous state. Generic over the view: nothing here knows
 * about Kubernetes.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { FieldValue, StateView } from '../explorer/model.js';
import { showValue } from '../explorer/viewDiff.js';
import { loadModel } from '../registry.js';
import { blamedCells } from './blame.js';
import type { TraceDisplay } from './operatorView.js';

export type RowStatus = 'same' | 'created' | 'changed' | 'deleted';

export interface Cell {
  readonly text: string;
  readonly changed: boolean;
  /** Set by the viewer (`annotateGroups`): the model words the value uses, explained. */
  readonly note?: string;
  /** Set by the viewer: one of the cells that make the property false in the violating state. */
  readonly blamed?: boolean;
}

export interface Row {
  /** The full object name, e.g. `Pod web-0`. */
  readonly object: string;
  /** What the row shows of it: the name without the kind, e.g. `web-0`. */
  readonly label: string;
  readonly status: RowStatus;
  /** One cell per column of the group; `-` when the object has no such field. */
  readonly cells: readonly Cell[];
}

export interface Group {
  /** The kind of object, e.g. `Pod`; the whole name for a one-word object such as `Environment`. */
  readonly kind: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

function kindOf(object: string): [kind: string, label: string] {
  const k = object.indexOf(' ');
  return k <= 0 ? [object, ''] : [object.slice(0, k), object.slice(k + 1)];
}

/**
 * The tables of `cur`, with what changed since `prev` marked (`prev` null: the initial state, nothing
 * marked). Absent objects are left out, except those deleted by this step.
 */
export function stateGroups(prev: StateView | null, cur: StateView): Group[] {
  const groups = new Map<string, { columns: string[]; rows: { object: string; label: string; status: RowStatus; fields: Map<string, FieldValue>; changed: Set<string> }[] }>();
  const names = [...cur.keys()];
  if (prev) for (const name of prev.keys()) if (!cur.has(name)) names.push(name);
  for (const name of names) {
    const now = cur.get(name) ?? null;
    const was = prev ? (prev.get(name) ?? null) : null;
    if (now === null && was === null) continue;
    let status: RowStatus;
    const changed = new Set<string>();
    const shown = (now ?? was)!;
    if (prev === null) status = 'same';
    else if (now === null) status = 'deleted';
    else if (was === null) status = 'created';
    else {
      for (const [f, v] of now) if (was.get(f) !== v) changed.add(f);
      for (const f of was.keys()) if (!now.has(f)) changed.add(f);
      status = changed.size ? 'changed' : 'same';
    }
    const [kind, label] = kindOf(name);
    let g = groups.get(kind);
    if (!g) groups.set(kind, (g = { columns: [], rows: [] }));
    for (const f of shown.keys()) if (!g.columns.includes(f)) g.columns.push(f);
    g.rows.push({ object: name, label, status, fields: new Map(shown), changed });
  }
  return [...groups].map(([kind, g]) => ({
    kind,
    columns: g.columns,
    rows: g.rows.map((r) => ({
      object: r.object,
      label: r.label,
      status: r.status,
      cells: g.columns.map((c) => ({ text: showValue(r.fields.get(c)), changed: r.status === 'created' || r.changed.has(c) })),
    })),
  }));
}

/**
 * The groups with each cell's explanation of model words (`note`, a tooltip) and, in the violating
 * state, the cells the property blames (`blamed`, keyed by object and shown field name).
 */
export function annotateGroups(
  groups: readonly Group[],
  note: (object: string, field: string) => string | undefined,
  blamed: ReadonlySet<string> = new Set(),
): Group[] {
  return groups.map((g) => ({
    ...g,
    rows: g.rows.map((r) => ({
      ...r,
      cells: r.cells.map((c, k) => {
        const text = note(r.object, g.columns[k]!);
        const blame = blamed.has(cellKey(r.object, g.columns[k]!));
        return { ...c, ...(text ? { note: text } : {}), ...(blame ? { blamed: true } : {}) };
      }),
    })),
  }));
}

/**
 * The violating state's blamed cells (blame.ts) under the names the tables show, as `cellKey`s:
 * what the viewer and the SVG picture outline.
 */
export function blamedCellKeys(cx: Counterexample, display: TraceDisplay): Set<string> {
  return new Set(
    blamedCells(cx).flatMap((c) => {
      const shown = display.field(c.object, c.field);
      return shown === undefined ? [] : [cellKey(c.object, shown)];
    }),
  );
}

/** How `annotateGroups` names a cell: object and shown field. */
export function cellKey(object: string, field: string): string {
  return `${object}\u0000${field}`;
}

/** Who performed each action, by label; `undefined` when unknown. */
export type ActorOf = (label: string) => string | undefined;

/**
 * The actor of every action label of the counterexample's model, rebuilt from the registry with the
 * trace's model name and parameters. A trace of a model this build does not know still renders,
 * without actor colours.
 */
export function actorLookup(cx: Pick<Counterexample, 'model' | 'params'>): ActorOf {
  let model;
  try {
    model = loadModel({ model: cx.model, params: cx.params });
  } catch {
    return () => undefined;
  }
  const byLabel = new Map(model.actions.map((a) => [a.label, a.actor]));
  return (label) => byLabel.get(label);
}

/**
 * Colours of the actors of the built-in models (Okabe-Ito, readable by colour-blind people); other
 * actors get one of a fixed palette by a hash of their name, so a colour never depends on the order
 * actors appear in.
 */
const ACTOR_COLORS: Readonly<Record<string, string>> = {
  controller: '#0072B2',
  scheduler: '#CC79A7',
  kubelet: '#009E73',
  volumes: '#56B4E9',
  nodeLifecycle: '#8C564B',
  recovery: '#7F7F7F',
  fault: '#D55E00',
  user: '#E69F00',
};
const PALETTE = ['#1B9E77', '#7570B3', '#E7298A', '#66A61E', '#A6761D', '#386CB0', '#BF5B17', '#666666'];

export function actorColor(actor: string | undefined): string {
  if (actor === undefined) return '#333333';
  const known = ACTOR_COLORS[actor];
  if (known) return known;
  let h = 0;
  for (const ch of actor) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Removes what XML cannot carry (control characters, lone surrogates) from user-provided text. */
export function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '\ufffd').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
