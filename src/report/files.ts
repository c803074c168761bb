/**
 * The one module that writes counterexample files: for each counterexample, `<property>` as ITF
 * (`.itf.json`), DOT, SVG and a self-contained HTML viewer, in the run's folder under the output
 * root (see `outputFolder`). The check returns counterexamples as data; commands that keep them
 * call this and print the paths it returns. A file that cannot be written (an unwritable or
 * misplaced `--out`) is bad input, not a bug.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Counterexample } from '../check/counterexample.js';
import type { ScenarioResult } from '../check/runScenario.js';
import { InputError } from '../input/errors.js';
import { renderDot } from './dot.js';
import { renderHtml } from './html.js';
import { counterexampleToItf } from './itf.js';
import { renderSvg } from './svg.js';

/** What decides a run's output folder. */
export interface OutputRun {
  /** The scenario's name (a manifest's hazard run: its own name, such as `web-force-delete`). */
  readonly scenario: string;
  /** The controller: `upstream` or absent, a built-in variant's name, or a variant module's path. */
  readonly controller?: string | undefined;
  /** A `simulate` run (random walks), whose traces are not the shortest ones `check` finds. */
  readonly simulate?: boolean;
}

/**
 * The folder a run's counterexample files go to, under the output root (`out`, or `--out DIR`):
 * one per kind of run, so that a variant's or a simulation's traces never overwrite those of the
 * plain check of the same scenario (they used to: all wrote `out/<scenario>/`).
 *
 *   <root>/<scenario>/                                  check, upstream controller
 *   <root>/variant-<name>/<scenario>/                   check or compare with a controller variant
 *   <root>/simulate/<scenario>/                         simulate
 *   <root>/simulate/variant-<name>/<scenario>/          simulate with a controller variant
 *
 * A variant module is named by its file name without the extension (`fix.ts`: `variant-fix`).
 */
export function outputFolder(root: string, run: OutputRun): string {
  const parts = [root];
  if (run.simulate) parts.push('simulate');
  if (run.controller !== undefined && run.controller !== 'upstream') parts.push(`variant-${path.basename(run.controller).replace(/\.(ts|m?js)$/, '')}`);
  parts.push(run.scenario);
  return path.join(...parts);
}

/** Writes `<dir>/<property>.itf.json`, `.dot`, `.svg` and `.html` (`dir` from `outputFolder`); returns the paths, in that order. */
export async function writeCounterexample(dir: string, cx: Counterexample): Promise<string[]> {
  const base = path.join(dir, cx.property.name);
  const itf = `${base}.itf.json`;
  const dot = `${base}.dot`;
  const svg = `${base}.svg`;
  const html = `${base}.html`;
  // Everything is rendered first, so that only writing is the user's business.
  const picture = await renderSvg(cx);
  const contents: [string, string][] = [
    [itf, JSON.stringify(counterexampleToItf(cx), null, 2) + '\n'],
    [dot, renderDot(cx)],
    [svg, picture],
    [html, renderHtml(cx, picture)],
  ];
  attempt(dir, () => fs.mkdirSync(dir, { recursive: true }));
  // Each file under a temporary name first, then all renamed: a run killed or failing mid-way
  // leaves no torn file, and a reader never sees half of one.
  const temporary = contents.map(([file, text]) => {
    const tmp = `${file}.${process.pid}.tmp`;
    attempt(file, () => fs.writeFileSync(tmp, text));
    return [tmp, file] as const;
  });
  for (const [tmp, file] of temporary) attempt(file, () => fs.renameSync(tmp, file));
  return contents.map(([file]) => file);
}

/**
 * Writes the counterexample of every violated property of a checked `result` in its folder under
 * `root` (`outputFolder`: the scenario's, or its variant's), and returns the result with each
 * property's `files` filled in (the result itself is left as it is). `scenario` names the folder
 * when the result's own name is not the scenario's (compare's variant side).
 */
export async function writeCounterexampleFiles<R extends ScenarioResult>(result: R, root: string, scenario: string = result.scenario): Promise<R> {
  if (!result.properties.some((p) => p.counterexample)) return result;
  const dir = outputFolder(root, { scenario, controller: result.controller });
  const properties = [];
  for (const p of result.properties) properties.push(p.counterexample ? { ...p, files: await writeCounterexample(dir, p.counterexample) } : p);
  return { ...result, properties } as R;
}

function attempt(file: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    // Node's message ends with the call and the path (`EACCES: permission denied, open 'x'`): the path is named already.
    const reason = e instanceof Error ? e.message.replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '') : String(e);
    throw new InputError(`cannot write ${file}: ${reason}`, { cause: e });
  }
}
