/**
 * Commands that run a user's controller variant module on the calling thread (`simulate`,
 * `replay`, `compare`, and `check`, which explores on worker threads already, see
 * `terminateAfterMs` in the explorer, but rebuilds counterexamples on its own thread) run on a
 * worker thread under a supervisor on the main thread, so that a variant that never returns (a
 * loop in a guard, an effect or its module's top level) can still be stopped by `--time-limit`,
 * Ctrl-C, SIGTERM or SIGHUP, and a timer a variant left behind cannot keep the process alive after
 * the command finished.
 *
 * The command itself runs unchanged on the worker: a stop signal is forwarded to it as the signal
 * would be (its own handlers print the statistics so far, exit code 3). Only when the worker does
 * not finish within `GRACE_MS` of the stop (it is stuck in the variant's code) does the supervisor
 * terminate it, and says so in one line: what the command had not printed yet is lost.
 */
import fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isBuiltinVariant } from '../spec/variantLoader.js';
import { Exit, MAX_TIME_LIMIT_SECONDS } from './common.js';

/**
 * How long a command may take to stop by itself after a stop signal or its time limit: `check`
 * gives its own worker threads a second, then reports, and a loaded machine (eight runs at once in
 * the tests) doubles that.
 */
export const GRACE_MS = 5000;

const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

interface Done {
  readonly done: number;
}

/**
 * Whether this invocation runs a user's variant module on the calling thread and so needs a
 * supervisor: a module (not `upstream` nor a shipped variant's name) named by `--controller`,
 * `--variant` or `--base`, or by the `controller:` line of a scenario file given. The built-in
 * model and the shipped variants run as before, without a thread's start-up (CLI tests run many).
 */
export function needsSupervisor(argv: readonly string[]): boolean {
  if (!isMainThread || process.env.STSMC_NO_SUPERVISOR) return false;
  const args = argv.slice(2);
  const command = args.find((a) => !a.startsWith('-'));
  if (command === undefined || !['simulate', 'replay', 'check', 'compare'].includes(command)) return false;
  const userModule = (ref: string | undefined) => ref !== undefined && ref !== 'upstream' && !isBuiltinVariant(ref);
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    for (const flag of ['--controller', '--variant', '--base']) {
      if (a === flag && userModule(args[k + 1])) return true;
      if (a.startsWith(`${flag}=`) && userModule(a.slice(flag.length + 1))) return true;
    }
    if (/\.ya?ml$/.test(a) && userModule(scenarioController(a))) return true;
  }
  return false;
}

/** The `controller:` a scenario file names at its top level, if it is a readable small file. */
function scenarioController(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > 1 << 20) return undefined;
    return /^controller:\s*['"]?([^'"\s#]+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** `--time-limit` as given, if it is a number (the command itself validates it and refuses the rest). */
function timeLimitOf(argv: readonly string[]): number | undefined {
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const v = a === '--time-limit' ? argv[k + 1] : a.startsWith('--time-limit=') ? a.slice('--time-limit='.length) : undefined;
    if (v === undefined) continue;
    const n = Number(v);
    if (Number.isFinite(n) && n > 0 && n <= MAX_TIME_LIMIT_SECONDS) return n;
  }
  return undefined;
}

/**
 * Runs `argv` on a worker thread (this module's worker side) and returns its exit code. Output goes
 * through Node's worker stdio, to this process's standard output and error.
 */
export function supervise(argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { argv: [...argv], tty: process.stderr.isTTY === true, columns: process.stderr.columns },
      // The command's own memory use is the explorer's business (shared buffers); no heap cap here.
    });
    let result: number | undefined;
    let ended = false;
    let stopping: StopSignal | 'timeLimit' | undefined;
    let killer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = () => {
      for (const sig of Object.keys(STOP_SIGNALS) as StopSignal[]) process.off(sig, onSignal);
      clearTimeout(deadline);
      clearTimeout(killer);
    };
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      cleanup();
      resolve(code);
    };
    /** The worker did not stop by itself: terminate it, one line, exit 3. */
    const forceStop = () => {
      const why = stopping === 'timeLimit' ? 'its time limit' : stopping;
      process.stderr.write(`stsmc: stopped: the command did not stop within ${GRACE_MS / 1000} s of ${why}: the controller variant's code it was running does not return (it may loop forever); what it had not printed is lost\n`);
      result = Exit.limit;
      void worker.terminate();
    };
    const stop = (why: StopSignal | 'timeLimit') => {
      if (ended) return;
      if (stopping !== undefined) {
        // A second signal: as in every command, stop at once.
        result = why === 'timeLimit' ? Exit.limit : STOP_SIGNALS[why];
        void worker.terminate();
        return;
      }
      stopping = why;
      // The command's own time limit fires on the worker when it is not stuck; a signal is forwarded.
      if (why !== 'timeLimit') worker.postMessage({ signal: why });
      killer = setTimeout(forceStop, GRACE_MS);
    };
    const onSignal = (sig: NodeJS.Signals) => stop(sig as StopSignal);
    for (const sig of Object.keys(STOP_SIGNALS) as StopSignal[]) process.on(sig, onSignal);
    // The command's own clock starts once its thread runs: so does this one.
    const limit = timeLimitOf(argv);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    worker.once('online', () => {
      if (limit !== undefined) deadline = setTimeout(() => stop('timeLimit'), limit * 1000);
    });
    worker.on('message', (m: Done) => {
      if (typeof m?.done !== 'number') return;
      result = m.done;
      // The command is over; a timer its variant left behind must not keep the process alive.
      setTimeout(() => void worker.terminate(), 200).unref();
    });
    worker.on('error', (e) => {
      process.stderr.write(`stsmc: error: ${e instanceof Error ? e.message : String(e)}\n`);
      end(Exit.internal);
    });
    // Exiting without a result: the command ended the thread itself (a second signal, an error
    // handler): its code stands.
    worker.on('exit', (code) => end(result ?? code));
  });
}

/** The worker side: run the command, with signals arriving as messages. */
async function workerMain(): Promise<void> {
  const data = workerData as { argv: string[]; tty: boolean; columns?: number };
  // The progress line is drawn in place on a terminal: the worker's stderr is a pipe to the main thread.
  if (data.tty) Object.assign(process.stderr, { isTTY: true, columns: data.columns });
  parentPort!.on('message', (m: { signal?: StopSignal }) => {
    const signal = m.signal;
    if (signal === undefined) return;
    // A signal that comes before the command has set up its handlers (it is still loading) waits
    // for them, as the supervisor's grace period does.
    const deliver = () => {
      if (process.listenerCount(signal) === 0) return false;
      process.emit(signal, signal);
      return true;
    };
    if (deliver()) return;
    const retry = setInterval(() => {
      if (deliver()) clearInterval(retry);
    }, 20);
    retry.unref();
  });
  parentPort!.unref();
  const { main } = await import('./main.js');
  const code = await main(data.argv);
  // Everything written so far reaches the main thread's streams before the result does.
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  await new Promise<void>((r) => process.stderr.write('', () => r()));
  parentPort!.postMessage({ done: code } satisfies Done);
}

if (!isMainThread && (workerData as { argv?: unknown })?.argv !== undefined && parentPort !== null) void workerMain();
