/**
 * Checking one scenario: explore its model, decide a verdict for every checked property, rebuild
 * the shortest counterexample of each violation and write it out. Returns data; printing is the
 * CLI's business.
 */
import fs from 'node:fs';
import path from 'node:path';
import { explore, type Exploration, type Progress, type StopReason } from '../explorer/bfs.js';
import type { Model, PropertyKind } from '../explorer/model.js';
import { InputError } from '../explorer/params.js';
import { WorkerPool } from '../explorer/pool.js';
import { checkLivenessAsync, isStutter, type Lasso, type LivenessVerdict } from '../explorer/liveness.js';
import { rebuildTrace, type TraceStep } from '../explorer/trace.js';
import { loadModelAsync, modelRef } from '../registry.js';
import { runnableVariantPath, variantReference } from '../spec/variantLoader.js';
import type { Counterexample } from '../report/counterexample.js';
import { renderDot } from '../report/dot.js';
import { renderHtml } from '../report/html.js';
import { counterexampleToItf } from '../report/itf.js';
import { renderSvg } from '../report/svg.js';
import type { Plan, Verdict } from '../scenario/scenario.js';

export interface CheckOptions {
  /** Worker threads; 1 explores on the calling thread. */
  readonly workers?: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitSeconds?: number;
  readonly memoryBytes?: number;
  /** Where counterexample files go; `null` writes nothing. */
  readonly outDir?: string | null;
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
  /** Times each action family fired (enabled instances over explored states). */
  readonly coverage: Readonly<Record<string, number>>;
  readonly properties: readonly PropertyResult[];
}

export async function runScenario(plan: Plan, options: CheckOptions = {}): Promise<ScenarioResult> {
  const spec = { model: plan.factory.name, params: plan.params, ...(plan.controller ? { controller: plan.controller } : {}) };
  const model = (await loadModelAsync(spec)) as Model<unknown>;
  const safety = plan.check.filter((p) => p.kind !== 'liveness').map((p) => p.name);
  const liveness = options.noLiveness ? [] : plan.check.filter((p) => p.kind === 'liveness').map((p) => p.name);
  const workers = Math.max(1, options.workers ?? 1);
  // Workers import the variant already transpiled, so none of them loads TypeScript.
  const workerSpec = plan.controller ? { ...spec, controller: runnableVariantPath(plan.controller) } : spec;
  const pool = workers > 1 ? new WorkerPool(modelRef(workerSpec), workers) : undefined;
  let exploration: Exploration;
  try {
    exploration = await explore(model, {
      check: safety,
      // Liveness needs the whole state graph; safety alone may stop at the last violation.
      stopWhenAllViolated: liveness.length === 0,
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.timeLimitSeconds !== undefined ? { timeLimitSeconds: options.timeLimitSeconds } : {}),
      ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
      ...(pool ? { pool } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (e) {
    await pool?.close();
    if (e instanceof InputError) throw e;
    // A model that throws is the model author's input error: one line naming model and scenario.
    throw new InputError(`model '${plan.factory.name}' failed while exploring ${plan.name}: ${(e as Error)?.message ?? String(e)}`);
  }

  let live: Map<string, LivenessVerdict<unknown>>;
  try {
    live = liveness.length ? await livenessVerdicts(model, exploration, liveness, { ...options, ...(pool ? { pool } : {}) }) : new Map();
  } finally {
    await pool?.close();
  }
  const properties: PropertyResult[] = [];
  for (const p of plan.check) {
    const expectation = plan.expect.get(p.name);
    const expected = expectation?.verdict ?? 'holds';
    const base = { name: p.name, kind: p.kind, description: p.description, expected, ...(expectation?.traceLength !== undefined ? { expectedTraceLength: expectation.traceLength } : {}) };
    if (p.kind === 'liveness') {
      const lv = live.get(p.name);
      if (!lv) {
        properties.push({ ...base, verdict: 'unknown', matches: false, files: [], note: 'skipped (--no-liveness)' });
        continue;
      }
      if (lv.verdict !== 'violated' || !lv.lasso) {
        const note = lv.verdict === 'unknown' ? (lv.reason ?? `exploration stopped early (${exploration.stopReason})`) : undefined;
        properties.push({ ...base, verdict: lv.verdict, matches: lv.verdict === expected && expectation?.traceLength === undefined, files: [], ...(note ? { note } : {}) });
        continue;
      }
      const cx = lassoCounterexample(plan, model, p, lv.lasso);
      const length = cx.steps.length - 1;
      const files = options.outDir === null ? [] : await writeCounterexample(options.outDir ?? 'out', cx);
      const lengthOk = expectation?.traceLength === undefined || expectation.traceLength === length;
      properties.push({ ...base, verdict: 'violated', traceLength: length, matches: expected === 'violated' && lengthOk, counterexample: cx, files });
      continue;
    }
    const v = exploration.violations.get(p.name);
    if (!v) {
      const verdict: Verdict = exploration.complete ? 'holds' : 'unknown';
      const note = verdict === 'unknown' ? `exploration stopped early (${exploration.stopReason})` : undefined;
      properties.push({ ...base, verdict, matches: verdict === expected && expectation?.traceLength === undefined, files: [], ...(note ? { note } : {}) });
      continue;
    }
    const steps = rebuildTrace(model, exploration.store, v.stateId, v.action);
    const cx = toCounterexample(plan, model, p, steps);
    const files = options.outDir === null ? [] : await writeCounterexample(options.outDir ?? 'out', cx);
    const lengthOk = expectation?.traceLength === undefined || expectation.traceLength === v.traceLength;
    properties.push({ ...base, verdict: 'violated', traceLength: v.traceLength, matches: expected === 'violated' && lengthOk, counterexample: cx, files });
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
    coverage,
    properties,
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
  const left = options.timeLimitSeconds !== undefined ? options.timeLimitSeconds - exploration.seconds : Infinity;
  const timer = Number.isFinite(left)
    ? setTimeout(() => {
        why = 'time limit reached';
        stop.abort();
      }, Math.max(0, left * 1000))
    : undefined;
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

export function toCounterexample<S>(
  plan: Plan,
  model: Model<S>,
  property: { name: string; kind: PropertyKind; description: string },
  steps: readonly TraceStep<S>[],
  extra: Pick<Counterexample, 'loopBack' | 'stutter'> = {},
): Counterexample {
  return {
    scenario: plan.name,
    description: plan.description,
    model: plan.factory.name,
    ...(plan.controller ? { controller: variantReference(plan.controller) } : {}),
    params: plan.params,
    property: { name: property.name, kind: property.kind, description: property.description },
    steps: steps.map((s) => ({ action: s.action, view: model.view(s.state), vars: model.itf(s.state) })),
    ...extra,
  };
}

/** A liveness lasso as a counterexample: the prefix, then the loop back to a prefix state, or a stutter. */
function lassoCounterexample<S>(plan: Plan, model: Model<S>, property: { name: string; kind: PropertyKind; description: string }, lasso: Lasso<S>): Counterexample {
  if (isStutter(lasso)) {
    const stutter = lasso.stutter.disabled.map((d) => {
      const needs = model.conditions?.[d.failing[0] ?? ''];
      return { label: d.label, failing: d.failing, actor: model.actions[d.actionIndex]!.actor, ...(needs ? { needs } : {}) };
    });
    return toCounterexample(plan, model, property, lasso.prefix, { stutter });
  }
  return toCounterexample(plan, model, property, [...lasso.prefix, ...lasso.loop.steps], { loopBack: lasso.loop.backTo });
}

/** Writes `<out>/<scenario>/<property>.itf.json`, `.dot`, `.svg` and `.html`; returns the paths. */
export async function writeCounterexample(outDir: string, cx: Counterexample): Promise<string[]> {
  const dir = path.join(outDir, cx.scenario);
  fs.mkdirSync(dir, { recursive: true });
  const itf = path.join(dir, `${cx.property.name}.itf.json`);
  const dot = path.join(dir, `${cx.property.name}.dot`);
  fs.writeFileSync(itf, JSON.stringify(counterexampleToItf(cx), null, 2) + '\n');
  fs.writeFileSync(dot, renderDot(cx));
  const svg = path.join(dir, `${cx.property.name}.svg`);
  const html = path.join(dir, `${cx.property.name}.html`);
  const picture = await renderSvg(cx);
  fs.writeFileSync(svg, picture);
  fs.writeFileSync(html, renderHtml(cx, picture));
  return [itf, dot, svg, html];
}
