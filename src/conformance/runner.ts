/**
 * Running a scripted scenario: replay its steps through the model, check each checkpoint and the
 * final expectation, and compare the properties violated along the way with the ones expected.
 * The result also comes in the shape `stsmc check` reports (`ScenarioResult`), with one row,
 * `Conformance`, so scripted and explored scenarios share the verdict table, JSON and exit code.
 */
import type { PropertyResult, ScenarioResult } from '../check/runScenario.js';
import type { Model, PropertyKind, StateView } from '../explorer/model.js';
import { showValue } from '../explorer/viewDiff.js';
import { availability, isBlocked, Replayer } from '../replay/engine.js';
import { initialState } from '../scenario/labels.js';
import type { Expectation, ScriptedScenario } from '../scenario/scripted.js';

export interface ScriptedOutcome {
  readonly passed: boolean;
  /** What differs from the expectations, one sentence each, in the order met. */
  readonly failures: readonly string[];
  /** Steps taken (the replay stops at a step that is not enabled). */
  readonly stepsTaken: number;
  readonly stepsPlanned: number;
  /** Safety properties violated along the steps. */
  readonly violations: readonly string[];
  readonly distinctStates: number;
  /** Steps per action family. */
  readonly coverage: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export function runScripted(sc: ScriptedScenario): ScriptedOutcome {
  const t0 = performance.now();
  const model = sc.model;
  const r = new Replayer(model, initialState(model, sc.init));
  const failures: string[] = [];
  const violated = new Map<string, string>(); // property -> where first violated
  for (const v of r.initialViolations) violated.set(v, 'in the initial state');
  const seen = new Set<string>([key(model, r.state)]);
  const coverage: Record<string, number> = {};
  const planned = sc.items.filter((i) => i.kind === 'step').length;
  let blocked = false;

  for (const item of sc.items) {
    if (item.kind === 'expect') {
      failures.push(...check(model, r.state, r.view, item.expect, where(r)));
      continue;
    }
    const res = r.step(item.action);
    if (isBlocked(res)) {
      failures.push(`step ${res.step} (${res.label}) is not enabled: ${res.failing.join(', ')}`);
      blocked = true;
      break;
    }
    seen.add(key(model, res.state));
    const family = model.actions[res.action]!.family;
    coverage[family] = (coverage[family] ?? 0) + 1;
    for (const v of res.violations) if (!violated.has(v)) violated.set(v, `at step ${res.step} (${res.label})`);
  }
  if (!blocked) failures.push(...check(model, r.state, r.view, sc.expect, `at the end (${where(r)})`));
  const describe = (name: string) => model.properties.find((p) => p.name === name)?.description ?? '';
  for (const [v, at] of violated) if (!sc.violations.includes(v)) failures.push(`${v} is violated ${at}: ${describe(v)}`);
  if (!blocked) for (const v of sc.violations) if (!violated.has(v)) failures.push(`${v} was expected to be violated along the steps, but it never is`);

  return {
    passed: failures.length === 0,
    failures,
    stepsTaken: r.steps.length,
    stepsPlanned: planned,
    violations: [...violated.keys()],
    distinctStates: seen.size,
    coverage,
    seconds: (performance.now() - t0) / 1000,
  };
}

function where(r: Replayer<unknown>): string {
  const last = r.steps[r.steps.length - 1];
  return last ? `after step ${last.step} (${last.label})` : 'in the initial state';
}

function key(model: Model<unknown>, s: unknown): string {
  const w = new Uint32Array(model.stateWords);
  model.encode(s, w, 0);
  return w.join(',');
}

/** Every way `view`/the enabled actions of a state differ from `e`, as sentences. */
export function check(model: Model<unknown>, s: unknown, view: StateView, e: Expectation, at: string): string[] {
  const out: string[] = [];
  for (const [name, want] of e.objects) {
    const got = view.get(name) ?? null;
    if (want === null) {
      if (got !== null) out.push(`${at}: ${name} should be absent, but exists (${[...got].map(([f, v]) => `${f}=${showValue(v)}`).join(', ')})`);
      continue;
    }
    if (got === null) {
      out.push(`${at}: ${name} should exist, but is absent`);
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      if (!got.has(field)) {
        out.push(`${at}: ${name} has no field '${field}' (fields: ${[...got.keys()].join(', ')})`);
        continue;
      }
      const actual = got.get(field);
      if (actual !== value) out.push(`${at}: ${name} ${field} should be ${showValue(value)}, is ${showValue(actual)}`);
    }
  }
  if (e.enabled.length || e.disabled.length || e.because.size || e.idle.length) {
    const { enabled, disabled } = availability(model, s);
    const on = new Set(enabled);
    const familyOn = (f: string) => model.actions.some((a) => a.family === f && on.has(a.label));
    for (const ref of e.enabled) {
      const isOn = on.has(ref) || (!model.actions.some((a) => a.label === ref) && familyOn(ref));
      if (!isOn) {
        const why = disabled[ref];
        out.push(`${at}: ${ref} should be enabled, but ${why ? `is disabled: ${why.join(', ')}` : 'no instance of it is'}`);
      }
    }
    for (const ref of e.disabled) {
      if (on.has(ref)) out.push(`${at}: ${ref} should not be enabled, but is`);
      else if (!model.actions.some((a) => a.label === ref) && familyOn(ref)) {
        const which = model.actions.filter((a) => a.family === ref && on.has(a.label)).map((a) => a.label);
        out.push(`${at}: no ${ref} should be enabled, but ${which.join(', ')} ${which.length === 1 ? 'is' : 'are'}`);
      }
    }
    for (const [label, conds] of e.because) {
      const why = disabled[label];
      if (why === undefined) out.push(`${at}: ${label} should be disabled by ${conds.join(', ')}, but is enabled`);
      else if ([...why].sort().join(',') !== [...conds].sort().join(',')) out.push(`${at}: ${label} should be disabled by ${conds.join(', ')}, but its failing conditions are ${why.join(', ')}`);
    }
    for (const actor of e.idle) {
      const busy = model.actions.filter((a) => a.actor === actor && on.has(a.label)).map((a) => a.label);
      if (busy.length) out.push(`${at}: the ${actor} should have nothing to do, but ${busy.join(', ')} ${busy.length === 1 ? 'is' : 'are'} enabled`);
    }
  }
  return out;
}

/** The row `stsmc check` prints for a scripted scenario. */
export const CONFORMANCE_PROPERTY = 'Conformance';

export interface ScriptedScenarioResult extends ScenarioResult {
  readonly scripted: { readonly source: string; readonly upstream: ScriptedScenario['upstream']; readonly outcome: ScriptedOutcome };
}

export function isScriptedResult(r: ScenarioResult): r is ScriptedScenarioResult {
  return (r as Partial<ScriptedScenarioResult>).scripted !== undefined;
}

/** Runs a scripted scenario and reports it as `stsmc check` reports explored ones. */
export function checkScripted(sc: ScriptedScenario): ScriptedScenarioResult {
  const outcome = runScripted(sc);
  const property: PropertyResult = {
    name: CONFORMANCE_PROPERTY,
    // Not one of the model's property kinds: the scripted outcome as a whole.
    kind: 'scripted' as unknown as PropertyKind,
    description: `the scripted behaviour has the outcome of upstream ${sc.upstream.test}`,
    verdict: outcome.passed ? 'holds' : 'violated',
    expected: 'holds',
    traceLength: outcome.stepsTaken,
    matches: outcome.passed,
    files: [],
    ...(outcome.passed ? {} : { note: outcome.failures.join('; ') }),
  };
  return {
    scenario: sc.name,
    description: sc.description,
    model: sc.factory.name,
    controller: sc.controller ?? 'upstream',
    params: sc.params,
    symmetry: { used: false },
    complete: true,
    stopReason: null,
    distinctStates: outcome.distinctStates,
    generatedStates: outcome.stepsTaken + 1,
    depth: outcome.stepsTaken + 1,
    seconds: outcome.seconds,
    workers: 1,
    coverage: outcome.coverage,
    properties: [property],
    scripted: { source: sc.source, upstream: sc.upstream, outcome },
  };
}

/** The line (and, on failure, the reasons) `stsmc check` prints for a scripted scenario. */
export function scriptedSummary(r: ScriptedScenarioResult): string {
  const o = r.scripted.outcome;
  const head =
    `${r.scenario}: scripted, ${o.stepsTaken}/${o.stepsPlanned} steps replayed, ` +
    `upstream ${r.scripted.upstream.test} (${r.scripted.upstream.file.replace(/^.*\//, '')})` +
    `${r.controller && r.controller !== 'upstream' ? `, controller ${r.controller}` : ''}: ${o.passed ? 'as expected' : 'DIFFERS'}`;
  return [head, ...o.failures.map((f) => `  ${f}`)].join('\n');
}
