/** The CLI's commands: they decide what to run and which exit code it earns; reporting prints. */
import os from 'node:os';
import { runScenario, type ScenarioResult } from '../check/runScenario.js';
import { InputError, parseSetOptions } from '../explorer/params.js';
import { FACTORIES } from '../registry.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan, type Overrides, type Plan } from '../scenario/scenario.js';
import { progressReporter } from './progress.js';
import { counterexamples, coverageReport, jsonReport, modelList, overall, summaryLine, verdictTable } from './reporting.js';

export const Exit = { ok: 0, unexpected: 1, badInput: 2, limit: 3 } as const;

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
}

export async function checkCommand(files: string[], opts: CheckCommandOptions): Promise<number> {
  const overrides: Overrides = {
    set: parseSetOptions(opts.set),
    ...(opts.check !== undefined ? { check: parseCheckList(opts.check) } : {}),
  };
  const plans: Plan[] = [];
  if (opts.model !== undefined) {
    if (files.length) throw new InputError('give either scenario files or --model, not both');
    plans.push(resolvePlan({ name: opts.model, description: `ad-hoc ${opts.model} configuration`, model: opts.model, params: {}, expect: {} }, overrides, '--model'));
  } else {
    const targets = files.length ? files : ['specs'];
    for (const t of targets) for (const f of findScenarioFiles(t)) plans.push(resolvePlan(loadScenarioFile(f), overrides, f));
    if (plans.length === 0) throw new InputError(`no scenario files (*.yaml) in ${targets.join(', ')}`);
  }

  const options = {
    workers: opts.workers !== undefined ? positiveInt('--workers', opts.workers) : os.availableParallelism(),
    ...(opts.maxStates !== undefined ? { maxStates: positiveInt('--max-states', opts.maxStates) } : {}),
    ...(opts.maxDepth !== undefined ? { maxDepth: positiveInt('--max-depth', opts.maxDepth) } : {}),
    ...(opts.timeLimit !== undefined ? { timeLimitSeconds: positiveNumber('--time-limit', opts.timeLimit) } : {}),
    ...(opts.memory !== undefined ? { memoryBytes: parseSize(opts.memory) } : {}),
    outDir: opts.out,
    noLiveness: !opts.liveness,
  };

  // Ctrl-C stops exploration cleanly and reports what was found; a second one exits at once.
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nInterrupted: stopping exploration (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const results: ScenarioResult[] = [];
  try {
    for (const plan of plans) {
      if (abort.signal.aborted) break;
      const progress = opts.quiet || opts.json ? undefined : progressReporter(plan.name);
      try {
        const r = await runScenario(plan, { ...options, signal: abort.signal, ...(progress ? { onProgress: progress.update } : {}) });
        results.push(r);
      } finally {
        progress?.done();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  if (opts.json) {
    process.stdout.write(jsonReport(results) + '\n');
  } else {
    const out: string[] = [];
    for (const r of results) {
      out.push(summaryLine(r));
      if (opts.coverage) out.push(coverageReport(r));
      for (const cx of counterexamples(r)) out.push('', cx);
      out.push('');
    }
    out.push(verdictTable(results), '', overall(results));
    process.stdout.write(out.join('\n') + '\n');
  }
  return exitCode(results, abort.signal.aborted);
}

export function exitCode(results: readonly ScenarioResult[], interrupted = false): number {
  const props = results.flatMap((r) => r.properties);
  if (props.some((p) => !p.matches && p.verdict !== 'unknown')) return Exit.unexpected;
  if (interrupted || props.some((p) => p.verdict === 'unknown' && !p.note?.startsWith('skipped'))) return Exit.limit;
  return Exit.ok;
}

export function listCommand(): number {
  process.stdout.write(modelList(FACTORIES));
  return Exit.ok;
}

function parseCheckList(v: string): readonly string[] | 'all' | 'none' {
  const t = v.trim();
  if (t === 'all' || t === 'none') return t;
  const names = t.split(',').map((x) => x.trim()).filter(Boolean);
  if (names.length === 0) throw new InputError('--check needs property names, all or none');
  return names;
}

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InputError(`${flag} must be a positive integer, got '${v}'`);
  return Number(v);
}

function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} must be a positive number, got '${v}'`);
  return n;
}

/** `512M`, `2G`, `1.5GiB` or a number of bytes. */
export function parseSize(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(v);
  if (!m) throw new InputError(`--memory must be a size such as 512M or 2G, got '${v}'`);
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes < 2 ** 20) throw new InputError(`--memory must be at least 1M, got '${v}'`);
  return bytes;
}
