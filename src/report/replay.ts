/** A replay as text for people and as one JSON document for machines. */
import type { FieldValue, Model, StateView } from '../explorer/model.js';
import { describeChange, showValue, type ObjectChange } from '../explorer/viewDiff.js';
import type { Availability, ReplayOutcome } from '../replay/engine.js';
import type { TraceCheck } from '../replay/trace.js';

/** Every object that exists in a state, one line each. */
export function stateLines(view: StateView, indent = '    '): string[] {
  const out: string[] = [];
  for (const [name, fields] of view) {
    if (fields === null) continue;
    out.push(`${indent}${name}: ${[...fields].map(([f, v]) => `${f}=${showValue(v)}`).join(', ')}`);
  }
  return out;
}

export function paramsLine(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? (v.length ? v.join(',') : 'none') : String(v)}`)
    .join(' ');
}

/**
 * Disabled instances grouped by family and failing conditions, so a line reads
 * `CtlCreate(1), CtlCreate(2): predecessorsReady`.
 */
export function disabledLines(model: Pick<Model<unknown>, 'actions'>, disabled: Availability['disabled'], indent = '  '): string[] {
  const groups = new Map<string, string[]>();
  for (const a of model.actions) {
    const why = disabled[a.label];
    if (why === undefined) continue;
    const key = `${a.family}\u0000${why.join(', ')}`;
    const list = groups.get(key) ?? [];
    list.push(a.label);
    groups.set(key, list);
  }
  return [...groups].map(([key, labels]) => `${indent}${labels.join(', ')}: ${key.split('\u0000')[1]}`);
}

export interface ReplayHeading {
  readonly source: string;
  readonly initCount: number;
}

export function renderReplayText<S>(model: Model<S>, outcome: ReplayOutcome<S>, heading: ReplayHeading, trace?: TraceCheck): string {
  const describe = (name: string) => model.properties.find((p) => p.name === name)?.description ?? '';
  const lines: string[] = [];
  const planned = outcome.steps.length + (outcome.blocked ? 1 : 0);
  lines.push(`Replay of ${heading.source}: model ${model.name} (${paramsLine(model.params)})`);
  lines.push(`  from initial state ${outcome.init} of ${heading.initCount}, ${planned} step${planned === 1 ? '' : 's'}`);
  lines.push('  State 0 (initial)');
  lines.push(...stateLines(outcome.initialView));
  for (const v of outcome.initialViolations) lines.push(`    violates ${v}: ${describe(v)}`);
  for (const st of outcome.steps) {
    lines.push(`  Step ${st.step}: ${st.label}${st.violations.length ? '  <-- violation' : ''}`);
    if (st.changed.length === 0) lines.push('    (no visible change)');
    for (const c of st.changed) lines.push(`    ${describeChange(c)}`);
    for (const v of st.violations) lines.push(`    violates ${v}: ${describe(v)}`);
  }
  const b = outcome.blocked;
  if (b) {
    lines.push(`  Step ${b.step}: ${b.label}  <-- not enabled: ${b.failing.join(', ')}`);
    for (const c of b.failing) {
      const meaning = model.conditions?.[c];
      if (meaning) lines.push(`    it needs ${c}: ${meaning}`);
    }
  }
  lines.push('');
  lines.push(b ? `State after step ${b.step - 1} (where ${b.label} cannot fire):` : `Final state (after step ${outcome.steps.length}):`);
  lines.push(...stateLines(outcome.finalView));
  const { enabled, disabled } = outcome.availability;
  lines.push(`Enabled (${enabled.length}): ${enabled.length ? enabled.join(', ') : 'none (a terminal state)'}`);
  lines.push(`Disabled (${Object.keys(disabled).length}), with their failing conditions:`);
  lines.push(...disabledLines(model, disabled));
  const violated = [...new Set([...outcome.initialViolations, ...outcome.steps.flatMap((s) => s.violations)])];
  lines.push('');
  lines.push(violated.length ? `Violated: ${violated.join(', ')}` : 'No checked safety property is violated along these steps.');
  if (trace) lines.push(trace.reproduced ? `Reproduced: ${trace.detail}.` : `NOT reproduced: ${trace.detail}.`);
  if (b) lines.push(`Stopped: step ${b.step} (${b.label}) is not enabled: ${b.failing.join(', ')}`);
  return lines.join('\n');
}

type JsonFields = Record<string, FieldValue>;

export function changeJson(c: ObjectChange): Record<string, unknown> {
  switch (c.kind) {
    case 'created':
      return { object: c.object, kind: 'created', fields: Object.fromEntries(c.fields) };
    case 'deleted':
      return { object: c.object, kind: 'deleted' };
    case 'changed':
      return { object: c.object, kind: 'changed', fields: Object.fromEntries(c.fields.map(([f, from, to]) => [f, { from, to }])) };
  }
}

export function viewJson(view: StateView): Record<string, JsonFields | null> {
  const out: Record<string, JsonFields | null> = {};
  for (const [name, fields] of view) out[name] = fields === null ? null : (Object.fromEntries(fields) as JsonFields);
  return out;
}

function stoppedJson<S>(model: Model<S>, b: NonNullable<ReplayOutcome<S>['blocked']>): Record<string, unknown> {
  const needs = Object.fromEntries(b.failing.flatMap((c) => (model.conditions?.[c] ? [[c, model.conditions[c]]] : [])));
  return { step: b.step, label: b.label, failing: b.failing, ...(Object.keys(needs).length ? { needs } : {}) };
}

/**
 * The `--json` document: `steps` (label, changed, violations), `final` (the state after the last
 * step taken), `enabled`, `disabled` (label to failing conditions); plus where it started and, when
 * a step could not fire, `stopped`.
 */
export function replayJson<S>(model: Model<S>, outcome: ReplayOutcome<S>, trace?: TraceCheck): Record<string, unknown> {
  return {
    model: model.name,
    params: model.params,
    init: outcome.init,
    initial: viewJson(outcome.initialView),
    initialViolations: outcome.initialViolations,
    steps: outcome.steps.map((s) => ({ label: s.label, changed: s.changed.map(changeJson), violations: s.violations })),
    final: viewJson(outcome.finalView),
    enabled: outcome.availability.enabled,
    disabled: outcome.availability.disabled,
    stopped: outcome.blocked ? stoppedJson(model, outcome.blocked) : null,
    ...(trace
      ? {
          trace: {
            property: trace.property.name,
            kind: trace.property.kind,
            reproduced: trace.reproduced,
            detail: trace.detail,
            divergence: trace.divergence ? { step: trace.divergence.step, label: trace.divergence.label, changed: trace.divergence.changes.map(changeJson) } : null,
          },
        }
      : {}),
  };
}
