/**
 * How large a file the tool reads (scenario, manifest, trace, steps file). Real ones are a few
 * kilobytes to a few megabytes; without a limit a 232 MB trace ran Node out of memory. The limit
 * is checked before reading; `stsmc --max-input-size SIZE <command>` raises it.
 */
import fs from 'node:fs';
import { InputError } from './errors.js';

export const DEFAULT_MAX_INPUT_BYTES = 32 * 2 ** 20;
let maxInputBytes = DEFAULT_MAX_INPUT_BYTES;

export function setMaxInputBytes(bytes: number): void {
  maxInputBytes = bytes;
}

const mib = (n: number) => (n < 2 ** 20 ? `${(n / 2 ** 10).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);

/**
 * Refuses a file above the limit with one line. A file that cannot be examined is left to the
 * caller's read, which reports it in its own words.
 */
export function checkInputSize(file: string, kind: string): void {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return;
    size = st.size;
  } catch {
    return;
  }
  if (size > maxInputBytes) {
    throw new InputError(`${file}: the ${kind} is ${mib(size)}, more than the input limit of ${mib(maxInputBytes)} (raise it with stsmc --max-input-size SIZE ...)`);
  }
}

/** Reads a file the user named, as text: one line naming it when it is too large or unreadable. */
export function readInputFile(file: string, kind: string): string {
  checkInputSize(file, kind);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${kind} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
