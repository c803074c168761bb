/**
 * Replaying a counterexample saved by `stsmc check` (ITF JSON): rebuild its model from the trace's
 * metadata, find the initial state it starts from, take its recorded actions one by one, and check
 * that every state matches the saved one and that the property is violated as the trace claims.
 */
import fs from 'node:fs';
import type { Model } from '../explorer/model.js';
import { diffViews, type ObjectChange } from '../explorer/viewDiff.js';
import { InputError } from '../input/errors.js';
import { checkInputSize } from '../input/files.js';
import { errorMessage } from '../input/printable.js';
import { ActionIndex } from '../scenario/labels.js';
import { replay, type ReplayOutcome } from './engine.js';
import { checkTraceNames, fromItfValue, readItfHeader, type ItfHeader } from './itf.js';

export interface SavedTrace {
  readonly header: ItfHeader;
  /** Action label of each step (state 1 onwards). */
  readonly labels: readonly string[];
  /** ITF variables of each state, decoded (maps as `Map`, integers as numbers). */
  readonly vars: readonly Record<string, unknown>[];
  readonly loop?: number;
  /** The controller variant recorded in the trace's `#meta` (a name or module path), if any. */
  readonly controller?: string;
}

/**
 * The JSON document of a trace file, or one input error naming the file: too large, unreadable,
 * empty or truncated, not JSON (V8's message quotes the text around the problem, newlines
 * included: they are folded, so the error stays one line).
 */
export function readTraceJson(file: string): unknown {
  checkInputSize(file, 'trace');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? errorMessage(e)})`}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/\s+/g, ' ');
    // V8 reports a cut after a complete value as "Expected ',' ... at position N" with N the end of the text.
    const at = /at position (\d+)/.exec(message);
    const truncated = text.trim().length === 0 || /end of (json )?input|unterminated/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
    throw new InputError(`${file}: not valid JSON${truncated ? ' (the file is empty or truncated)' : ''}: ${message}`);
  }
}

export function readTraceFile(file: string): SavedTrace {
  const doc = readTraceJson(file);
  try {
    return parseTrace(doc);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}

export function parseTrace(doc: unknown): SavedTrace {
  const header = readItfHeader(doc);
  const d = doc as { states: unknown[]; loop?: unknown };
  if (d.states.length === 0) throw new InputError('ITF trace has no states');
  const labels: string[] = [];
  const vars = d.states.map((raw, k) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`ITF state ${k} is not an object`);
    const { '#meta': meta, ...rest } = raw as Record<string, unknown>;
    if (k > 0) {
      const action = (meta as { action?: unknown } | undefined)?.action;
      if (typeof action !== 'string') throw new InputError(`ITF state ${k} has no action label in its "#meta"`);
      labels.push(action);
    }
    return fromItfValue(rest, `state ${k}`) as Record<string, unknown>;
  });
  const loop = d.loop;
  if (loop !== undefined && (typeof loop !== 'number' || !Number.isInteger(loop) || loop < 0 || loop >= vars.length)) {
    throw new InputError(`ITF loop index ${String(loop)} is out of range`);
  }
  const controller = (d as { '#meta'?: { controller?: unknown } })['#meta']?.controller;
  return {
    header,
    labels,
    vars,
    ...(loop !== undefined ? { loop } : {}),
    ...(typeof controller === 'string' && controller !== 'upstream' ? { controller } : {}),
  };
}

export interface TraceCheck {
  readonly property: ItfHeader['property'];
  /** Every replayed state equals the saved one and the property is violated as recorded. */
  readonly reproduced: boolean;
  /** The first step whose replayed state differs from the saved one. */
  readonly divergence: { readonly step: number; readonly label: string; readonly changes: readonly ObjectChange[] } | null;
  /** One sentence saying what was (or was not) reproduced. */
  readonly detail: string;
}

export interface TraceReplay<S> {
  readonly outcome: ReplayOutcome<S>;
  readonly check: TraceCheck;
}

function sameState<S>(model: Model<S>, a: S, b: S): boolean {
  const wa = new Uint32Array(model.stateWords);
  const wb = new Uint32Array(model.stateWords);
  model.encode(a, wa, 0);
  model.encode(b, wb, 0);
  return wa.every((w, k) => w === wb[k]);
}

/**
 * Why repeating `states` forever (by the `taken` actions, or by stuttering when `taken` is null) is
 * not a fair behaviour, or null when it is: a weakly fair group that can change the state in every
 * one of them and is never taken, or a strongly fair group that can in some of them and is never
 * taken. A step that changes nothing does not count as enabled (TLA+ ENABLED <<A>>_vars).
 */
export function unfairness<S>(model: Model<S>, states: readonly S[], taken: readonly number[] | null): string | null {
  const groups = new Map<string, { fairness: 'weak' | 'strong'; members: number[] }>();
  for (const a of model.actions) {
    if (a.fairness === 'none') continue;
    const g = groups.get(a.fairGroup) ?? { fairness: a.fairness, members: [] };
    g.members.push(a.index);
    groups.set(a.fairGroup, g);
  }
  const takenSet = new Set(taken ?? []);
  const changes = (st: S, k: number) => {
    const t = model.apply(st, k);
    return t !== null && !sameState(model, t, st);
  };
  for (const [name, g] of groups) {
    if (g.members.some((k) => takenSet.has(k))) continue;
    const enabledIn = states.map((st) => g.members.some((k) => changes(st, k)));
    if (g.fairness === 'weak' ? enabledIn.every(Boolean) : enabledIn.some(Boolean)) {
      return `${name} (${g.fairness}ly fair) can act ${g.fairness === 'weak' ? 'throughout' : 'infinitely often'} and is never taken`;
    }
  }
  return null;
}

/** Which initial state of `model` the trace starts from. */
export function initialIndexOf<S>(model: Model<S>, first: S): number {
  const k = model.initialStates().findIndex((s) => sameState(model, s, first));
  if (k < 0) throw new InputError(`the trace's first state is not an initial state of this configuration (were its parameters changed with --set?)`);
  return k;
}

export function replayTrace<S>(model: Model<S>, trace: SavedTrace, index: ActionIndex): TraceReplay<S> {
  // The property and the stutter's labels are the model's (the steps' labels are resolved below,
  // with what the configuration lacks said in words).
  checkTraceNames(trace.header, [], model, trace.controller);
  const saved = trace.vars.map((v, k) => {
    try {
      return model.fromItf(v);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`state ${k}: ${e.message}`);
      throw e;
    }
  });
  const init = initialIndexOf(model, saved[0]!);
  const actions = trace.labels.map((l, k) => index.resolve(l, `step ${k + 1}`));
  const outcome = replay(model, init, actions);
  const property = trace.header.property;
  const fail = (detail: string, divergence: TraceCheck['divergence'] = null): TraceReplay<S> => ({
    outcome,
    check: { property, reproduced: false, divergence, detail },
  });

  for (const st of outcome.steps) {
    const want = saved[st.step]!;
    if (!sameState(model, st.state, want)) {
      const changes = diffViews(model.view(want), st.view);
      return fail(`step ${st.step} (${st.label}) reaches a different state than the trace`, { step: st.step, label: st.label, changes });
    }
  }
  if (outcome.blocked) {
    const b = outcome.blocked;
    return fail(`step ${b.step} (${b.label}) is not enabled: ${b.failing.join(', ')}`);
  }

  const n = outcome.steps.length;
  const prop = model.properties.find((p) => p.name === property.name);
  if (!prop) return fail(`the trace's property '${property.name}' is not a property of model '${model.name}'`);
  const ok = (detail: string): TraceReplay<S> => ({ outcome, check: { property, reproduced: true, divergence: null, detail } });

  if (prop.kind === 'invariant') {
    if (prop.holds(outcome.final)) return fail(`${prop.name} holds in the last state: the violation is not reproduced`);
    return ok(`${prop.name} (invariant) is violated in the state after step ${n}, as in the trace`);
  }
  if (prop.kind === 'transition') {
    const last = outcome.steps[n - 1];
    if (!last || !last.violations.includes(prop.name)) return fail(`${prop.name} is not violated by the last step: the violation is not reproduced`);
    return ok(`${prop.name} (transition) is violated by step ${n} (${last.label}), as in the trace`);
  }
  // Liveness: the finite steps end in a loop back to an earlier state, or in a state where the
  // behaviour may stutter forever; either way the property's predicate must fail where it repeats.
  const states = [outcome.initial, ...outcome.steps.map((st) => st.state)];
  const bad = (st: S) => {
    switch (prop.form) {
      case 'eventuallyAlways':
      case 'alwaysEventually':
      case 'eventually':
        return !prop.p(st);
      case 'leadsTo':
        return !(prop.q ?? prop.p)(st);
    }
  };
  if (trace.header.stutter) {
    for (const d of trace.header.stutter) {
      const k = model.actions.findIndex((a) => a.label === d.label);
      if (k < 0) return fail(`${d.label}, named by the trace's stutter, is not an action of this configuration`);
      if (d.failing.length === 1 && d.failing[0] === 'unchanged') {
        const t = model.apply(outcome.final, k);
        if (t === null || !sameState(model, t, outcome.final)) return fail(`${d.label} changes the last state, but the trace says it leaves it unchanged`);
        continue;
      }
      const now = outcome.availability.disabled[d.label];
      if (now === undefined) return fail(`${d.label} is enabled in the last state, but the trace says the behaviour stutters there`);
      if ([...now].sort().join(',') !== [...d.failing].sort().join(',')) {
        return fail(`${d.label} is disabled by ${now.join(', ')} in the last state, the trace says ${d.failing.join(', ')}`);
      }
    }
    const unfair = unfairness(model, [outcome.final], null);
    if (unfair) return fail(`stuttering in the last state is not fair: ${unfair}`);
    if (!bad(outcome.final)) return fail(`the behaviour would stutter in a state where ${prop.name}'s condition holds: no violation`);
    return ok(`${prop.name} (liveness): the behaviour can stutter forever in the last state, where the fair actions the trace names are disabled for the same reasons`);
  }
  if (trace.loop !== undefined) {
    if (!sameState(model, outcome.final, states[trace.loop]!)) return fail(`the last state is not state ${trace.loop}: the loop does not close`);
    const cycle = states.slice(trace.loop, -1);
    const unfair = unfairness(model, cycle, outcome.steps.slice(trace.loop).map((st) => st.action));
    if (unfair) return fail(`the loop is not fair: ${unfair}`);
    const violating = prop.form === 'eventuallyAlways' ? cycle.some(bad) : cycle.every(bad);
    if (!violating || (prop.form === 'eventually' && !states.every(bad))) return fail(`the loop does not violate ${prop.name}`);
    return ok(`${prop.name} (liveness): the last state is state ${trace.loop} again, closing a loop that violates it forever`);
  }
  return fail(`${prop.name} is a liveness property but the trace has neither a loop nor a stutter`);
}
