/**
 * Scripted scenarios: one behaviour, given step by step, with the outcome it must have. They are
 * how the conformance suite (`specs/conformance/`) turns the upstream controller's unit tests into
 * checks of the model. A scenario file is scripted when it has a `steps:` key; it is parsed as plain
 * YAML (no custom tags), validated here, and resolved against its model once (labels, objects,
 * properties, the initial state), so that everything wrong with it is reported before anything runs.
 */
import { parseYamlMapping } from '../input/yaml.js';
import { z } from 'zod';
import type { Model, ModelFactory } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import { readInputFile } from '../input/files.js';
import { resolveParams, type RawParams, type ResolvedParams } from '../input/params.js';
import { factory as modelFactory } from '../registry.js';
import { loadVariant, resolveVariantPath } from '../spec/variantLoader.js';
import { ActionIndex, initialState, splitSteps } from './labels.js';

/** A controller variant, loaded, for scripted scenarios. */
export interface LoadedVariant {
  readonly name: string;
  readonly plugin: unknown;
}

/** Loads `--controller REF` (a built-in name, `upstream`, or a module path); undefined for upstream. */
export async function scriptedVariant(ref: string): Promise<LoadedVariant | undefined> {
  const file = resolveVariantPath(ref);
  if (file === null) return undefined;
  return { name: file.replace(/^.*[\\/]/, '').replace(/\.(ts|m?js)$/, ''), plugin: await loadVariant(file) };
}

const fieldValue = z.union([z.string(), z.number(), z.boolean()]);
const fields = z.record(z.string(), fieldValue);

/** What must be true at a point of the behaviour. Every key is optional. */
const expectationSchema = z.strictObject({
  /** Fields of the StatefulSet object (`replicas`, `partition`, `updateRevision`, `currentRevision`). */
  set: fields.optional(),
  /** Pods by name: `absent`, or fields that must have these values (`revision`, `phase`, `ready`, ...). */
  pods: z.record(z.string(), z.union([z.literal('absent'), fields])).optional(),
  /** PVCs by name: `absent`, a status (`bound`, `owned`, `deleting`), or fields (`status`, `volume`). */
  pvcs: z.record(z.string(), z.union([z.string(), fields])).optional(),
  /** Any object of the model's view by its full name (`Node node-1`, `Identity web-0`...). */
  objects: z.record(z.string(), z.union([z.literal('absent'), fields])).optional(),
  /** Action instances (`CtlCreate(1)`) that must be enabled; a family name (`CtlCreate`): some instance. */
  enabled: z.array(z.string()).optional(),
  /**
   * Action instances or families that must not be enabled; or a map from instance to exactly the
   * guard conditions that must be failing (`CtlScaleDown(1): [noHigherPod]`).
   */
  disabled: z.union([z.array(z.string()), z.record(z.string(), z.array(z.string()))]).optional(),
  /** Actors with nothing enabled (e.g. `controller`: the controller has nothing to do). */
  idle: z.array(z.string()).optional(),
});

const scriptedSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-"'),
  /** The upstream test this scenario reproduces. */
  upstream: z.strictObject({
    repo: z.literal('kubernetes/kubernetes').default('kubernetes/kubernetes'),
    // The StatefulSet controller's tests, and those of the controllers it relies on (attach/detach, pod GC...).
    file: z.string().regex(/^pkg\/[a-z0-9_/]+_test\.go$/, 'a test file under pkg/ (e.g. pkg/controller/statefulset/stateful_set_control_test.go)'),
    test: z.string().min(1),
  }),
  description: z.string().default(''),
  /** What the upstream test relies on that the model abstracts away, and how the scenario stands in for it. */
  abstracted: z.string().optional(),
  model: z.string().default('statefulset'),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Which initial state (for `start: running`, one per placement of the pods). */
  init: z.number().int().nonnegative().default(0),
  /** Action labels (several per item, comma separated) and checkpoints `{ expect: ... }`. */
  steps: z.array(z.union([z.string(), z.strictObject({ expect: expectationSchema })])).min(1),
  /** The outcome after the last step. */
  expect: expectationSchema,
  /** Safety properties violated somewhere along the steps (default: none may be). */
  violations: z.array(z.string()).default([]),
});

export type ScriptedFile = z.infer<typeof scriptedSchema>;
type ExpectationFile = z.infer<typeof expectationSchema>;

/** An expectation resolved against the model: object names complete, labels checked. */
export interface Expectation {
  /** Object name to `null` (absent) or the fields it must have. */
  readonly objects: ReadonlyMap<string, Readonly<Record<string, string | number | boolean>> | null>;
  /** Labels or family names that must be enabled. */
  readonly enabled: readonly string[];
  /** Labels or family names that must not be enabled. */
  readonly disabled: readonly string[];
  /** Label to exactly the failing conditions. */
  readonly because: ReadonlyMap<string, readonly string[]>;
  readonly idle: readonly string[];
}

export type ScriptItem = { readonly kind: 'step'; readonly label: string; readonly action: number } | { readonly kind: 'expect'; readonly expect: Expectation };

export interface ScriptedScenario {
  readonly name: string;
  readonly description: string;
  readonly upstream: ScriptedFile['upstream'];
  readonly abstracted?: string;
  readonly source: string;
  /** The controller variant the steps run against (absent: upstream's). */
  readonly controller?: string;
  readonly factory: ModelFactory;
  readonly params: ResolvedParams;
  readonly model: Model<unknown>;
  readonly init: number;
  readonly items: readonly ScriptItem[];
  readonly expect: Expectation;
  readonly violations: readonly string[];
}

/** Whether a scenario file is scripted (has a top-level `steps:` key). Unreadable or malformed files are not. */
export function isScriptedScenarioFile(file: string): boolean {
  try {
    return 'steps' in parseYamlMapping(readInputFile(file, 'scenario'), file, 'a scenario');
  } catch {
    return false;
  }
}

/**
 * `variant` is a loaded controller variant (see `scriptedVariant`): the same steps and expectations
 * are then checked against a changed controller, which is how a variant shows which upstream tests
 * it no longer passes.
 */
export function loadScriptedScenario(file: string, set: Readonly<Record<string, string>> = {}, variant?: LoadedVariant): ScriptedScenario {
  const text = readInputFile(file, 'scenario');
  return parseScriptedScenario(text, file, set, variant);
}

export function parseScriptedScenario(text: string, file: string, set: Readonly<Record<string, string>> = {}, variant?: LoadedVariant): ScriptedScenario {
  const parsed = scriptedSchema.safeParse(parseYamlMapping(text, file, 'a scenario'));
  if (!parsed.success) {
    const issue = deepest(parsed.error.issues[0]!);
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    const hint = issue.path.map((p) => (typeof p === 'string' ? QUOTE_HINT(p) : '')).find(Boolean) ?? '';
    throw new InputError(`${file}: ${where}: ${issue.message}${hint}`);
  }
  try {
    return resolveScripted(parsed.data, file, set, variant);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly errors?: readonly (readonly Issue[])[];
}

/**
 * For a value matching none of a union's alternatives, the issue of the alternative that got
 * furthest (longest path), so the message names the offending key rather than "Invalid input".
 */
function deepest(issue: Issue, prefix: readonly PropertyKey[] = []): Issue {
  const here = { ...issue, path: [...prefix, ...issue.path] };
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return here;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const d = deepest(sub, here.path);
      if (!best || d.path.length > best.path.length) best = d;
    }
  }
  return best && best.path.length > here.path.length ? best : here;
}

/**
 * In a YAML flow sequence (`[Schedule(0,1)]`) the comma inside a label splits it; glue such pieces
 * back together, so labels can be written naturally.
 */
function rejoinLabels(items: readonly string[]): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  const open = (s: string) => (s.match(/\(/g)?.length ?? 0) - (s.match(/\)/g)?.length ?? 0);
  for (const item of items) {
    cur = cur === undefined ? item : `${cur},${item}`;
    if (open(cur) <= 0) {
      out.push(cur.replace(/\s+/g, ''));
      cur = undefined;
    }
  }
  if (cur !== undefined) out.push(cur.replace(/\s+/g, ''));
  return out;
}

function resolveScripted(doc: ScriptedFile, file: string, set: Readonly<Record<string, string>>, variant?: LoadedVariant): ScriptedScenario {
  const f = modelFactory(doc.model);
  const raw: RawParams = { ...doc.params, ...set };
  const params = resolveParams(f.name, f.parameters, raw);
  if (variant && f.name !== 'statefulset') throw new InputError(`model '${f.name}' takes no controller variant`);
  const model = f.create(params, variant?.plugin) as Model<unknown>;
  const init = doc.init;
  const first = initialState(model, init);
  const objectNames = [...model.view(first).keys()];
  const index = new ActionIndex(model, f);

  const items: ScriptItem[] = [];
  let n = 0;
  doc.steps.forEach((item, k) => {
    if (typeof item === 'string') {
      for (const label of splitSteps(item)) {
        n++;
        items.push({ kind: 'step', label, action: index.resolve(label, `steps.${k} (step ${n})`) });
      }
    } else items.push({ kind: 'expect', expect: resolveExpectation(item.expect, `steps.${k}.expect`, objectNames, index) });
  });
  if (n === 0) throw new InputError('steps: no action labels');
  for (const v of doc.violations) {
    const p = model.properties.find((x) => x.name === v);
    if (!p) throw new InputError(`violations: unknown property '${v}' (properties: ${model.properties.map((x) => x.name).join(', ')})`);
    if (p.kind === 'liveness') throw new InputError(`violations: '${v}' is a liveness property; a finite replay can only violate safety properties`);
  }
  return {
    name: doc.name,
    description: doc.description,
    upstream: doc.upstream,
    ...(doc.abstracted !== undefined ? { abstracted: doc.abstracted } : {}),
    source: file,
    ...(variant ? { controller: variant.name } : {}),
    factory: f,
    params,
    model,
    init,
    items,
    expect: resolveExpectation(doc.expect, 'expect', objectNames, index),
    violations: doc.violations,
  };
}

const QUOTE_HINT = (label: string) =>
  /[()]/.test(label) && (label.match(/\(/g)?.length ?? 0) !== (label.match(/\)/g)?.length ?? 0)
    ? ' (a label with a comma must be quoted inside a YAML flow mapping: { "Schedule(0,1)": [...] })'
    : '';

function resolveExpectation(e: ExpectationFile, where: string, objectNames: readonly string[], index: ActionIndex): Expectation {
  const objects = new Map<string, Record<string, string | number | boolean> | null>();
  const put = (key: string, name: string, value: Record<string, string | number | boolean> | null, kind: string) => {
    if (!objectNames.includes(name)) {
      const same = objectNames.filter((o) => o.startsWith(`${kind} `)).map((o) => o.slice(kind.length + 1));
      throw new InputError(`${where}: unknown object '${key}' (${same.length ? `known: ${same.join(', ')}` : `objects: ${objectNames.join(', ')}`})`);
    }
    objects.set(name, value);
  };
  if (e.set) {
    const sts = objectNames.find((o) => o.startsWith('StatefulSet '));
    if (!sts) throw new InputError(`${where}.set: this model shows no StatefulSet object`);
    objects.set(sts, e.set);
  }
  for (const [pod, v] of Object.entries(e.pods ?? {})) put(pod, `Pod ${pod}`, v === 'absent' ? null : v, 'Pod');
  for (const [pvc, v] of Object.entries(e.pvcs ?? {})) put(pvc, `PVC ${pvc}`, v === 'absent' ? null : typeof v === 'string' ? { status: v } : v, 'PVC');
  for (const [name, v] of Object.entries(e.objects ?? {})) {
    if (!objectNames.includes(name)) throw new InputError(`${where}.objects: unknown object '${name}' (objects: ${objectNames.join(', ')})`);
    objects.set(name, v === 'absent' ? null : v);
  }
  const checkRef = (ref: string, key: string) => {
    if (!index.has(ref) && !index.isFamily(ref)) throw new InputError(`${where}.${key}: ${index.whyUnknown(ref)}${QUOTE_HINT(ref)}`);
  };
  const enabled = rejoinLabels(e.enabled ?? []);
  for (const l of enabled) checkRef(l, 'enabled');
  let disabled: string[] = [];
  const because = new Map<string, readonly string[]>();
  if (Array.isArray(e.disabled)) disabled = rejoinLabels(e.disabled);
  else if (e.disabled) {
    for (const [label, conds] of Object.entries(e.disabled)) {
      if (!index.has(label)) {
        const why = index.isFamily(label) ? `'${label}' is a family; give instances (e.g. ${label}(0)) with their failing conditions, or list it without conditions` : index.whyUnknown(label);
        throw new InputError(`${where}.disabled: ${why}${QUOTE_HINT(label)}`);
      }
      because.set(label.replace(/\s+/g, ''), conds);
    }
  }
  for (const l of disabled) checkRef(l, 'disabled');
  const idle = e.idle ?? [];
  for (const a of idle) if (!index.isActor(a)) throw new InputError(`${where}.idle: unknown actor '${a}' (actors: ${index.actorNames().join(', ')})`);
  return { objects, enabled, disabled, because, idle };
}
