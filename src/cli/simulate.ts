/**
 * `stsmc simulate`: random walks through a configuration too large to explore exhaustively,
 * checking the same invariants and step properties; the same seed replays the same walks.
 */
import type { Command } from 'commander';
import { toCounterexample } from '../check/counterexample.js';
import type { Model } from '../explorer/model.js';
import { simulate, type Simulation } from '../explorer/simulate.js';
import { InputError } from '../input/errors.js';
import { errorMessage, printableLines } from '../input/printable.js';
import { parseSetOptions } from '../input/params.js';
import { loadModelAsync } from '../registry.js';
import { writeCounterexample } from '../report/files.js';
import { renderText } from '../report/text.js';
import { loadScenarioFile, resolvePlan, type Plan } from '../scenario/scenario.js';
import { variantReference } from '../spec/variantLoader.js';
import { Exit, onStopSignals, outOption, parseCheckList, positiveInt, timeLimitOption } from './common.js';

interface SimulateCommandOptions {
  model?: string;
  set: string[];
  check?: string;
  controller?: string;
  runs: string;
  depth: string;
  seed: string;
  timeLimit?: string;
  json?: boolean;
  out: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSimulate(cli: Command): void {
  cli
    .command('simulate')
    .description('random walks (for configurations too large to explore): report the first violation found')
    .argument('[scenario]', 'a scenario file')
    .option('--model <name>', 'simulate an ad-hoc configuration of this model instead of a scenario file')
    .option('--set <key=value>', 'override a parameter (repeatable)', collect, [])
    .option('--check <properties>', 'comma-separated invariants and step properties to check, or all')
    .option('--controller <variant>', 'use a controller variant')
    .option('--runs <n>', 'number of walks', '1000')
    .option('--depth <n>', 'steps per walk at most', '100')
    .option('--seed <n>', 'random seed: the same seed gives the same walks', '1')
    .option('--time-limit <seconds>', 'stop after this long')
    .option('--json', 'print one JSON document on stdout')
    .option('--out <dir>', 'where the counterexample files go', 'out')
    .action(async (file: string | undefined, opts: SimulateCommandOptions) => {
      process.exitCode = await simulateCommand(file, opts);
    });
}

async function simulateCommand(file: string | undefined, opts: SimulateCommandOptions): Promise<number> {
  outOption(opts.out);
  const overrides = {
    set: parseSetOptions(opts.set),
    ...(opts.check !== undefined ? { check: parseCheckList(opts.check) } : {}),
    ...(opts.controller !== undefined ? { controller: opts.controller } : {}),
  };
  let plan: Plan;
  if (opts.model !== undefined) {
    if (file) throw new InputError('give either a scenario file or --model, not both');
    plan = resolvePlan({ name: opts.model, description: `ad-hoc ${opts.model} configuration`, model: opts.model, params: {}, expect: {} }, overrides, '--model');
  } else if (file) {
    plan = resolvePlan(loadScenarioFile(file), overrides, file);
  } else {
    throw new InputError('simulate needs a scenario file or --model');
  }
  if (!/^\d+$/.test(opts.seed.trim()) || !Number.isSafeInteger(Number(opts.seed))) throw new InputError(`--seed must be a non-negative integer below 2^53, got '${opts.seed}'`);
  const model = (await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) })) as Model<unknown>;
  const check = plan.check.filter((p) => p.kind !== 'liveness');
  const abort = new AbortController();
  const removeSignals = onStopSignals(() => abort.abort());
  let sim: Simulation<unknown>;
  try {
    sim = await simulate(model, {
      runs: positiveInt('--runs', opts.runs),
      depth: positiveInt('--depth', opts.depth),
      seed: Number(opts.seed),
      check: check.map((p) => p.name),
      signal: abort.signal,
      ...(opts.timeLimit !== undefined ? { timeLimitSeconds: timeLimitOption(opts.timeLimit) } : {}),
    });
  } catch (e) {
    // A controller variant's code may throw: that is its author's input error, one line naming
    // model and scenario. Without a variant, only stsmc's own code runs: an exception is a bug.
    if (e instanceof InputError || !plan.controller) throw e;
    throw new InputError(`controller variant '${variantReference(plan.controller)}' failed while simulating ${plan.name}: ${errorMessage(e)}`, { cause: e });
  } finally {
    removeSignals();
  }

  const v = sim.violation;
  const property = v ? check.find((p) => p.name === v.property)! : undefined;
  const cx = v && property ? toCounterexample(plan, model, property, v.trace) : undefined;
  const files = cx ? await writeCounterexample(opts.out, cx) : [];
  const expected = v ? (plan.expect.get(v.property)?.verdict ?? 'holds') : undefined;
  if (opts.json) {
    process.stdout.write(
      JSON.stringify(
        {
          scenario: plan.name,
          model: plan.factory.name,
          params: plan.params,
          seed: sim.seed,
          runs: sim.runs,
          steps: sim.steps,
          generated: sim.generated,
          deadlocks: sim.deadlocks,
          longestRun: sim.longestRun,
          seconds: Number(sim.seconds.toFixed(3)),
          stopReason: sim.stopReason,
          violation: v ? { property: v.property, kind: v.kind, run: v.run, traceLength: v.traceLength, expected, files } : null,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const head =
      `${plan.name}: ${sim.runs.toLocaleString('en-US')} walks, ${sim.steps.toLocaleString('en-US')} steps (longest ${sim.longestRun}, ` +
      `${sim.deadlocks} ended with nothing enabled), seed ${sim.seed}, ${sim.seconds.toFixed(2)} s`;
    const lines = [head];
    if (cx && v) lines.push('', `Walk ${v.run} violated ${v.property}${expected === 'violated' ? ' (as the scenario expects)' : ''}:`, renderText(cx), `  written to ${files.join(', ')}`);
    else lines.push(`No violation of ${check.map((p) => p.name).join(', ') || 'any property'} found (simulation is a search, not a proof).`);
    process.stdout.write(printableLines(lines.join('\n')) + '\n');
  }
  if (v && expected === 'holds') return Exit.unexpected;
  if (sim.stopReason === 'interrupted') return Exit.limit;
  return Exit.ok;
}
