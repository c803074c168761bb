/** `stsmc check`: decides what to run and which exit code it earns; reporting.ts prints. */
import fs from 'node:fs';
import { estimateLine, estimateStates } from '../check/estimate.js';
import { runScenario, type ScenarioResult } from '../check/runScenario.js';
import { Command, Option } from 'commander';
import { checkScripted, isScriptedResult, scriptedSummary } from '../conformance/runner.js';
import { InputError } from '../input/errors.js';
import { printable, printableLines } from '../input/printable.js';
import { parseSetOptions } from '../input/params.js';
import { hazardPlans, riskOf, riskText, runAtWorkloadSize, type RiskReport } from '../manifest/hazards.js';
import { readManifests, workloadsFromManifests, type Workload } from '../manifest/manifest.js';
import { writeCounterexampleFiles } from '../report/files.js';
import { dumpPlanGraph } from '../report/graphDump.js';
import { findAllScenarioFiles, loadScenarioFile, resolvePlan, type Overrides, type Plan } from '../scenario/scenario.js';
import { isScriptedScenarioFile, loadScriptedScenario, scriptedVariant, type ScriptedScenario } from '../scenario/scripted.js';
import { sarifLog } from '../manifest/sarif.js';
import { Exit, VERSION, defaultScenarioFolder, onStopSignals, writeFileAtomic, outOption, parseCheckList, parseSize, positiveInt, symmetryOption, timeLimitOption, workersOption } from './common.js';
import { progressReporter } from './progress.js';
import { counterexamples, coverageReport, findingsTable, jsonReport, overall, summaryLine, verdictTable } from './reporting.js';

export interface CheckCommandOptions {
  model?: string;
  set: string[];
  check?: string;
  json?: boolean;
  maxStates?: string;
  maxDepth?: string;
  timeLimit?: string;
  memory?: string;
  workers?: string;
  out: string;
  quiet?: boolean;
  coverage?: boolean;
  liveness: boolean;
  manifest: string[];
  controller?: string;
  symmetry?: string;
  dumpGraph?: string;
  statefulset?: string;
  failOn?: string;
  sarif?: string;
}

/** Runs expected to be larger than this get an estimate first (about five seconds and up). */
const LONG_RUN_STATES = 5_000_000;

export async function checkCommand(files: string[], opts: CheckCommandOptions): Promise<number> {
  outOption(opts.out);
  const overrides: Overrides = {
    set: parseSetOptions(opts.set),
    ...(opts.check !== undefined ? { check: parseCheckList(opts.check) } : {}),
    ...(opts.controller !== undefined ? { controller: opts.controller } : {}),
    ...(opts.symmetry !== undefined ? { symmetry: symmetryOption(opts.symmetry) } : {}),
  };
  const plans: Plan[] = [];
  const scripted: ScriptedScenario[] = [];
  /** With --manifest: each StatefulSet and its hazard runs, in the order of `plans`. */
  const workloads: { workload: Workload; hazards: ReturnType<typeof hazardPlans> }[] = [];
  const failOn = failOnOption(opts.failOn);
  /** A manifest hazard run's workload and hazard, by plan name; and the runs that modelled fewer ordinals. */
  const hazardOf = new Map<string, { workload: Workload; hazard: ReturnType<typeof hazardPlans>[number]['hazard'] }>();
  const reducedFrom = new Map<string, number>();
  if (opts.statefulset !== undefined && !opts.manifest.length) throw new InputError('--statefulset selects a StatefulSet of --manifest');
  if (opts.failOn !== undefined && !opts.manifest.length) throw new InputError('--fail-on applies to --manifest reports');
  if (opts.sarif !== undefined && !opts.manifest.length) throw new InputError('--sarif writes the findings of --manifest reports');
  if (opts.sarif !== undefined) sarifOption(opts.sarif);
  if (opts.manifest.length) {
    if (files.length || opts.model !== undefined) throw new InputError('give either --manifest, scenario files or --model');
    for (const workload of workloadsFromManifests(readManifests(opts.manifest), opts.statefulset)) {
      const hazards = hazardPlans(workload, overrides.set ?? {});
      workloads.push({ workload, hazards });
      for (const h of hazards) hazardOf.set(h.plan.name, { workload, hazard: h.hazard });
      plans.push(...hazards.map((h) => h.plan));
    }
  } else if (opts.model !== undefined) {
    if (files.length) throw new InputError('give either scenario files or --model, not both');
    plans.push(resolvePlan({ name: opts.model, description: `ad-hoc ${opts.model} configuration`, model: opts.model, params: {}, expect: {} }, overrides, '--model'));
  } else {
    const fallback = files.length ? undefined : defaultScenarioFolder();
    const targets = fallback ? [fallback.folder] : files;
    for (const t of targets) {
      for (const f of findAllScenarioFiles(t)) {
        if (isScriptedScenarioFile(f)) scripted.push(loadScriptedScenario(f, overrides.set, opts.controller !== undefined ? await scriptedVariant(opts.controller) : undefined));
        else plans.push(resolvePlan(loadScenarioFile(f), overrides, f));
      }
    }
    if (plans.length === 0 && scripted.length === 0) throw new InputError(`no scenario files (*.yaml) in ${targets.join(', ')}`);
    if (fallback?.shipped) process.stderr.write(`stsmc: ${printable(`no specs/ here: checking the ${plans.length + scripted.length} scenarios shipped with stsmc in ${fallback.folder}`)}\n`);
  }
  // Two scenarios with one name would write their files over each other's.
  const seenNames = new Map<string, string>();
  for (const p of [...plans.map((x) => ({ name: x.name, source: x.source ?? x.name })), ...scripted.map((x) => ({ name: x.name, source: x.source ?? x.name }))]) {
    const other = seenNames.get(p.name);
    if (other !== undefined) throw new InputError(`two scenarios are named '${p.name}' (${other} and ${p.source}): their output would overwrite each other's; rename one`);
    seenNames.set(p.name, p.source);
  }
  // Running code that a data file named is never silent.
  for (const p of plans) if (p.scenarioModule !== undefined) process.stderr.write(`stsmc: ${printable(`${p.source}: runs the controller variant module ${p.scenarioModule}, named by the scenario`)}\n`);

  const options = {
    workers: workersOption(opts.workers),
    ...(opts.maxStates !== undefined ? { maxStates: positiveInt('--max-states', opts.maxStates) } : {}),
    ...(opts.maxDepth !== undefined ? { maxDepth: positiveInt('--max-depth', opts.maxDepth) } : {}),
    ...(opts.timeLimit !== undefined ? { timeLimitSeconds: timeLimitOption(opts.timeLimit) } : {}),
    ...(opts.memory !== undefined ? { memoryBytes: parseSize(opts.memory) } : {}),
    noLiveness: !opts.liveness,
  };
  if (opts.dumpGraph !== undefined) {
    const g = await dumpPlanGraph(plans, opts.dumpGraph, options.maxDepth);
    if (!opts.quiet) process.stderr.write(`state graph (${g.states} states) written to ${g.file}\n`);
  }

  // Ctrl-C (or SIGTERM, SIGHUP) stops exploration cleanly and reports what was found; a second one exits at once.
  const abort = new AbortController();
  const removeSignals = onStopSignals((signal) => {
    process.stderr.write(`\nInterrupted (${signal}): stopping exploration (Ctrl-C again to quit at once)\n`);
    abort.abort();
  });
  const results: ScenarioResult[] = [];
  const writeFailures: string[] = [];
  try {
    for (const plan of plans) {
      if (abort.signal.aborted) break;
      const run = async (p: Plan, maxStates?: number): Promise<ScenarioResult> => {
        const progress = opts.quiet || opts.json ? undefined : progressReporter(p.name);
        try {
          return await runScenario(p, { ...options, ...(maxStates !== undefined ? { maxStates } : {}), signal: abort.signal, ...(progress ? { onProgress: progress.update, onLivenessProgress: progress.liveness } : {}) });
        } finally {
          progress?.done();
        }
      };
      const hazard = hazardOf.get(plan.name);
      // A manifest's workload at its own size (up to 5 ordinals) may be too large to explore: past
      // MANIFEST_STATE_CAP states the hazard is checked again with one ordinal fewer, down to 3,
      // and its report says so. With --set R or --max-states the user chose: an estimate instead.
      const fallback = hazard !== undefined && overrides.set?.R === undefined && options.maxStates === undefined;
      if (hazard !== undefined && !fallback && !opts.quiet) {
        const e = await estimateStates(plan, plan.symmetry === 'nodes' && !plan.check.some((p) => p.kind === 'liveness' && !options.noLiveness), abort.signal);
        if (e !== undefined && e.states >= LONG_RUN_STATES) process.stderr.write(`${printable(estimateLine(plan.name, e))}\n`);
      }
      let r: ScenarioResult;
      if (fallback) {
        const sized = await runAtWorkloadSize(hazard.workload, hazard.hazard, overrides.set ?? {}, plan, run, {
          signal: abort.signal,
          ...(opts.quiet ? {} : { say: (line: string) => process.stderr.write(`${printable(line)}\n`) }),
        });
        r = sized.result;
        if (sized.reducedFrom !== undefined) reducedFrom.set(plan.name, sized.reducedFrom);
      } else {
        r = await run(plan);
      }
      // A result is kept even when its files cannot be written: it is printed, then the failure.
      try {
        results.push(await writeCounterexampleFiles(r, opts.out)); // out/<scenario>/, or out/variant-<name>/<scenario>/ (src/report/files.ts)
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        writeFailures.push(e.message);
        results.push(r);
      }
    }
    // Scripted scenarios (the conformance suite) replay their steps: no exploration, no limits.
    for (const sc of scripted) if (!abort.signal.aborted) results.push(checkScripted(sc));
  } finally {
    removeSignals();
  }

  // Each workload's report from its own runs (an interrupted run has results for the first plans only).
  const byName = new Map(results.map((r) => [r.scenario, r]));
  const reports = workloads.map(({ workload, hazards }) =>
    riskOf(
      workload,
      hazards.flatMap(({ hazard, plan }) => {
        const result = byName.get(plan.name);
        const fewer = reducedFrom.get(plan.name);
        return result === undefined ? [] : [{ hazard, result, ...(fewer !== undefined ? { reducedFrom: fewer } : {}) }];
      }),
    ),
  );
  if (opts.json) {
    process.stdout.write(jsonReport(results, workloads.length > 0 ? { riskReports: reports } : {}) + '\n');
  } else if (workloads.length > 0) {
    const traces = results.flatMap((r) => counterexamples(r));
    process.stdout.write(printableLines([reports.map(riskText).join('\n\n'), ...traces.flatMap((t) => ['', t]), '', findingsTable(results)].join('\n')) + '\n');
  } else {
    const out: string[] = [];
    for (const r of results) {
      out.push(isScriptedResult(r) ? scriptedSummary(r) : summaryLine(r));
      // Like TLC's final report: coverage and the collision estimate whenever one configuration is checked.
      if (!isScriptedResult(r) && (opts.coverage || results.length === 1)) out.push(coverageReport(r));
      for (const cx of counterexamples(r)) out.push('', cx);
      out.push('');
    }
    out.push(verdictTable(results), '', overall(results));
    process.stdout.write(printableLines(out.join('\n')) + '\n');
  }
  if (opts.sarif !== undefined) {
    // After the report is printed: a file that cannot be written loses nothing that was found.
    try {
      await writeFileAtomic(opts.sarif, JSON.stringify(sarifLog(reports, VERSION), null, 2) + '\n');
    } catch (e) {
      writeFailures.push(`cannot write --sarif ${opts.sarif}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  for (const failure of writeFailures) process.stderr.write(`stsmc: error: ${printable(failure)} (the verdicts above stand; their counterexample files were not written)\n`);
  const code = workloads.length > 0 ? manifestExitCode(reports, failOn, abort.signal.aborted) : exitCode(results, abort.signal.aborted);
  return writeFailures.length > 0 && code !== Exit.unexpected ? Exit.badInput : code;
}

/**
 * A manifest's report has no expectations: a failing property is a finding about the workload, not
 * a surprise. 3 when interrupted or a limit left a verdict open; 1 when a finding of the
 * `--fail-on` severity or above applies (`hazard` by default; `never`: never); else 0.
 */
export function manifestExitCode(reports: readonly RiskReport[], failOn: FailOn, interrupted = false): number {
  if (interrupted) return Exit.limit;
  const hazards = reports.flatMap((r) => r.hazards);
  const failing = failOn === 'never' ? [] : failOn === 'caution' ? ['hazard', 'caution'] : ['hazard'];
  if (hazards.some((h) => h.status === 'hazard' && failing.includes(h.severity ?? 'hazard'))) return Exit.unexpected;
  if (hazards.some((h) => h.status === 'unknown')) return Exit.limit;
  return Exit.ok;
}

type FailOn = 'hazard' | 'caution' | 'never';

/** `--fail-on hazard|caution|never`: the least severity that makes the exit code 1. */
function failOnOption(v: string | undefined): FailOn {
  if (v === undefined || v === 'hazard' || v === 'caution' || v === 'never') return v ?? 'hazard';
  throw new InputError(`--fail-on must be hazard, caution or never, got '${v}'`);
}

/** `--sarif FILE`: a file name, not a folder, refused before any run. */
function sarifOption(file: string): void {
  if (file.trim() === '') throw new InputError('--sarif needs a file name');
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new InputError(`--sarif ${file} is a folder: give a file name`);
}


/**
 * 3 when the run was interrupted (whatever it found: the user stopped it, and a script must not
 * read a partial run as a verdict), 1 when a verdict differs from its expectation, 3 when a limit
 * left a verdict open or stopped an exploration that checked nothing (`--check none`), else 0.
 */
export function exitCode(results: readonly ScenarioResult[], interrupted = false): number {
  if (interrupted) return Exit.limit;
  const props = results.flatMap((r) => r.properties);
  if (props.some((p) => !p.matches && p.verdict !== 'unknown')) return Exit.unexpected;
  if (props.some((p) => p.verdict === 'unknown' && !p.note?.startsWith('skipped'))) return Exit.limit;
  if (results.some((r) => !r.complete && r.properties.length === 0)) return Exit.limit;
  return Exit.ok;
}


const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCheck(cli: Command): void {
  cli
    .command('check')
    .description('check scenarios (default: every scenario in specs/, or those shipped with stsmc where there is no specs/) or an ad-hoc model configuration')
    .argument('[files...]', 'scenario files or directories')
    .option('--model <name>', 'check an ad-hoc configuration of this model instead of scenario files')
    .option('--controller <variant>', 'use a controller variant: a built-in name (see specs/variants), upstream, or a .ts/.js module path')
    .option('--manifest <file>', 'report the hazards of each StatefulSet in these manifests (+ StorageClass; - reads standard input; repeatable)', collect, [])
    .option('--statefulset <name>', 'with --manifest: report on this StatefulSet only')
    .option('--fail-on <level>', 'with --manifest: the least severity that makes the exit code 1: hazard (the default), caution, or never')
    .option('--sarif <file>', 'with --manifest: also write the findings as SARIF 2.1.0, located at the manifest fields that make them apply')
    .option('--set <key=value>', 'override a parameter (repeatable; lists comma separated, all/none)', collect, [])
    .option('--check <properties>', 'comma-separated properties to check, or all, or none (explore only)')
    .option('--symmetry <kind>', 'nodes: one state per class of node renamings, for safety properties (the default); none: every state')
    .option('--json', 'print one JSON document on stdout')
    .option('--workers <n>', 'worker threads (default: number of cores)')
    .option('--max-states <n>', 'stop at the last complete level within this many distinct states (exit code 3)')
    .option('--max-depth <n>', 'explore at most this depth (exit code 3 if verdicts remain open)')
    .option('--time-limit <seconds>', 'stop after this long (exit code 3)')
    .option('--memory <size>', 'memory budget for the state tables, e.g. 2G (default: 60% of free memory)')
    .option('--out <dir>', 'where counterexample files go: DIR/<scenario>/, DIR/variant-<name>/<scenario>/ with a controller variant', 'out')
    .option('--dump-graph <file>', 'also write the whole state graph to FILE.dot or FILE.svg (one configuration, at most 2,000 states)')
    .option('--coverage', 'print per-action coverage and the fingerprint collision estimate (always, for one scenario)')
    .option('--quiet', 'no progress display')
    .addOption(new Option('--no-liveness', 'skip liveness properties'))
    .action(async (files: string[], opts: CheckCommandOptions) => {
      process.exitCode = await checkCommand(files, opts);
    });
}
