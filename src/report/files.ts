/**
 * The one module that writes counterexample files: for each counterexample, `<out>/<scenario>/
 * <property>` as ITF (`.itf.json`), DOT, SVG and a self-contained HTML viewer. The check returns
 * counterexamples as data; commands that keep them call this and print the paths it returns. A
 * file that cannot be written (an unwritable or misplaced `--out`) is bad input, not a bug.
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

/** Writes `<outDir>/<scenario>/<property>.itf.json`, `.dot`, `.svg` and `.html`; returns the paths, in that order. */
export async function writeCounterexample(outDir: string, cx: Counterexample): Promise<string[]> {
  const dir = path.join(outDir, cx.scenario);
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
 * Writes the counterexample of every violated property of `result` under `outDir`, and returns
 * the result with each property's `files` filled in (the result itself is left as it is).
 */
export async function writeCounterexampleFiles<R extends ScenarioResult>(result: R, outDir: string): Promise<R> {
  if (!result.properties.some((p) => p.counterexample)) return result;
  const properties = [];
  for (const p of result.properties) properties.push(p.counterexample ? { ...p, files: await writeCounterexample(outDir, p.counterexample) } : p);
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
