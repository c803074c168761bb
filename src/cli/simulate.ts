/**
 * `stsmc simulate`: random walks through a configuration too large to explore exhaustively,
 * checking the same invariants and step properties; the same seed replays the same walks.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { toCounterexample } from '../check/counterexample.js';
import type { Model } from '../explorer/model.js';
import { simulate, type Simulation } from '../explorer/simulate.js';
import { InputError } from '../input/errors.js';
import { errorMessage, printableLines } from '../input/printable.js';
import { parseSetOptions } from '../input/params.js';
import { loadModelAsync } from '../registry.js';
import { outputFolder, writeCounterexample } from '../report/files.js';
import { renderText } from '../report/text.js';
import { loadScenarioFile, resolvePlan, type Plan } from '../scenario/scenario.js';
import { variantReference } from '../spec/variantLoader.js';
import { MAX_SHARDS, mergedText, mergeShards, parseShard, shardResult, shardSearch, type ShardResult, type ShardViolation, type SwarmKey } from '../swarm/swarm.js';
import { Exit, onStopSignals, outOption, parseCheckList, positiveInt, timeLimitOption, writeFileAtomic } from './common.js';

interface SimulateCommandOptions {
  shard?: string;
  shards?: string;
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
    .option('--shard <K/N|job>', 'run shard K of a swarm of N diversified searches (job: K and N from JOB_COMPLETION_INDEX and JOB_COMPLETIONS) and write its result to OUT/<scenario>.shard-K-of-N.json')
    .option('--shards <n>', 'run every shard of a swarm of N here, one after the other, and print the merged result')
    .option('--json', 'print one JSON document on stdout')
    .option('--out <dir>', 'where the files go: DIR/simulate/<scenario>/ (DIR/simulate/variant-<name>/<scenario>/ with a controller variant)', 'out')
    .action(async (file: string | undefined, opts: SimulateCommandOptions) => {
      process.exitCode = opts.shard !== undefined || opts.shards !== undefined ? await swarmCommand(file, opts) : await simulateCommand(file, opts);
    });
}

/** The scenario a simulation runs: a file, or `--model` with `--set`. */
function simulationPlan(file: string | undefined, opts: SimulateCommandOptions): Plan {
  outOption(opts.out);
  const overrides = {
    set: parseSetOptions(opts.set),
    ...(opts.check !== undefined ? { check: parseCheckList(opts.check) } : {}),
    ...(opts.controller !== undefined ? { controller: opts.controller } : {}),
  };
  if (opts.model !== undefined) {
    if (file) throw new InputError('give either a scenario file or --model, not both');
    return resolvePlan({ name: opts.model, description: `ad-hoc ${opts.model} configuration`, model: opts.model, params: {}, expect: {} }, overrides, '--model');
  }
  if (file) return resolvePlan(loadScenarioFile(file), overrides, file);
  throw new InputError('simulate needs a scenario file or --model');
}

function seedOption(v: string): number {
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw new InputError(`--seed must be a non-negative integer below 2^53, got '${v}'`);
  return Number(v);
}

async function simulateCommand(file: string | undefined, opts: SimulateCommandOptions): Promise<number> {
  const plan = simulationPlan(file, opts);
  const seed = seedOption(opts.seed);
  const model = (await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) })) as Model<unknown>;
  const check = plan.check.filter((p) => p.kind !== 'liveness');
  const abort = new AbortController();
  const removeSignals = onStopSignals(() => abort.abort());
  let sim: Simulation<unknown>;
  try {
    sim = await simulate(model, {
      runs: positiveInt('--runs', opts.runs),
      depth: positiveInt('--depth', opts.depth),
      seed,
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
  // Its own folder (out/simulate/<scenario>/): a random walk's trace must not replace the shortest one `check` wrote.
  const files = cx ? await writeCounterexample(outputFolder(opts.out, { scenario: plan.name, controller: plan.controller, simulate: true }), cx) : [];
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

/**
 * `--shard K/N` (one shard: its result file OUT/<scenario>.shard-K-of-N.json, where `stsmc merge`
 * and a Job's shared volume expect it, and its counterexample files under
 * OUT/simulate/<scenario>.shard-K/) or `--shards N` (every shard here, one after the other, then the merge).
 */
async function swarmCommand(file: string | undefined, opts: SimulateCommandOptions): Promise<number> {
  if (opts.shard !== undefined && opts.shards !== undefined) throw new InputError('give either --shard or --shards, not both');
  const plan = simulationPlan(file, opts);
  const seed = seedOption(opts.seed);
  const runs = positiveInt('--runs', opts.runs);
  const depth = positiveInt('--depth', opts.depth);
  const count = opts.shards !== undefined ? positiveInt('--shards', opts.shards) : parseShard(opts.shard!).count;
  if (count > MAX_SHARDS) throw new InputError(`--shards must be at most ${MAX_SHARDS}, got ${count}`);
  const shards = opts.shards !== undefined ? Array.from({ length: count }, (_, index) => ({ index, count })) : [parseShard(opts.shard!)];
  const model = (await loadModelAsync({ model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) })) as Model<unknown>;
  const check = plan.check.filter((p) => p.kind !== 'liveness');
  const key: SwarmKey = {
    scenario: plan.name,
    model: plan.factory.name,
    controller: plan.controller ? variantReference(plan.controller) : 'upstream',
    params: plan.params,
    check: check.map((p) => p.name),
    seed,
    runs,
    depth,
    shards: count,
  };
  const abort = new AbortController();
  const removeSignals = onStopSignals(() => abort.abort());
  const results: ShardResult[] = [];
  const written: string[] = [];
  try {
    for (const shard of shards) {
      const search = shardSearch(shard, seed);
      const sim = await simulate(model, {
        runs,
        depth,
        ...search,
        check: key.check,
        signal: abort.signal,
        ...(opts.timeLimit !== undefined ? { timeLimitSeconds: timeLimitOption(opts.timeLimit) } : {}),
      });
      let violation: ShardViolation | null = null;
      const v = sim.violation;
      if (v) {
        const property = check.find((p) => p.name === v.property)!;
        const name = `${plan.name}.shard-${shard.index}`;
        const cx = toCounterexample({ ...plan, name }, model, property, v.trace);
        const files = await writeCounterexample(outputFolder(opts.out, { scenario: name, controller: plan.controller, simulate: true }), cx);
        const itf = files.find((f) => f.endsWith('.itf.json'));
        violation = {
          property: v.property,
          kind: v.kind,
          traceLength: v.traceLength,
          shard: shard.index,
          walk: v.run,
          expected: plan.expect.get(v.property)?.verdict === 'violated',
          files,
          replay: itf ? `stsmc replay --from ${itf}${plan.controller ? ` --controller ${variantReference(plan.controller)}` : ''}` : null,
        };
      }
      const result = shardResult(key, shard, sim, model.actions.map((a) => a.label), violation);
      results.push(result);
      if (opts.shard !== undefined) {
        const out = path.join(opts.out, `${plan.name}.shard-${shard.index}-of-${count}.json`);
        await writeFileAtomic(out, JSON.stringify(result, null, 2) + '\n');
        written.push(out);
      }
      if (sim.stopReason === 'interrupted' || sim.stopReason === 'timeLimit') break;
    }
  } catch (e) {
    if (e instanceof InputError || !plan.controller) throw e;
    throw new InputError(`controller variant '${variantReference(plan.controller)}' failed while simulating ${plan.name}: ${errorMessage(e)}`, { cause: e });
  } finally {
    removeSignals();
  }
  const merged = mergeShards(results.map((result) => ({ file: `shard ${result.shard}`, result })));
  const shown = opts.shard !== undefined ? results[0]! : merged;
  if (opts.json) process.stdout.write(JSON.stringify(shown, null, 2) + '\n');
  else process.stdout.write(printableLines(mergedText(merged) + (written.length ? `\n  written to ${written.join(', ')}` : '')) + '\n');
  if (merged.violations.some((v) => !v.expected)) return Exit.unexpected;
  if (results.some((r) => r.stopReason === 'interrupted')) return Exit.limit;
  return Exit.ok;
}

