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

/**
 * Standard input as text (`--manifest -`, for `kubectl get sts -o yaml | stsmc check --manifest -`),
 * read up to the input limit: one line when it is larger or cannot be read.
 */
export function readStandardInput(kind: string): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking pipe with nothing in it yet: wait for the writer.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw new InputError(`cannot read the ${kind} from standard input: ${code ?? (e as Error).message}`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxInputBytes) throw new InputError(`standard input: the ${kind} is more than the input limit of ${mib(maxInputBytes)} (raise it with stsmc --max-input-size SIZE ...)`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
