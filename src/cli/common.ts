/** What every command shares: exit codes, the version, and parsing of option values into checked numbers. */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { InputError } from '../input/errors.js';

/**
 * 0 as expected; 1 a verdict differs from its expectation; 2 bad input (one line, no stack);
 * 3 a limit stopped the search first; 4 an internal error, a bug in stsmc (see internalError.ts).
 */
export const Exit = { ok: 0, unexpected: 1, badInput: 2, limit: 3, internal: 4 } as const;

/** The package's version (read from package.json, two levels above both src/cli and dist/cli). */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();

/**
 * The scenarios shipped in the package (`files` in package.json includes `specs`), found beside the
 * installed module (two levels above both src/cli and dist/cli), not in the current folder: after
 * `npm install stsmc`, the current folder is the user's project.
 */
export const PACKAGED_SPECS: string = fileURLToPath(new URL('../../specs', import.meta.url));

/**
 * The folder a command without scenario arguments reads: `specs/` in the current folder when there
 * is one (a clone of stsmc, or a project with its own scenarios), else the scenarios shipped with
 * stsmc (`shipped`: the caller says so, since a run must not check files the user did not name
 * without telling which).
 */
export function defaultScenarioFolder(): { folder: string; shipped: boolean } {
  if (isDirectory('specs')) return { folder: 'specs', shipped: false };
  if (!isDirectory(PACKAGED_SPECS)) throw new InputError(`no specs/ folder here, and none shipped with stsmc (looked for ${PACKAGED_SPECS}): name scenario files or folders`);
  return { folder: PACKAGED_SPECS, shipped: true };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function parseCheckList(v: string): readonly string[] | 'all' | 'none' {
  const t = v.trim();
  if (t === 'all' || t === 'none') return t;
  const names = t.split(',').map((x) => x.trim()).filter(Boolean);
  if (names.length === 0) throw new InputError('--check needs property names, all or none');
  return names;
}

export function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InputError(`${flag} must be a positive integer, got '${v}'`);
  return Number(v);
}

/**
 * `--workers`: more threads than cores only add memory and contention (200 workers on a 50-state
 * model took 29 s and 2.4 GB), so at most four per core.
 */
export function workersOption(v: string | undefined): number {
  const cores = os.availableParallelism();
  if (v === undefined) return cores;
  const n = positiveInt('--workers', v);
  if (n > 4 * cores) throw new InputError(`--workers must be at most ${4 * cores} (four per core; this machine has ${cores}), got ${n}`);
  return n;
}

export function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${flag} must be a positive number, got '${v}'`);
  return n;
}

/** The longest timer Node keeps (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIME_LIMIT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * `--time-limit SECONDS`: positive, and within what a timer can wait (`1e300` used to stop the run
 * after a millisecond, with Node's two-line overflow warning).
 */
export function timeLimitOption(v: string): number {
  const n = positiveNumber('--time-limit', v);
  if (n > MAX_TIME_LIMIT_SECONDS) throw new InputError(`--time-limit must be at most ${MAX_TIME_LIMIT_SECONDS} seconds (about 24 days), got '${v}'`);
  return n;
}

/** `512M`, `2G`, `1.5GiB` or a number of bytes. */
export function parseSize(v: string, flag = '--memory', min = 2 ** 20): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(v);
  if (!m) throw new InputError(`${flag} must be a size such as 512M or 2G, got '${v}'`);
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes < min) throw new InputError(`${flag} must be at least ${min >= 2 ** 20 ? `${min / 2 ** 20}M` : `${min / 2 ** 10}K`}, got '${v}'`);
  return bytes;
}

/**
 * `--out`, checked before anything runs: a run must not explore for minutes and then fail to write.
 * Empty is refused (it would mean the current folder); an existing path must be a directory.
 */
export function outOption(v: string): string {
  if (v.trim() === '') throw new InputError("--out must name a folder, got ''");
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(v);
  } catch {
    st = undefined; // created when the first counterexample is written
  }
  if (st !== undefined && !st.isDirectory()) throw new InputError(`--out ${v} exists and is not a folder`);
  return v;
}

/**
 * Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) all ask a run to stop and report what it
 * found: `stop` is called on the first of them; a second one exits at once (128 + the signal).
 * Returns the function that removes the handlers.
 */
export function onStopSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(codes[signal] ?? 130);
    stopping = true;
    stop(signal);
  };
  const signals = Object.keys(codes) as NodeJS.Signals[];
  for (const sig of signals) process.on(sig, handler);
  return () => {
    for (const sig of signals) process.off(sig, handler);
  };
}

/** `--symmetry nodes|none`. */
export function symmetryOption(v: string): 'nodes' | 'none' {
  if (v === 'nodes' || v === 'none') return v;
  throw new InputError(`--symmetry must be nodes or none, got '${v}'`);
}

/** Writes `text` to `file` through a temporary name, so that no reader sees half a file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, file);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}
