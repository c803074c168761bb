/**
 * Which cells of the violating state make the property false, for the HTML viewer to highlight:
 * per property of the StatefulSet model, a function of the trace's last state (and, for a
 * transition property, the state before it and the step's action) to the (object, field) cells it
 * blames, in the model's view names (`Node node-1`, `container web-0`).
 *
 * Each function restates its property (src/spec/properties.ts) over the view, the objects a reader
 * sees, rather than over the state bytes, so it can only point at what the viewer shows: it reads
 * the cells the property reads, and returns those that make it false (an invariant), or those that
 * the violating step changed or relied on (a transition property). For a liveness property it
 * returns the cells of the objects that keep the behaviour unconverged in every state of the loop
 * (or in the final state a stuttering behaviour stays in). A property this file does not know, or a
 * state where the restatement finds nothing to blame, gets no highlight rather than a wrong one;
 * test/report/blame.test.ts checks that every violated property of the scenarios in specs/ gets
 * some.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { FieldValue, ObjectView, StateView } from '../explorer/model.js';

export interface BlamedCell {
  readonly object: string;
  readonly field: string;
}

/** The ordinals' names as the view spells them, in model ordinal order. */
interface Names {
  readonly pods: readonly string[];
  readonly claims: readonly string[];
  readonly nodes: readonly string[];
}

interface Step {
  readonly pre: StateView;
  readonly post: StateView;
  /** The model's label of the step (family and arguments). */
  readonly family: string;
  readonly args: readonly number[];
}

type Blame = (ctx: { readonly names: Names; readonly params: Readonly<Record<string, unknown>> }, s: StateView, step: Step | undefined) => BlamedCell[];

const CONTAINERS: Readonly<Record<string, number>> = { none: 0, live: 1, stale: 1, both: 2 };

const get = (v: StateView, object: string): ObjectView | null => v.get(object) ?? null;
const field = (v: StateView, object: string, f: string): FieldValue | undefined => get(v, object)?.get(f);
const cell = (object: string, f: string): BlamedCell => ({ object, field: f });
const pod = (n: Names, i: number) => `Pod ${n.pods[i]}`;
const pvc = (n: Names, i: number) => `PVC ${n.claims[i]}`;
const set = (v: StateView) => [...v.keys()].find((k) => k.startsWith('StatefulSet ')) ?? 'StatefulSet';
const num = (v: FieldValue | undefined) => (typeof v === 'number' ? v : 0);

/** The cells of pod i that keep it from being Running and Ready (its phase, ready, terminating). */
function notReadyCells(v: StateView, n: Names, i: number): BlamedCell[] {
  const p = get(v, pod(n, i));
  if (p === null) return [];
  const out: BlamedCell[] = [];
  if (p.get('phase') !== 'Running') out.push(cell(pod(n, i), 'phase'));
  if (p.get('ready') !== true) out.push(cell(pod(n, i), 'ready'));
  if (p.get('terminating') === true) out.push(cell(pod(n, i), 'terminating'));
  return out;
}

/** The pods below `k` that are not Running and Ready, as cells (`OrderedCreation`'s `allRRBelow`). */
const notReadyBelow = (v: StateView, n: Names, k: number) => Array.from({ length: Math.min(k, n.pods.length) }, (_, j) => notReadyCells(v, n, j)).flat();

/**
 * What keeps "every pod below replicas is Running and Ready" false in `v`: the not-ready pods'
 * cells, and the StatefulSet's replicas when a pod below it does not exist (it has no cells).
 */
function notReadyBelowReplicas(v: StateView, n: Names): BlamedCell[] {
  const sts = set(v);
  const replicas = Math.min(num(field(v, sts, 'replicas')), n.pods.length);
  const missing = n.pods.slice(0, replicas).some((_p, j) => get(v, pod(n, j)) === null);
  return [...notReadyBelow(v, n, replicas), ...(missing ? [cell(sts, 'replicas')] : [])];
}

/** The node cells of identity i's containers that count towards more than one. */
function extraContainers(v: StateView, n: Names, i: number): BlamedCell[] {
  const f = `container ${n.pods[i]}`;
  const running = n.nodes.filter((node) => CONTAINERS[String(field(v, node, f))]! > 0);
  const count = running.reduce((c, node) => c + CONTAINERS[String(field(v, node, f))]!, 0);
  return count > 1 ? running.map((node) => cell(node, f)) : [];
}

/** Pods 0..replicas-1 that are not Running, Ready and updated, and pods at or above replicas that exist. */
function unconverged(v: StateView, n: Names, params: Readonly<Record<string, unknown>>): BlamedCell[] {
  const sts = set(v);
  const deleted = field(v, sts, 'deleted') === true;
  const replicas = deleted ? 0 : num(field(v, sts, 'replicas'));
  const rolling = params.strategy !== 'OnDelete';
  const out: BlamedCell[] = [];
  // A pod missing below replicas has no cell, and one left above it is there against replicas: both are the replicas' (or the deletion's) to blame too.
  let countWrong = false;
  for (let i = 0; i < n.pods.length; i++) {
    const p = get(v, pod(n, i));
    if (i < replicas) {
      if (p === null) {
        countWrong = true;
        continue;
      }
      out.push(...notReadyCells(v, n, i));
      if (rolling && i >= num(field(v, sts, 'partition')) && p.get('revision') !== field(v, sts, 'updateRevision')) out.push(cell(pod(n, i), 'revision'));
    } else if (p !== null) {
      countWrong = true;
      out.push(cell(pod(n, i), 'phase'));
    }
  }
  if (countWrong) out.push(cell(sts, deleted ? 'deleted' : 'replicas'));
  return out;
}

const BLAME: Readonly<Record<string, Blame>> = {
  AtMostOne: ({ names }, s) => names.pods.flatMap((_, i) => extraContainers(s, names, i)),
  AtMostOneWriter: ({ names }, s) =>
    names.pods.flatMap((p, i) => {
      const at = field(s, pvc(names, i), 'attachedTo');
      const node = `Node ${String(at)}`;
      return at !== undefined && at !== '-' && field(s, node, `container ${p}`) === 'both' ? [cell(pvc(names, i), 'attachedTo'), cell(node, `container ${p}`)] : [];
    }),
  NoUnsafeDetach: ({ names }, _s, step) => {
    if (step === undefined || (step.family !== 'ADCDetach' && step.family !== 'ADCForceDetach')) return [];
    const i = step.args[0]!;
    const at = field(step.pre, pvc(names, i), 'attachedTo');
    // The detach (attachedTo changed) while the node it was attached to still runs a container of the identity.
    return [cell(pvc(names, i), 'attachedTo'), ...(at !== undefined && at !== '-' ? [cell(`Node ${String(at)}`, `container ${names.pods[i]}`)] : [])];
  },
  OrderedCreation: ({ names }, s, step) => {
    if (step === undefined) return [];
    return names.pods.flatMap((_, i) => {
      const created = get(step.pre, pod(names, i)) === null && get(s, pod(names, i)) !== null;
      if (!created || i === 0) return [];
      const below = notReadyBelow(step.pre, names, i);
      const missing = names.pods.slice(0, i).some((_p, j) => get(step.pre, pod(names, j)) === null);
      return below.length || missing ? [cell(pod(names, i), 'phase'), ...below.filter((c) => get(s, c.object) !== null)] : [];
    });
  },
  OrderedTermination: ({ names }, s, step) => {
    if (step === undefined || step.family !== 'CtlScaleDown') return [];
    const i = step.args[0]!;
    const higher = names.pods.flatMap((_, j) => (j > i && get(step.pre, pod(names, j)) !== null ? [cell(pod(names, j), 'phase')] : []));
    return [cell(pod(names, i), get(s, pod(names, i)) === null ? 'phase' : 'terminating'), ...higher, ...notReadyBelowReplicas(step.pre, names)];
  },
  NoDataLoss: ({ names }, s, step) =>
    step === undefined ? [] : names.claims.flatMap((_, i) => (field(step.pre, pvc(names, i), 'volume') === 'data' && field(s, pvc(names, i), 'volume') !== 'data' ? [cell(pvc(names, i), 'volume'), cell(set(s), 'replicas')] : [])),
  StableStorage: ({ names }, s, step) => {
    if (step === undefined) return [];
    return names.pods.flatMap((p, i) => {
      const f = `container ${p}`;
      const started = names.nodes.filter((node) => {
        const a = field(step.pre, node, f);
        const b = field(s, node, f);
        return (a === 'none' && b === 'live') || (a === 'stale' && b === 'both');
      });
      if (started.length === 0 || field(step.pre, `Identity ${p}`, 'wroteData') !== true || field(step.pre, pvc(names, i), 'volume') === 'data') return [];
      return [...started.map((node) => cell(node, f)), cell(`Identity ${p}`, 'wroteData'), cell(pvc(names, i), 'volume')];
    });
  },
  ScaleDownKeepsData: ({ names }, _s, step) => (step === undefined || step.family !== 'GCClaim' ? [] : [cell(pvc(names, step.args[0]!), 'volume')]),
  PartitionRespected: ({ names }, s, step) => {
    if (step === undefined) return [];
    const sts = set(s);
    const partition = num(field(step.pre, sts, 'partition'));
    const blamed = names.pods.flatMap((_, i) =>
      i < partition && get(step.pre, pod(names, i)) === null && get(s, pod(names, i)) !== null && field(s, pod(names, i), 'revision') !== field(step.pre, sts, 'currentRevision')
        ? [cell(pod(names, i), 'revision')]
        : [],
    );
    return blamed.length ? [...blamed, cell(sts, 'partition'), cell(sts, 'currentRevision')] : [];
  },
  ReverseOrderUpdate: ({ names }, s, step) => {
    if (step === undefined || (step.family !== 'CtlUpdate' && step.family !== 'CtlDeleteStuck')) return [];
    const i = step.args[0]!;
    const sts = set(step.pre);
    const replicas = num(field(step.pre, sts, 'replicas'));
    const behind: BlamedCell[] = [];
    for (let j = i + 1; j < replicas && j < names.pods.length; j++) {
      if (get(step.pre, pod(names, j)) === null) continue;
      if (field(step.pre, pod(names, j), 'revision') !== field(step.pre, sts, 'updateRevision')) behind.push(cell(pod(names, j), 'revision'));
      behind.push(...notReadyCells(step.pre, names, j));
    }
    return [cell(pod(names, i), get(s, pod(names, i)) === null ? 'phase' : 'terminating'), ...behind];
  },
  OrderedUpdate: ({ names }, s, step) => {
    if (step === undefined || step.family !== 'CtlUpdate') return [];
    const i = step.args[0]!;
    return [cell(pod(names, i), get(s, pod(names, i)) === null ? 'phase' : 'terminating'), ...notReadyBelowReplicas(step.pre, names)];
  },
  EventuallyConverged: ({ names, params }, s) => unconverged(s, names, params),
  RecoversAfterRevert: ({ names, params }, s) => unconverged(s, names, params),
  ScaleDownCompletes: ({ names }, s) => {
    const sts = set(s);
    const deleted = field(s, sts, 'deleted') === true;
    const replicas = deleted ? 0 : num(field(s, sts, 'replicas'));
    const left = names.pods.flatMap((_, i) => (i >= replicas && get(s, pod(names, i)) !== null ? [cell(pod(names, i), 'phase')] : []));
    return left.length ? [...left, cell(sts, deleted ? 'deleted' : 'replicas')] : [];
  },
  RolloutCompletes: (_ctx, s) => {
    const sts = set(s);
    return field(s, sts, 'currentRevision') !== field(s, sts, 'updateRevision') ? [cell(sts, 'currentRevision'), cell(sts, 'updateRevision')] : [];
  },
};

/** Whether this file knows how to blame the property's cells. */
export function blames(property: string): boolean {
  return BLAME[property] !== undefined;
}

/** The cells of the counterexample's last state that violate its property (model view names); empty when unknown. */
export function blamedCells(cx: Pick<Counterexample, 'model' | 'params' | 'property' | 'steps' | 'loopBack'>): BlamedCell[] {
  const blame = BLAME[cx.property.name];
  const last = cx.steps.length - 1;
  if (cx.model !== 'statefulset' || blame === undefined || last < 0) return [];
  const v0 = cx.steps[0]!.view;
  const keys = [...v0.keys()];
  const names: Names = {
    pods: keys.filter((k) => k.startsWith('Identity ')).map((k) => k.slice('Identity '.length)),
    claims: keys.filter((k) => k.startsWith('PVC ')).map((k) => k.slice('PVC '.length)),
    nodes: keys.filter((k) => k.startsWith('Node ')),
  };
  const ctx = { names, params: cx.params };
  const stepAt = (k: number): Step | undefined => {
    const m = k > 0 ? /^(\w+)(?:\(([^)]*)\))?$/.exec(cx.steps[k]!.action ?? '') : null;
    if (!m) return undefined;
    return { pre: cx.steps[k - 1]!.view, post: cx.steps[k]!.view, family: m[1]!, args: m[2] ? m[2].split(',').map(Number) : [] };
  };
  const at = (k: number) => blame(ctx, cx.steps[k]!.view, stepAt(k));
  if (cx.property.kind !== 'liveness' || cx.loopBack === undefined) return unique(at(last));
  // A lasso: the cells unconverged in every state of the loop are what keeps it from converging;
  // if no cell is unconverged throughout (the loop moves between different shortfalls), the last state's.
  const key = (c: BlamedCell) => `${c.object}\u0000${c.field}`;
  let common = new Map(at(last).map((c) => [key(c), c]));
  for (let k = cx.loopBack; k < last && common.size > 0; k++) {
    const here = new Set(at(k).map(key));
    common = new Map([...common].filter(([kk]) => here.has(kk)));
  }
  return common.size > 0 ? [...common.values()] : unique(at(last));
}

function unique(cells: readonly BlamedCell[]): BlamedCell[] {
  const seen = new Map<string, BlamedCell>();
  for (const c of cells) seen.set(`${c.object}\u0000${c.field}`, c);
  return [...seen.values()];
}
