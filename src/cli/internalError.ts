/**
 * What `stsmc` does with an exception that is neither bad input (`InputError`) nor a command-line
 * parse error: that is a bug in stsmc. The user gets one line on stderr saying so; the details a
 * bug report needs (stack trace, argv, Node and stsmc versions) go to a file in the OS temp dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERSION } from './common.js';

export interface InternalErrorOptions {
  /** Where the details file goes (default: the OS temp dir). */
  readonly dir?: string;
  readonly now?: Date;
  readonly pid?: number;
}

/**
 * Writes the details of internal error `e` to `stsmc-internal-error-<timestamp>-<pid>.log` and
 * returns the one line to print (without its newline). If the file cannot be written, the line
 * says so instead of naming it.
 */
export function reportInternalError(e: unknown, argv: readonly string[], options: InternalErrorOptions = {}): string {
  const now = options.now ?? new Date();
  const pid = options.pid ?? process.pid;
  const stamp = now.toISOString().replace(/[-:]/g, ''); // 20250102T030405.678Z
  const file = path.join(options.dir ?? os.tmpdir(), `stsmc-internal-error-${stamp}-${pid}.log`);
  const head = `stsmc: internal error (a bug in stsmc, please report it): ${oneLine(messageOf(e))}`;
  try {
    writeAtomically(file, details(e, argv, now));
    return `${head}; details written to ${file}`;
  } catch (w) {
    return `${head}; the details could not be written to ${file} (${oneLine(messageOf(w))}): run again with STSMC_DEBUG=1 to see the stack`;
  }
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return `a non-Error value was thrown: ${safeString(e)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function details(e: unknown, argv: readonly string[], now: Date): string {
  const lines = [
    'stsmc internal error: this is a bug in stsmc. Please attach this file to a bug report.',
    '',
    `time: ${now.toISOString()}`,
    `stsmc version: ${VERSION}`,
    `node version: ${process.version} (${process.platform} ${process.arch})`,
    `argv: ${JSON.stringify(argv)}`,
    `cwd: ${process.cwd()}`,
    '',
  ];
  // The error and its causes, each with its stack.
  let cur: unknown = e;
  for (let depth = 0; depth < 8 && cur !== undefined; depth++) {
    if (depth > 0) lines.push('', 'caused by:');
    if (cur instanceof Error) lines.push(cur.stack ?? `${cur.name}: ${cur.message} (no stack)`);
    else lines.push(`${messageOf(cur)} (no stack)`);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return lines.join('\n') + '\n';
}

/** Temp file next to the target, then rename: a reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, text, { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}
