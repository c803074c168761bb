/**
 * Reading traces saved in the Informal Trace Format (ITF; written by src/report/itf.ts): the
 * document's shape, its values decoded (`#bigint` to numbers, `#map` to `Map`, `#set` to `Set`),
 * the metadata stsmc writes, and a whole counterexample rebuilt through its model's own state
 * decoding. Everything wrong with a file is an `InputError`.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { Model } from '../explorer/model.js';
import { InputError } from '../input/errors.js';

/** An ITF document as stsmc writes it (states carry their action label in their `#meta`). */
export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
  loop?: number;
}

export function fromItfValue(v: unknown, where = 'value'): unknown {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => fromItfValue(x, where));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('#bigint' in o) {
      const n = Number(o['#bigint']);
      if (typeof o['#bigint'] !== 'string' || !Number.isSafeInteger(n)) throw new InputError(`ITF: bad #bigint in ${where}`);
      return n;
    }
    if ('#map' in o) {
      if (!Array.isArray(o['#map'])) throw new InputError(`ITF: bad #map in ${where}`);
      return new Map(
        (o['#map'] as unknown[]).map((pair) => {
          if (!Array.isArray(pair) || pair.length !== 2) throw new InputError(`ITF: bad #map entry in ${where}`);
          return [fromItfValue(pair[0], where), fromItfValue(pair[1], where)];
        }),
      );
    }
    if ('#set' in o) {
      if (!Array.isArray(o['#set'])) throw new InputError(`ITF: bad #set in ${where}`);
      return new Set((o['#set'] as unknown[]).map((x) => fromItfValue(x, where)));
    }
    if ('#tup' in o && Array.isArray(o['#tup'])) return (o['#tup'] as unknown[]).map((x) => fromItfValue(x, where));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromItfValue(x, `${where}.${k}`)]));
  }
  throw new InputError(`ITF: unexpected ${JSON.stringify(v)} in ${where}`);
}

/** Metadata of a saved trace, validated enough to rebuild its model. */
export interface ItfHeader {
  readonly scenario: string;
  readonly description: string;
  readonly model: string;
  readonly params: Record<string, unknown>;
  readonly property: Counterexample['property'];
  readonly stutter?: Counterexample['stutter'];
}

export function readItfHeader(doc: unknown): ItfHeader {
  const d = doc as ItfTrace;
  if (d === null || typeof d !== 'object' || !Array.isArray(d.states) || typeof d['#meta'] !== 'object' || d['#meta'] === null) {
    throw new InputError('not an ITF trace: expected an object with "#meta" and "states"');
  }
  const m = d['#meta'];
  const prop = m.property as Counterexample['property'] | undefined;
  if (typeof m.model !== 'string' || typeof m.params !== 'object' || m.params === null || !prop || typeof prop.name !== 'string') {
    throw new InputError('ITF trace was not written by stsmc: "#meta" lacks model, params or property');
  }
  return {
    scenario: String(m.scenario ?? 'trace'),
    description: String(m.description ?? ''),
    model: m.model,
    params: m.params as Record<string, unknown>,
    property: { name: prop.name, kind: prop.kind, description: String(prop.description ?? '') },
    ...(Array.isArray(m.stutter) ? { stutter: m.stutter as Counterexample['stutter'] } : {}),
  };
}

/** Rebuilds a counterexample from a saved ITF trace, through the model's own state decoding. */
export function counterexampleFromItf<S>(doc: unknown, model: Model<S>): Counterexample {
  const header = readItfHeader(doc);
  const d = doc as ItfTrace;
  if (d.states.length === 0) throw new InputError('ITF trace has no states');
  const steps = d.states.map((raw, k) => {
    if (raw === null || typeof raw !== 'object') throw new InputError(`ITF state ${k} is not an object`);
    const { '#meta': meta, ...rest } = raw as Record<string, unknown>;
    const vars = fromItfValue(rest, `state ${k}`) as Record<string, unknown>;
    const state = model.fromItf(vars);
    const action = (meta as { action?: unknown } | undefined)?.action;
    if (k > 0 && typeof action !== 'string') throw new InputError(`ITF state ${k} has no action label in its "#meta"`);
    return { action: k === 0 ? null : (action as string), view: model.view(state), vars: model.itf(state) };
  });
  const loop = d.loop;
  if (loop !== undefined && (!Number.isInteger(loop) || loop < 0 || loop >= steps.length)) throw new InputError(`ITF loop index ${loop} is out of range`);
  return { ...header, steps, ...(loop !== undefined ? { loopBack: loop } : {}) };
}
