/**
 * `stsmc replay`: execute given steps from an initial state, show what each changes and violates,
 * and at the end what is enabled and why everything else is not. A step that is not enabled stops
 * the replay (exit 1) naming its failing guard conditions; `--from` replays a saved counterexample
 * and checks that it is reproduced exactly.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Model, ModelFactory } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import { readInputFile } from '../input/files.js';
import { errorMessage, printable, printableLines } from '../input/printable.js';
import { parseSetOptions, resolveParams } from '../input/params.js';
import { factory, loadModelAsync } from '../registry.js';
import { replay, type ReplayOutcome } from '../replay/engine.js';
import { readTraceFile, replayTrace, type TraceCheck } from '../replay/trace.js';
import { renderReplayText, replayJson } from '../report/replay.js';
import { ActionIndex, splitSteps } from '../scenario/labels.js';
import { loadScenarioFile, resolvePlan } from '../scenario/scenario.js';
import { isScriptedScenarioFile, loadScriptedScenario, scriptedVariant } from '../scenario/scripted.js';
import { isBuiltinVariant, resolveVariantPath, variantReference } from '../spec/variantLoader.js';
import { Exit } from './common.js';

export interface ReplayCommandOptions {
  model?: string;
  controller?: string;
  set: string[];
  init?: string;
  steps?: string;
  stepsFile?: string;
  from?: string;
  json?: boolean;
}

function nonNegativeInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InputError(`${flag} must be a non-negative integer, got '${v}'`);
  return Number(v);
}

interface Setup {
  readonly source: string;
  readonly factory: ModelFactory;
  readonly model: Model<unknown>;
  /** Steps the source itself brings (a scripted scenario), if any. */
  readonly steps?: readonly string[];
  readonly init?: number;
  /** Safety properties to evaluate (a scenario's `check` list); all when absent. */
  readonly properties?: readonly string[];
  /** The controller variant's module, when one runs. */
  readonly controller?: string;
}

async function setupFrom(scenario: string | undefined, opts: ReplayCommandOptions): Promise<Setup> {
  const set = parseSetOptions(opts.set);
  if (scenario !== undefined) {
    if (opts.model !== undefined) throw new InputError('give either a scenario file or --model, not both');
    if (!fs.existsSync(scenario)) throw new InputError(`no such scenario file: ${scenario}`);
    if (isScriptedScenarioFile(scenario)) {
      const sc = loadScriptedScenario(scenario, set, opts.controller !== undefined ? await scriptedVariant(opts.controller) : undefined);
      const steps = sc.items.flatMap((i) => (i.kind === 'step' ? [i.label] : []));
      const controller = opts.controller !== undefined ? resolveVariantPath(opts.controller) : null;
      return { source: scenario, factory: sc.factory, model: sc.model, steps, init: sc.init, ...(controller !== null ? { controller } : {}) };
    }
    const plan = resolvePlan(loadScenarioFile(scenario), { set, ...(opts.controller !== undefined ? { controller: opts.controller } : {}) }, scenario);
    const properties = plan.check.filter((p) => p.kind !== 'liveness').map((p) => p.name);
    const model = await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) });
    return { source: scenario, factory: plan.factory, model, properties, ...(plan.controller ? { controller: plan.controller } : {}) };
  }
  const f = factory(opts.model ?? 'statefulset');
  const params = resolveParams(f.name, f.parameters, set);
  const controller = opts.controller !== undefined ? resolveVariantPath(opts.controller) : null;
  return { source: `--model ${f.name}`, factory: f, model: await withController(f.name, params, opts.controller), ...(controller !== null ? { controller } : {}) };
}

/** The model, with the controller variant `ref` (a built-in name, `upstream` or a module path) if given. */
async function withController(model: string, params: Readonly<Record<string, unknown>>, ref: string | undefined): Promise<Model<unknown>> {
  const controller = ref === undefined ? null : resolveVariantPath(ref);
  return loadModelAsync({ model, params, ...(controller !== null ? { controller } : {}) });
}

export async function replayCommand(scenario: string | undefined, opts: ReplayCommandOptions): Promise<number> {
  const variant: { path?: string } = {};
  try {
    return await replayWith(scenario, opts, variant);
  } catch (e) {
    // Replaying runs the model's code, a controller variant's too: an exception from there is its
    // author's doing (one line naming it); without a variant, a bug of stsmc.
    if (e instanceof InputError || variant.path === undefined) throw e;
    throw new InputError(`controller variant '${variantReference(variant.path)}' failed while replaying: ${errorMessage(e)}`, { cause: e });
  }
}

async function replayWith(scenario: string | undefined, opts: ReplayCommandOptions, variant: { path?: string }): Promise<number> {
  const sources = [opts.steps !== undefined, opts.stepsFile !== undefined, opts.from !== undefined].filter(Boolean).length;
  if (sources > 1) throw new InputError('give only one of --steps, --steps-file and --from');

  let model: Model<unknown>;
  let outcome: ReplayOutcome<unknown>;
  let trace: TraceCheck | undefined;
  let source: string;

  if (opts.from !== undefined) {
    if (scenario !== undefined || opts.model !== undefined) throw new InputError('--from replays a trace with its own model and parameters: give no scenario file or --model');
    if (opts.init !== undefined) throw new InputError('--from starts where the trace starts: --init does not apply');
    const saved = readTraceFile(opts.from);
    const set = parseSetOptions(opts.set);
    const from = opts.from;
    const f = prefixed(from, () => factory(saved.header.model));
    const params = prefixed(from, () => resolveParams(f.name, f.parameters, { ...saved.header.params, ...set }));
    // A trace is data: the controller it names runs only if it is a built-in variant or the user
    // names it on the command line.
    if (opts.controller === undefined && saved.controller !== undefined && !isBuiltinVariant(saved.controller)) {
      throw new InputError(`${opts.from} was recorded with the controller variant ${saved.controller}: replaying it runs that module's code, so name it yourself with --controller`);
    }
    const controller = opts.controller ?? saved.controller;
    if (controller !== undefined) variant.path = resolveVariantPath(controller) ?? undefined;
    model = await withController(f.name, params, controller);
    const m = model;
    const r = prefixed(opts.from, () => replayTrace(m, saved, new ActionIndex(m, f)));
    outcome = r.outcome;
    trace = r.check;
    if (!trace.reproduced && controller === undefined && (trace.divergence || outcome.blocked)) {
      trace = { ...trace, detail: `${trace.detail} (if the trace comes from a scenario with a controller variant, give it with --controller)` };
    }
    source = opts.from;
  } else {
    if (opts.controller !== undefined) variant.path = resolveVariantPath(opts.controller) ?? undefined;
    const s = await setupFrom(scenario, opts);
    if (s.controller !== undefined) variant.path = s.controller;
    model = s.model;
    source = s.source;
    let labels: readonly string[];
    if (opts.steps !== undefined) labels = splitSteps(opts.steps);
    else if (opts.stepsFile !== undefined) {
      const text = readInputFile(opts.stepsFile, 'steps file');
      labels = splitSteps(text);
    } else if (s.steps) labels = s.steps;
    else throw new InputError('no steps: give --steps "A,B,...", --steps-file FILE or --from TRACE.itf.json');
    const index = new ActionIndex(model, s.factory);
    const actions = labels.map((l, k) => index.resolve(l, `step ${k + 1}`));
    const init = opts.init !== undefined ? nonNegativeInt('--init', opts.init) : (s.init ?? 0);
    outcome = replay(model, init, actions, s.properties);
  }

  if (opts.json) process.stdout.write(JSON.stringify(replayJson(model, outcome, trace), null, 2) + '\n');
  else process.stdout.write(printableLines(renderReplayText(model, outcome, { source, initCount: model.initialStates().length }, trace)) + '\n');
  if (outcome.blocked) {
    const b = outcome.blocked;
    if (opts.json) process.stderr.write(`stsmc: ${printable(`step ${b.step} (${b.label}) is not enabled: ${b.failing.join(', ')}`)}\n`);
    return Exit.unexpected;
  }
  if (trace && !trace.reproduced) return Exit.unexpected;
  return Exit.ok;
}

function prefixed<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerReplay(cli: Command): void {
  cli
    .command('replay')
    .description('execute given steps from an initial state: changes, violations, and why actions are disabled')
    .argument('[scenario]', 'a scenario file (its model and parameters; a scripted scenario also brings its steps)')
    .option('--model <name>', 'replay on an ad-hoc configuration of this model (default: statefulset)')
    .option('--controller <variant>', 'a controller variant: a built-in name (see specs/variants), upstream, or a .ts/.js module path')
    .option('--set <key=value>', 'override a parameter (repeatable; lists comma separated, all/none)', collect, [])
    .option('--init <n>', 'start from this initial state (default 0; start=running has one per placement)')
    .option('--steps <labels>', 'comma-separated action labels, e.g. "CtlCreate(0),Schedule(0,1)"')
    .option('--steps-file <file>', 'action labels, comma or newline separated, # comments')
    .option('--from <trace>', 'replay a counterexample written by stsmc check (.itf.json) and check it is reproduced')
    .option('--json', 'print one JSON document on stdout')
    .action(async (scenario: string | undefined, opts: ReplayCommandOptions) => {
      process.exitCode = await replayCommand(scenario, opts);
    });
}
