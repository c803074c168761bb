/**
 * `stsmc`: argument parsing only. Each command registers itself from its own module (check.ts,
 * list.ts, ...); output lives in reporting.ts. Every failure a user can cause ends as one line on
 * stderr and exit code 2, never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../explorer/params.js';
import { registerCheck } from './check.js';
import { registerCompare } from './compare.js';
import { Exit } from './common.js';
import { registerList } from './list.js';
import { registerSimulate } from './simulate.js';
import { registerTrace } from './trace.js';
import { registerReplay } from './replay.js';

function program(): Command {
  const cli = new Command('stsmc')
    .description('An explicit-state model checker for Kubernetes StatefulSets')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run stsmc --help for usage)');
  registerCheck(cli);
  registerCompare(cli);
  registerList(cli);
  registerSimulate(cli);
  registerTrace(cli);
  registerReplay(cli);
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : Exit.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other parse error is bad input (already printed).
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) ? Exit.ok : Exit.badInput;
    }
    if (e instanceof InputError) {
      process.stderr.write(`stsmc: error: ${e.message}\n`);
      return Exit.badInput;
    }
    const err = e as Error;
    process.stderr.write(`stsmc: error: ${err?.message ?? String(e)}\n`);
    if (process.env.STSMC_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return Exit.badInput;
  }
}
