/**
 * Scenario files: a named configuration of a model, the properties to check and the verdicts
 * expected. Loaded from YAML (parsed safely: no custom tags), validated once, and resolved against
 * the model into a `Plan` that everything downstream trusts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseYamlMapping } from '../input/yaml.js';
import { z } from 'zod';
import type { ModelFactory, PropertyKind } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import { readInputFile } from '../input/files.js';
import { resolveParams, type RawParams, type ResolvedParams } from '../input/params.js';
import { factory } from '../registry.js';
import { isBuiltinVariant, resolveDataVariantPath, resolveVariantPath } from '../spec/variantLoader.js';
import { isScriptedScenarioFile } from './scripted.js';

export type Verdict = 'holds' | 'violated' | 'unknown';

const verdictSchema = z.enum(['holds', 'violated']);
const expectationSchema = z.union([
  verdictSchema,
  z.strictObject({ verdict: verdictSchema, traceLength: z.number().int().nonnegative().optional() }),
]);

const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (it names the output folder)'),
  description: z.string().default(''),
  /** The section of the seed notes this scenario checks. */
  seed: z.string().optional(),
  model: z.string().default('statefulset'),
  /** A controller variant: a built-in name, `upstream`, or a module path relative to the scenario file. */
  controller: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  /** `nodes`: explore one state per class of node renamings where that is sound (the default); `none`: every state. */
  symmetry: z.enum(['nodes', 'none']).optional(),
  /** Properties to check: a list, `all` (every property of the model) or `none` (explore only). */
  check: z.union([z.array(z.string()), z.literal('all'), z.literal('none')]).optional(),
  expect: z.record(z.string(), expectationSchema).default({}),
});

export type ScenarioFile = z.infer<typeof scenarioSchema>;

export interface Expectation {
  readonly verdict: 'holds' | 'violated';
  readonly traceLength?: number;
}

/** A scenario resolved against its model: ready to run. */
export interface Plan {
  readonly name: string;
  readonly description: string;
  readonly seed?: string;
  readonly source?: string;
  readonly factory: ModelFactory;
  /** Parameters as given (file, then `--set`), for worker threads to rebuild the model. */
  readonly rawParams: RawParams;
  readonly params: ResolvedParams;
  /** Absolute path of the controller variant, or undefined for the upstream controller. */
  readonly controller?: string;
  /**
   * Symmetry reduction asked for: `nodes` (the default, for a model that has it) or `none`. It is
   * used where sound: safety properties only, and a variant that declares `nodesAlike`.
   */
  readonly symmetry: 'nodes' | 'none';
  /** The module of a controller variant that the scenario file (not the command line) names, when it is not a built-in one. */
  readonly scenarioModule?: string;
  /** Checked properties, in the model's order. */
  readonly check: readonly { readonly name: string; readonly kind: PropertyKind; readonly description: string }[];
  /** Expected verdict per checked property (a checked property without one must hold). */
  readonly expect: ReadonlyMap<string, Expectation>;
}

export function loadScenarioFile(file: string): ScenarioFile {
  const text = readInputFile(file, 'scenario');
  return parseScenario(text, file);
}

export function parseScenario(text: string, file: string): ScenarioFile {
  const doc = parseYamlMapping(text, file, 'a scenario');
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new InputError(`${file}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export interface Overrides {
  /** `--set` values, applied over the file's parameters. */
  readonly set?: Readonly<Record<string, string>>;
  /** `--check` list, replacing the file's. */
  readonly check?: readonly string[] | 'all' | 'none';
  /** `--controller`, replacing the file's. */
  readonly controller?: string;
  /** `--symmetry`, replacing the file's. */
  readonly symmetry?: 'nodes' | 'none';
}

export function resolvePlan(file: ScenarioFile, overrides: Overrides = {}, source?: string): Plan {
  const where = source ?? file.name;
  const f = factory(file.model);
  const rawParams = { ...file.params, ...(overrides.set ?? {}) };
  let params: ResolvedParams;
  let present: ReadonlySet<string>;
  try {
    params = resolveParams(f.name, f.parameters, rawParams);
    // Cross-parameter validation (e.g. initReplicas <= R), and the properties this configuration has.
    present = new Set(f.create(params).properties.map((p) => p.name));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`);
    throw e;
  }
  const known = f.propertyNames;
  const byName = new Map(known.map((p) => [p.name, p]));
  const unknown = (name: string, what: string) => {
    const p = byName.get(name);
    if (p !== undefined) return new InputError(`${where}: ${what}: property '${name}' does not apply to this configuration (${p.description})`);
    return new InputError(`${where}: ${what}: unknown property '${name}' for model '${f.name}' (properties: ${known.map((q) => q.name).join(', ')})`);
  };

  const requested = overrides.check ?? file.check ?? 'all';
  let check: Plan['check'];
  if (requested === 'all') check = known.filter((p) => present.has(p.name));
  else if (requested === 'none') check = [];
  else {
    for (const name of requested) if (!present.has(name)) throw unknown(name, 'check');
    check = known.filter((p) => requested.includes(p.name));
  }
  const expect = new Map<string, Expectation>();
  for (const [name, e] of Object.entries(file.expect)) {
    if (!present.has(name)) throw unknown(name, 'expect');
    expect.set(name, typeof e === 'string' ? { verdict: e } : e);
  }
  const controllerRef = overrides.controller ?? file.controller;
  // A controller named on the command line is the user's choice; one named by the scenario file is
  // data asking to run code: only a built-in variant or a module in the file's own folder tree.
  const namedByFile = overrides.controller === undefined && file.controller !== undefined && source !== undefined;
  const controller =
    controllerRef === undefined
      ? null
      : namedByFile
        ? resolveDataVariantPath(controllerRef, source)
        : resolveVariantPath(controllerRef, overrides.controller !== undefined || source === undefined ? process.cwd() : path.dirname(source));
  if (controller !== null && f.name !== 'statefulset') throw new InputError(`${where}: model '${f.name}' takes no controller variant`);
  const symmetry = overrides.symmetry ?? file.symmetry ?? (f.symmetric ? 'nodes' : 'none');
  if (symmetry === 'nodes' && !f.symmetric) throw new InputError(`${where}: model '${f.name}' has no node symmetry (symmetry: none)`);
  return {
    name: file.name,
    description: file.description,
    ...(controller !== null ? { controller } : {}),
    ...(controller !== null && namedByFile && !isBuiltinVariant(controllerRef!) ? { scenarioModule: controller } : {}),
    ...(file.seed !== undefined ? { seed: file.seed } : {}),
    ...(source !== undefined ? { source } : {}),
    factory: f,
    rawParams,
    params,
    symmetry,
    check,
    expect,
  };
}

/**
 * Explored scenario files in a directory (recursively), sorted, or the given files. Scripted
 * scenarios (a `steps:` key, see scripted.ts; run by src/conformance) are left out: see `findAllScenarioFiles`.
 */
export function findScenarioFiles(target: string): string[] {
  return findAllScenarioFiles(target).filter((f) => !isScriptedScenarioFile(f));
}

/** Every scenario file, explored and scripted. */
export function findAllScenarioFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new InputError(`no such scenario file or directory: ${target}`);
  }
  if (stat.isFile()) return [target];
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...findAllScenarioFiles(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}
