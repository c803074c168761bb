/**
 * Checking one scenario: explore its model, decide a verdict for every checked property and
 * rebuild the shortest counterexample of each violation. Returns data only: it prints nothing and
 * writes no file (the counterexample files are src/report/files.ts's business, printing the CLI's).
 */
import path from 'node:path';
import { explore, timeLimitTimer, type Exploration, type Progress, type StopReason } from '../explorer/bfs.js';
import { checkLivenessAsync, type LivenessVerdict } from '../explorer/liveness.js';
import type { Model, PropertyKind } from '../explorer/model.js';
import { WorkerPool } from '../explorer/pool.js';
import { rebuildTrace } from '../explorer/trace.js';
import { InputError } from '../input/errors.js';
import { errorMessage } from '../input/printable.js';
import { loadModelAsync, modelRef } from '../registry.js';
import type { Plan, Verdict } from '../scenario/scenario.js';
import { BUILTIN_VARIANTS, runnableVariantPath, variantReference } from '../spec/variantLoader.js';
import { lassoCounterexample, toCounterexample, type Counterexample } from './counterexample.js';

export interface CheckOptions {
  /** Worker threads; 1 explores on the calling thread. */
  readonly workers?: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitSeconds?: number;
  readonly memoryBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Progress of the liveness check's state graph: states expanded of `total`. */
  readonly onLivenessProgress?: (done: number, total: number) => void;
  /** Skip liveness properties (their verdict is `unknown`, marked as skipped). */
  readonly noLiveness?: boolean;
}

export interface PropertyResult {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly description: string;
  readonly verdict: Verdict;
  readonly expected: 'holds' | 'violated';
  readonly expectedTraceLength?: number;
  /** Steps of the counterexample, when violated. */
  readonly traceLength?: number;
  /** Whether the verdict (and trace length, when one is expected) matches the expectation. */
  readonly matches: boolean;
  readonly counterexample?: Counterexample;
  /**
   * The files the counterexample was written to: always empty as the check returns it; filled in
   * by `writeCounterexampleFiles` (src/report/files.ts) for those who write them.
   */
  readonly files: readonly string[];
  /** Why the verdict is unknown, when it is. */
  readonly note?: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly description: string;
  readonly model: string;
  /** `upstream` (when absent), or the controller variant's name. */
  readonly controller?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly complete: boolean;
  readonly stopReason: StopReason | null;
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly depth: number;
  readonly seconds: number;
  readonly workers: number;
  /** Node symmetry: whether exploration kept one state per class of node renamings (and why not, when asked for). */
  readonly symmetry: { readonly used: boolean; readonly note?: string };
  /** Times each action family fired (enabled instances over explored states). */
  readonly coverage: Readonly<Record<string, number>>;
  readonly properties: readonly PropertyResult[];
}

/**
 * How long worker threads get to come back after a stop (time limit, Ctrl-C, SIGTERM) before they
 * are terminated: they look at the stop flag every few milliseconds, unless a controller variant
 * keeps them in a loop.
 */
export const STUCK_WORKER_GRACE_MS = 1000;

export async function runScenario(plan: Plan, options: CheckOptions = {}): Promise<ScenarioResult> {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const safety = plan.check.filter((p) => p.kind !== 'liveness').map((p) => p.name);
  const liveness = options.noLiveness ? [] : plan.check.filter((p) => p.kind === 'liveness').map((p) => p.name);
  // Symmetry reduction is sound for the safety properties; liveness is checked on the full graph.
  const symmetry = plan.symmetry === 'nodes' && plan.factory.symmetric === true && liveness.length === 0;
  const spec = { model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}), ...(symmetry ? { symmetry } : {}) };
  const workers = Math.max(1, options.workers ?? 1);
  // A variant module of the user's own may loop forever (at load, in controller(), a guard, an
  // effect), where no flag is ever looked at again: its code is first run, and exploration runs
  // entirely, on worker threads (even with one worker), which this thread terminates when the time
  // limit or a signal says stop. The built-in model and the shipped variants explore here as before.
  const userVariant = plan.controller !== undefined && path.dirname(path.resolve(plan.controller)) !== BUILTIN_VARIANTS;
  let pool: WorkerPool | undefined;
  let model: Model<unknown>;
  if (userVariant) {
    pool = new WorkerPool(modelRef(spec), workers, { callerExplores: false, loadOneFirst: true });
    try {
      const stop = await loadedOrStopped(plan, pool, options, elapsed);
      if (stop !== null) {
        await pool.close();
        return stoppedWhileLoading(plan, stop, workers, elapsed());
      }
      // It loaded there: here it does too (what follows needs the model's actions on this thread).
      model = await runningModel(plan, `loading the controller variant`, () => loadModelAsync(spec));
    } catch (e) {
      await pool.close();
      throw e;
    }
  } else {
    model = await loadModelAsync(spec);
    // Workers import the variant already transpiled, so none of them loads TypeScript.
    const workerSpec = plan.controller ? { ...spec, controller: runnableVariantPath(plan.controller) } : spec;
    pool = workers > 1 ? new WorkerPool(modelRef(workerSpec), workers) : undefined;
  }
  let exploration: Exploration;
  let live: Map<string, LivenessVerdict<unknown>>;
  try {
    exploration = await runningModel(plan, `exploring ${plan.name}`, () =>
      explore(model, {
        check: safety,
        // Liveness needs the whole state graph; safety alone may stop at the last violation.
        stopWhenAllViolated: liveness.length === 0,
        ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
        ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
        // The time limit counts from the start of the scenario (a variant's loading included).
        ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds - elapsed() } : {}),
        ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
        ...(pool ? { pool } : {}),
        ...(userVariant ? { inlineSmallLevels: false, terminateAfterMs: STUCK_WORKER_GRACE_MS } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
    // Stopped by the clock or the user, the run ends here: no liveness pass (and after a variant's
    // worker threads were terminated, no state may be expanded again: one of them loops).
    const stoppedEarly = exploration.stopReason === 'timeLimit' || exploration.stopReason === 'interrupted';
    live =
      liveness.length && !stoppedEarly
        ? await runningModel(plan, `checking the liveness properties of ${plan.name}`, () =>
            livenessVerdicts(model, exploration, liveness, { ...options, ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds - elapsed() + exploration.seconds } : {}), ...(pool ? { pool } : {}) }),
          )
        : new Map();
  } finally {
    await pool?.close();
  }
  const properties: PropertyResult[] = [];
  for (const p of plan.check) {
    const expectation = plan.expect.get(p.name);
    const expected = expectation?.verdict ?? 'holds';
    const base = { name: p.name, kind: p.kind, description: p.description, expected, ...(expectation?.traceLength !== undefined ? { expectedTraceLength: expectation.traceLength } : {}) };
    const rebuilding = `rebuilding the counterexample of ${p.name} in ${plan.name}`;
    if (p.kind === 'liveness') {
      const lv = live.get(p.name);
      if (!lv) {
        const note = options.noLiveness ? 'skipped (--no-liveness)' : `exploration stopped early (${exploration.stopReason})`;
        properties.push({ ...base, verdict: 'unknown', matches: false, files: [], note });
        continue;
      }
      if (lv.verdict !== 'violated' || !lv.lasso) {
        const note = lv.verdict === 'unknown' ? (lv.reason ?? `exploration stopped early (${exploration.stopReason})`) : undefined;
        properties.push({ ...base, verdict: lv.verdict, matches: lv.verdict === expected && expectation?.traceLength === undefined, files: [], ...(note ? { note } : {}) });
        continue;
      }
      const lasso = lv.lasso;
      const cx = await runningModel(plan, rebuilding, () => lassoCounterexample(plan, model, p, lasso));
      const length = cx.steps.length - 1;
      const lengthOk = expectation?.traceLength === undefined || expectation.traceLength === length;
      properties.push({ ...base, verdict: 'violated', traceLength: length, matches: expected === 'violated' && lengthOk, counterexample: cx, files: [] });
      continue;
    }
    const v = exploration.violations.get(p.name);
    if (!v) {
      const verdict: Verdict = exploration.complete ? 'holds' : 'unknown';
      const note = verdict === 'unknown' ? `exploration stopped early (${exploration.stopReason})` : undefined;
      properties.push({ ...base, verdict, matches: verdict === expected && expectation?.traceLength === undefined, files: [], ...(note ? { note } : {}) });
      continue;
    }
    const cx = await runningModel(plan, rebuilding, () => toCounterexample(plan, model, p, rebuildTrace(model, exploration.store, v.stateId, v.action)));
    const lengthOk = expectation?.traceLength === undefined || expectation.traceLength === v.traceLength;
    properties.push({ ...base, verdict: 'violated', traceLength: v.traceLength, matches: expected === 'violated' && lengthOk, counterexample: cx, files: [] });
  }

  const coverage: Record<string, number> = {};
  model.actions.forEach((a, k) => {
    coverage[a.family] = (coverage[a.family] ?? 0) + exploration.fired[k]!;
  });
  return {
    scenario: plan.name,
    description: plan.description,
    model: plan.factory.name,
    controller: plan.controller ? path.basename(plan.controller).replace(/\.(ts|m?js)$/, '') : 'upstream',
    params: plan.params,
    complete: exploration.complete,
    stopReason: exploration.stopReason,
    distinctStates: exploration.distinct,
    generatedStates: exploration.generated,
    depth: exploration.depth,
    seconds: exploration.seconds,
    workers,
    symmetry: symmetryUsed(plan, model, liveness.length > 0),
    coverage,
    properties,
  };
}

/** Whether the run used node symmetry, and if it was asked for but not used, why. */
function symmetryUsed(plan: Plan, model: Model<unknown>, liveness: boolean): ScenarioResult['symmetry'] {
  if (model.canonicalize !== undefined) return { used: true };
  if (plan.symmetry === 'none' || plan.factory.symmetric !== true) return { used: false };
  if (liveness) return { used: false, note: 'liveness properties are checked without symmetry' };
  return { used: false, note: 'the controller variant does not declare nodesAlike' };
}

/**
 * Waits until a worker thread of `pool` has loaded the scenario's controller variant, or the time
 * limit or the signal says stop (null: loaded). A variant that cannot load is an input error naming
 * it (as the worker thread said it).
 */
async function loadedOrStopped(plan: Plan, pool: WorkerPool, options: CheckOptions, elapsed: () => number): Promise<StopReason | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  try {
    return await new Promise<StopReason | null>((resolve, reject) => {
      timer = timeLimitTimer(options.timeLimitSeconds !== undefined ? options.timeLimitSeconds - elapsed() : undefined, () => resolve('timeLimit'));
      onAbort = () => resolve('interrupted');
      options.signal?.addEventListener('abort', onAbort);
      if (options.signal?.aborted) onAbort();
      pool.whenLoaded().then(
        () => resolve(null),
        (e: unknown) => {
          // An error thrown on a worker thread arrives as a plain Error; the variant loader's own
          // messages already name the variant.
          const message = errorMessage(e);
          reject(new InputError(message.startsWith('controller variant') ? message : `controller variant '${variantReference(plan.controller!)}' failed to load: ${message}`, { cause: e }));
        },
      );
    });
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A scenario stopped before anything was explored: its variant was still loading. */
function stoppedWhileLoading(plan: Plan, stop: StopReason, workers: number, seconds: number): ScenarioResult {
  const note = `stopped while the controller variant was loading (${stop})`;
  return {
    scenario: plan.name,
    description: plan.description,
    model: plan.factory.name,
    controller: path.basename(plan.controller!).replace(/\.(ts|m?js)$/, ''),
    params: plan.params,
    complete: false,
    stopReason: stop,
    distinctStates: 0,
    generatedStates: 0,
    depth: 0,
    seconds,
    workers,
    symmetry: { used: false },
    coverage: {},
    properties: plan.check.map((p) => {
      const expectation = plan.expect.get(p.name);
      return { name: p.name, kind: p.kind, description: p.description, verdict: 'unknown' as const, expected: expectation?.verdict ?? 'holds', matches: false, files: [], note };
    }),
  };
}

/**
 * Liveness after exploration, under the same Ctrl-C and time limit: the time limit counts from the
 * start of the scenario, so a run that used it up exploring leaves liveness `unknown`.
 */
async function livenessVerdicts<S>(
  model: Model<S>,
  exploration: Exploration,
  names: readonly string[],
  options: CheckOptions & { readonly pool?: WorkerPool },
): Promise<Map<string, LivenessVerdict<S>>> {
  const stop = new AbortController();
  let why = 'interrupted';
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) stop.abort();
  const left = options.timeLimitSeconds !== undefined ? options.timeLimitSeconds - exploration.seconds : undefined;
  const timer = timeLimitTimer(left, () => {
    why = 'time limit reached';
    stop.abort();
  });
  try {
    const verdicts = await checkLivenessAsync(model, exploration, names, {
      signal: stop.signal,
      ...(options.pool ? { pool: options.pool } : {}),
      ...(options.onLivenessProgress ? { onProgress: options.onLivenessProgress } : {}),
    });
    if (!stop.signal.aborted) return verdicts;
    const reason = `${why} while building the state graph for liveness`;
    return new Map([...verdicts].map(([name, v]) => [name, v.verdict === 'unknown' ? { ...v, reason } : v]));
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs `f`, which calls the model's code. With a controller variant, the variant's code runs there
 * too, and an exception is its author's doing, like a type error in it: bad input, one line naming
 * the variant and what was being done. Without one, only stsmc's own code runs: an exception is a
 * bug in stsmc and propagates unchanged (the CLI reports it as an internal error, exit code 4). An
 * `InputError` stays one; an error thrown in a worker thread arrives as a plain `Error`.
 */
async function runningModel<T>(plan: Plan, doing: string, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError || plan.controller === undefined) throw e;
    throw new InputError(`controller variant '${variantReference(plan.controller)}' failed while ${doing}: ${errorMessage(e)}`, { cause: e });
  }
}
