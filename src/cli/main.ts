/**
 * `stsmc`: argument parsing only. Each command registers itself from its own module (check.ts,
 * list.ts, ...); output lives in reporting.ts. Every failure a user can cause (an `InputError` or a
 * command-line parse error) ends as one line on stderr and exit code 2, never a stack trace. Any
 * other exception is a bug in stsmc: one line saying so and naming the file that holds the details
 * (internalError.ts), exit code 4.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../input/errors.js';
import { errorMessage, printable, printableLines } from '../input/printable.js';
import { variantInStack } from '../registry.js';
import { registerCheck } from './check.js';
import { registerCompare } from './compare.js';
import { setMaxInputBytes } from '../input/files.js';
import { Exit, parseSize, VERSION } from './common.js';
import { reportInternalError } from './internalError.js';
import { needsSupervisor, supervise } from './isolated.js';
import { registerList } from './list.js';
import { registerMerge } from './merge.js';
import { registerSimulate } from './simulate.js';
import { registerTrace } from './trace.js';
import { registerReplay } from './replay.js';

function program(): Command {
  const cli = new Command('stsmc')
    .description('An explicit-state model checker for Kubernetes StatefulSets')
    .version(VERSION)
    .exitOverride()
    // Commander's own messages repeat what the user typed: no control character reaches the terminal.
    .configureOutput({ writeErr: (text) => process.stderr.write(printableLines(text)) })
    .showHelpAfterError('(run stsmc --help for usage)')
    .option('--max-input-size <size>', 'largest scenario, manifest or trace file to read, e.g. 100M', '32M')
    .hook('preAction', (root) => {
      setMaxInputBytes(parseSize(String(root.opts().maxInputSize), '--max-input-size', 2 ** 10));
    });
  registerCheck(cli);
  registerCompare(cli);
  registerList(cli);
  registerSimulate(cli);
  registerMerge(cli);
  registerTrace(cli);
  registerReplay(cli);
  return cli;
}

/**
 * Standard output that cannot be written (a closed pipe, `> /dev/full`) ends the run with one line
 * on stderr, not an unhandled 'error' event and its stack trace. A reader that went away (EPIPE,
 * `stsmc list | head -1`) is not an error: the run stops quietly with code 0.
 */
function guardStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(Exit.ok);
    try {
      process.stderr.write(`stsmc: error: cannot write to standard output: ${e.code ?? e.message}\n`);
    } finally {
      process.exit(Exit.badInput);
    }
  });
}

/**
 * An exception no call of stsmc's caught: thrown from a timer or a callback, or a promise nobody
 * awaited. When its stack runs in a controller variant's module, the variant did it: one line naming
 * it, exit code 2 (it used to end the run with Node's stack trace). Anything else is a bug of stsmc
 * (exit code 4). Either way the run cannot go on: whatever was in progress is in an unknown state.
 */
function guardStrayExceptions(argv: string[]): void {
  if (process.listenerCount('uncaughtException') > 0) return;
  const stray = (e: unknown) => {
    let stack = '';
    try {
      stack = String((e as Error)?.stack ?? '');
    } catch {
      stack = '';
    }
    const variant = variantInStack(stack);
    try {
      if (variant !== undefined) {
        process.stderr.write(`stsmc: error: ${printable(`controller variant '${variant}' threw outside any action it was asked to run (from a timer or a callback): ${errorMessage(e)}`)}\n`);
      } else {
        process.stderr.write(`${printable(reportInternalError(e, argv))}\n`);
      }
    } finally {
      process.exit(variant !== undefined ? Exit.badInput : Exit.internal);
    }
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
}

export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  guardStdout();
  // Variant code on the calling thread: run the command on a worker thread that can be stopped.
  if (needsSupervisor(argv)) return supervise(argv);
  guardStrayExceptions(argv);
  // Deeper stacks for the internal-error details file (the default 10 frames end inside commander).
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 50);
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : Exit.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other parse error is bad input (already printed).
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) ? Exit.ok : Exit.badInput;
    }
    if (e instanceof InputError) {
      // Messages quote names from files and arguments: escaped, so the line is one line and no
      // escape sequence in a name reaches the terminal.
      process.stderr.write(`stsmc: error: ${printable(e.message)}\n`);
      return Exit.badInput;
    }
    // Anything else is a bug, not bad input. (An error thrown in a worker thread comes back from
    // piscina as a plain Error, an InputError too: a command that runs user code (a controller
    // variant) on workers must classify it before it gets here, as runScenario does.)
    process.stderr.write(`${printable(reportInternalError(e, argv))}\n`);
    if (process.env.STSMC_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return Exit.internal;
  }
}
