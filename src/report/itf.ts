/**
 * Writing counterexamples in the Informal Trace Format (ITF, used by Apalache and Quint): integers
 * as `{"#bigint": "n"}`, maps as `{"#map": [[k, v], ...]}`, sets as `{"#set": [...]}`, records as
 * objects, lists as arrays. Lassos set the top-level `loop` index. Reading them back (`stsmc
 * replay`, `stsmc trace`) is src/replay/itf.ts.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { ItfTrace } from '../replay/itf.js';

export function toItfValue(v: unknown): unknown {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`ITF has no non-integer numbers: ${v}`);
    return { '#bigint': String(v) };
  }
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [toItfValue(k), toItfValue(x)]) };
  if (v instanceof Set) return { '#set': [...v].map(toItfValue) };
  if (Array.isArray(v)) return v.map(toItfValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toItfValue(x)]));
  throw new Error(`cannot write ${String(v)} as ITF`);
}

export function counterexampleToItf(cx: Counterexample): ItfTrace {
  const vars = cx.steps.length ? Object.keys(cx.steps[0]!.vars) : [];
  const trace: ItfTrace = {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'stsmc',
      scenario: cx.scenario,
      description: cx.description,
      model: cx.model,
      ...(cx.controller !== undefined ? { controller: cx.controller } : {}),
      params: cx.params,
      property: cx.property,
      ...(cx.stutter ? { stutter: cx.stutter } : {}),
    },
    vars,
    states: cx.steps.map((step, index) => ({
      '#meta': { index, action: step.action },
      ...(toItfValue(step.vars) as Record<string, unknown>),
    })),
  };
  if (cx.loopBack !== undefined) trace.loop = cx.loopBack;
  return trace;
}
