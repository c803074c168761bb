/**
 * A counterexample as an operator reads it: the renderers (text, HTML viewer, SVG) show these views,
 * labels and notes instead of the model's own, so a trace speaks of Kubernetes objects and says
 * once, in words, what is the model's bookkeeping.
 *
 * - The event budget (`Environment: budget`) is the search's bound, not something in the cluster:
 *   it is said once in the header ("events allowed per behaviour: 2 ..."), never as a per-step
 *   change. An operator needs it once, to read "shortest" and "holds" (holds with up to that many
 *   faults and user operations); a countdown on every fault would read as a cluster change.
 * - `Identity web-0` (what outlives each pod object web-0) keeps its name, the Kubernetes
 *   documentation's "pod identity", with operator field names (`failing`, `wrote data`), and the
 *   moment its app first writes reads "has written data to data-web-0".
 * - Model words (`stale` and `both` containers, `owned` and `deleting` claims, a deleted Node
 *   object, ...) are explained where they first appear (`glosses`).
 * - Labels keep the model's actions but show the pods' own ordinals (`displayLabel`).
 *
 * Only the StatefulSet model's traces are changed; another model's are shown as they are. The
 * model's own view (src/spec/view.ts) is not touched: scripted scenarios, replay and conformance
 * name its objects and fields (`Identity web-0: { wroteData: false }`), and the ITF files carry the
 * model's variables.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { FieldValue, ObjectView, StateView } from '../explorer/model.js';
import { describeChange, diffViews, showValue, type ObjectChange } from '../explorer/viewDiff.js';
import { displayLabel, operatorWords, relabels, startOf } from './operatorWords.js';

/** A model word explained: `term` is said once per trace (text) or shown as a note (viewer). */
export interface Gloss {
  readonly term: string;
  readonly text: string;
}

export interface TraceDisplay {
  /** Each step's state as shown. */
  readonly views: readonly StateView[];
  /** Said once for the whole trace: the event budget, how ordinals are shown. */
  readonly notes: readonly string[];
  /** An action label as shown (model label in). */
  label(modelLabel: string): string;
  /** The step in Kubernetes terms (model label in), when known. */
  words(modelLabel: string): string | undefined;
  /** What changed from state `k - 1` to state `k`, one line per object, with the model words it uses. */
  changes(k: number): { readonly line: string; readonly glosses: readonly Gloss[] }[];
  /** The model words one shown field value uses. */
  glosses(object: string, field: string, value: FieldValue): Gloss[];
  /** The shown name of a model field of a model object (undefined: not shown). */
  field(object: string, field: string): string | undefined;
}

type Trace = Pick<Counterexample, 'model' | 'params' | 'steps'>;

/** Identity fields as shown; the model's names stay in its view and ITF. */
const IDENTITY_FIELDS: Readonly<Record<string, string>> = { broken: 'failing', wroteData: 'wrote data', lastRanOn: 'last ran on' };
/** Objects of the model's view that are the search's bookkeeping, said once in the header instead. */
const HIDDEN_OBJECTS = new Set(['Environment']);

export function traceDisplay(cx: Trace): TraceDisplay {
  if (cx.model !== 'statefulset') return plainDisplay(cx);
  const views = cx.steps.map((s) => operatorState(s.view));
  // The pods' and claims' names by model ordinal, in the view's order (one identity and one claim per ordinal).
  const first = cx.steps[0]?.view;
  const pods = first ? [...first.keys()].filter((k) => k.startsWith('Identity ')).map((k) => k.slice('Identity '.length)) : [];
  const claims = first ? [...first.keys()].filter((k) => k.startsWith('PVC ')).map((k) => k.slice('PVC '.length)) : [];
  const claimOf = (pod: string) => claims[pods.indexOf(pod)] ?? 'its claim';

  const glosses = (object: string, field: string, value: FieldValue): Gloss[] => {
    // `Pod web-0` is kind `Pod`, name `web-0`; a one-word object (`Environment`) is all kind.
    const space = object.indexOf(' ');
    const kind = space < 0 ? object : object.slice(0, space);
    const name = space < 0 ? '' : object.slice(space + 1);
    const out: Gloss[] = [];
    if (kind === 'Identity') {
      out.push({
        term: 'Identity',
        text: `Identity ${name}: the pod's name and its claim ${claimOf(name)}, which outlive each pod object ${name}; failing: its app cannot pass the readiness probe until repaired; wrote data: its app has written to ${claimOf(name)}`,
      });
      if (field === 'last ran on' && value !== '-') out.push({ term: 'last ran on', text: `last ran on: the node of ${name}'s last stopped container, which a restarted kubelet listing its pods from a stale cache may start again` });
    }
    if (field.startsWith('container ') && value === 'stale') {
      out.push({ term: 'stale', text: 'stale: a container still running for a pod object the API server no longer has (force-deleted or garbage-collected); the kubelet kills it once it notices' });
    }
    if (field.startsWith('container ') && value === 'both') {
      out.push({ term: 'both', text: "both: two containers of the pod on this node at once, a stale one (its pod object is gone) and the current pod's" });
    }
    if (kind === 'PVC' && field === 'status' && value === 'owned') {
      out.push({ term: 'owned', text: 'owned: the claim carries an ownerReference to its pod (persistentVolumeClaimRetentionPolicy whenScaled: Delete), so the garbage collector deletes it with the pod' });
    }
    if (kind === 'PVC' && field === 'status' && value === 'deleting') {
      out.push({ term: 'deleting', text: 'deleting: deletion requested; the kubernetes.io/pvc-protection finalizer keeps the claim while a scheduled pod uses it' });
    }
    if (kind === 'PVC' && field === 'status' && value === 'pending') {
      out.push({ term: 'pending', text: 'pending: no PersistentVolume can be bound to the claim (with static provisioning the old PV stays Released until an administrator frees it)' });
    }
    if (kind === 'PVC' && field === 'pinnedTo' && value !== '-') {
      out.push({ term: 'pinnedTo', text: `pinnedTo: the claim's node-local PV lives on ${String(value)}, so its pod can only run there` });
    }
    if (kind === 'Node' && field === 'registered' && value === false) {
      out.push({ term: 'registered', text: 'registered=no: the Node object is gone from the API server; the machine itself may still be running' });
    }
    if (field === 'ownWritesUnobserved' && value === true) {
      out.push({ term: 'ownWritesUnobserved', text: "ownWritesUnobserved: the controller wrote a pod or claim that its informer cache does not show yet" });
    }
    return out;
  };

  const describe = (c: ObjectChange): string => {
    if (c.kind !== 'changed' || !c.object.startsWith('Identity ')) return describeChange(c);
    const pod = c.object.slice('Identity '.length);
    const parts = c.fields.map(([f, a, b]) => {
      if (f === 'wrote data') return b === true ? `has written data to ${claimOf(pod)}` : `no longer has data of its own (its claim was deleted by the retention policy: ${pod} starts afresh)`;
      return `${f} ${showValue(a)} -> ${showValue(b)}`;
    });
    return `${c.object}: ${parts.join(', ')}`;
  };

  const start = startOf(cx.params);
  const labels = cx.steps.flatMap((s) => (s.action === null ? [] : [s.action]));
  const notes = [...budgetNote(cx)];
  if (start !== 0) {
    const example = labels.find((l) => relabels(l) && l !== displayLabel(l, cx.params));
    notes.push(
      `ordinals are shown as the pods' own (ordinals.start = ${start})${example ? `: ${displayLabel(example, cx.params)} is the model's ${example}` : ''}; the .itf.json file and stsmc replay use the model's labels, counted from 0`,
    );
  }
  return {
    views,
    notes,
    label: (l) => displayLabel(l, cx.params),
    words: (l) => operatorWords(l, cx.params),
    changes: (k) =>
      diffViews(views[k - 1]!, views[k]!).map((c) => ({
        line: describe(c),
        glosses:
          c.kind === 'created' ? c.fields.flatMap(([f, v]) => glosses(c.object, f, v)) : c.kind === 'changed' ? c.fields.flatMap(([f, , v]) => glosses(c.object, f, v)) : [],
      })),
    glosses,
    field: (object, field) => (HIDDEN_OBJECTS.has(object) ? undefined : object.startsWith('Identity ') ? (IDENTITY_FIELDS[field] ?? field) : field),
  };
}

/** The model's view as shown: bookkeeping objects left out, identity fields renamed. */
function operatorState(view: StateView): StateView {
  return view
    .filter((_v, name) => !HIDDEN_OBJECTS.has(name))
    .map((v, name) => (v !== null && name.startsWith('Identity ') ? (v.mapKeys((f) => IDENTITY_FIELDS[f] ?? f) as ObjectView) : v));
}

/**
 * "events allowed per behaviour: N (budget)": from the initial state's `Environment: budget`, with
 * how many this trace uses (the budget left in its last state).
 */
function budgetNote(cx: Trace): string[] {
  const budget = (k: number) => cx.steps[k]?.view.get('Environment')?.get('budget');
  const initial = budget(0);
  const left = budget(cx.steps.length - 1);
  if (typeof initial !== 'number' || typeof left !== 'number') return [];
  return [`events allowed per behaviour: ${initial} (budget: each fault or user operation is one event; this trace uses ${initial - left})`];
}

/** Another model's trace: its own views and labels. */
function plainDisplay(cx: Trace): TraceDisplay {
  const views = cx.steps.map((s) => s.view);
  return {
    views,
    notes: [],
    label: (l) => l,
    words: () => undefined,
    changes: (k) => diffViews(views[k - 1]!, views[k]!).map((c) => ({ line: describeChange(c), glosses: [] })),
    glosses: () => [],
    field: (_o, f) => f,
  };
}

/** The counterexample with the views as shown (for renderers that take a counterexample). */
export function shownCounterexample(cx: Counterexample, display: TraceDisplay = traceDisplay(cx)): Counterexample {
  return { ...cx, steps: cx.steps.map((s, k) => ({ ...s, view: display.views[k]! })) };
}
