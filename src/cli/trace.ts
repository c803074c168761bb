/**
 * `stsmc trace FILE.itf.json --format text|dot|svg|html [-o FILE]`: renders a saved counterexample
 * again, without re-running the check, so traces can be shared and looked at later. The trace is
 * rebuilt through its model's own state decoding (the model named in its `#meta`), so it renders
 * exactly as the original run did.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Counterexample } from '../check/counterexample.js';
import { InputError } from '../input/errors.js';
import { errorMessage, printableLines } from '../input/printable.js';
import { loadModel } from '../registry.js';
import { counterexampleFromItf, readItfHeader } from '../replay/itf.js';
import { readTraceJson } from '../replay/trace.js';
import { renderDot } from '../report/dot.js';
import { renderHtml } from '../report/html.js';
import { renderSvg } from '../report/svg.js';
import { renderText } from '../report/text.js';
import type { ActorOf } from '../report/viewerData.js';
import { Exit } from './common.js';

export const TRACE_FORMATS = ['text', 'dot', 'svg', 'html'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceCommandOptions {
  format: string;
  output?: string;
}

/** Reads and rebuilds a saved trace; every way it can be wrong is one input error naming the file. */
export function readTrace(file: string): { cx: Counterexample; actorOf: ActorOf } {
  const doc = readTraceJson(file);
  try {
    const header = readItfHeader(doc);
    const model = loadModel({ model: header.model, params: header.params });
    const byLabel = new Map(model.actions.map((a) => [a.label, a.actor]));
    return { cx: counterexampleFromItf(doc, model), actorOf: (label) => byLabel.get(label) };
  } catch (e) {
    // A model's decoding may fail on data it never wrote with something other than an InputError.
    throw new InputError(`${file}: ${errorMessage(e)}`);
  }
}

export async function renderTrace(cx: Counterexample, format: TraceFormat, actorOf: ActorOf): Promise<string> {
  switch (format) {
    case 'text':
      return renderText(cx) + '\n';
    case 'dot':
      return renderDot(cx);
    case 'svg':
      return renderSvg(cx, actorOf);
    case 'html':
      return renderHtml(cx, await renderSvg(cx, actorOf), actorOf);
  }
}

export async function traceCommand(file: string, opts: TraceCommandOptions): Promise<number> {
  const format = opts.format as TraceFormat;
  if (!TRACE_FORMATS.includes(format)) throw new InputError(`--format must be one of ${TRACE_FORMATS.join(', ')}, got '${opts.format}'`);
  const { cx, actorOf } = readTrace(file);
  const out = await renderTrace(cx, format, actorOf);
  if (opts.output === undefined || opts.output === '-') {
    // On the terminal, no control character from the file's free text acts on it.
    process.stdout.write(printableLines(out));
  } else {
    try {
      fs.mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
      fs.writeFileSync(opts.output, out);
    } catch (e) {
      throw new InputError(`cannot write ${opts.output}: ${(e as Error).message}`);
    }
    process.stderr.write(`written to ${opts.output}\n`);
  }
  return Exit.ok;
}

export function registerTrace(cli: Command): void {
  cli
    .command('trace')
    .description('render a saved counterexample (.itf.json) again, as text, DOT, SVG or a self-contained HTML viewer')
    .argument('<file>', 'an .itf.json trace written by stsmc check')
    .option('--format <format>', `output format: ${TRACE_FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (file: string, opts: TraceCommandOptions) => {
      process.exitCode = await traceCommand(file, opts);
    });
}
