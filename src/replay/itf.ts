/**
 * Reading traces saved in the Informal Trace Format (ITF; written by src/report/itf.ts): the
 * document's shape, its values decoded (`#bigint` to numbers, `#map` to `Map`, `#set` to `Set`),
 * the metadata stsmc writes, and a whole counterexample rebuilt through its model's own state
 * decoding. Everything wrong with a file is an `InputError`.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { Model } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import { printable, printableLines } from '../input/printable.js';

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

const KINDS: readonly string[] = ['invariant', 'transition', 'liveness'];

/**
 * The metadata of a trace, checked for shape. Free text (the scenario's name and description, the
 * property's description, the conditions of a stutter) is kept with its control characters escaped,
 * since it is printed; names that must mean something (the property, action labels) are checked
 * against the model by `checkTraceNames`.
 */
export function readItfHeader(doc: unknown): ItfHeader {
  const d = doc as ItfTrace;
  if (d === null || typeof d !== 'object' || !Array.isArray(d.states) || typeof d['#meta'] !== 'object' || d['#meta'] === null) {
    throw new InputError('not an ITF trace: expected an object with "#meta" and "states"');
  }
  const m = d['#meta'];
  const prop = m.property as Counterexample['property'] | undefined;
  if (typeof m.model !== 'string' || typeof m.params !== 'object' || m.params === null || !prop || typeof prop !== 'object' || typeof prop.name !== 'string') {
    throw new InputError('ITF trace was not written by stsmc: "#meta" lacks model, params or property');
  }
  if (typeof prop.kind !== 'string' || !KINDS.includes(prop.kind)) {
    throw new InputError(`"#meta".property.kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(prop.kind) ?? 'nothing'}`);
  }
  return {
    scenario: printable(String(m.scenario ?? 'trace')),
    description: printableLines(String(m.description ?? '')),
    model: m.model,
    params: m.params as Record<string, unknown>,
    property: { name: prop.name, kind: prop.kind, description: printableLines(String(prop.description ?? '')) },
    ...(m.stutter !== undefined ? { stutter: readStutter(m.stutter) } : {}),
  };
}

/** A trace's stutter: the fair actions disabled in its last state, each with its failing conditions. */
function readStutter(v: unknown): NonNullable<Counterexample['stutter']> {
  if (!Array.isArray(v)) throw new InputError('"#meta".stutter must be a list');
  return v.map((d: unknown, k) => {
    const where = `"#meta".stutter[${k}]`;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new InputError(`${where} must be an object with label and failing`);
    const { label, failing, actor, needs } = d as Record<string, unknown>;
    if (typeof label !== 'string') throw new InputError(`${where}.label must be an action label`);
    if (!Array.isArray(failing) || !failing.every((f) => typeof f === 'string')) throw new InputError(`${where}.failing must be a list of condition names`);
    if (actor !== undefined && typeof actor !== 'string') throw new InputError(`${where}.actor must be a name`);
    if (needs !== undefined && typeof needs !== 'string') throw new InputError(`${where}.needs must be text`);
    return {
      label,
      failing: failing.map((f: string) => printable(f)),
      ...(actor !== undefined ? { actor: printable(actor) } : {}),
      ...(needs !== undefined ? { needs: printable(needs) } : {}),
    };
  });
}

/** An action label as the controller API names actions: `Name` or `Name(0)`, `Name(0,1)`. */
const LABEL = /^[A-Za-z][A-Za-z0-9]*(\(\d+(,\d+)*\))?$/;

/**
 * The trace's property must be one of the model's, of the same kind, and its action labels (those
 * of its steps and of its stutter) the model's: a trace that names anything else was not written
 * by stsmc for this configuration, and printing it would show names the model does not have. A
 * trace recorded with a controller variant (`variant`) may also name the variant's own actions,
 * which the plain model does not know; they must still be well-formed labels.
 */
export function checkTraceNames<S>(header: ItfHeader, labels: readonly string[], model: Model<S>, variant?: string): void {
  const prop = model.properties.find((p) => p.name === header.property.name);
  if (!prop) {
    throw new InputError(`unknown property '${header.property.name}' in "#meta".property: model '${model.name}' with these parameters has ${model.properties.map((p) => p.name).join(', ')}`);
  }
  if (prop.kind !== header.property.kind) throw new InputError(`"#meta".property: ${prop.name} is ${article(prop.kind)} ${prop.kind} property, the trace says ${header.property.kind}`);
  const known = new Set(model.actions.map((a) => a.label));
  const check = (label: string, where: string) => {
    if (known.has(label)) return;
    if (variant !== undefined && LABEL.test(label)) return;
    throw new InputError(`${where}: unknown action '${label}' (not an action of model '${model.name}' with these parameters${variant !== undefined ? ', nor a well-formed label of a variant\'s action' : ''})`);
  };
  labels.forEach((label, k) => check(label, `state ${k + 1}`));
  for (const d of header.stutter ?? []) check(d.label, '"#meta".stutter');
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

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
  const controller = d['#meta'].controller;
  checkTraceNames(header, steps.slice(1).map((st) => st.action!), model, typeof controller === 'string' && controller !== 'upstream' ? controller : undefined);
  return { ...header, steps, ...(loop !== undefined ? { loopBack: loop } : {}) };
}
