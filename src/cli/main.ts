/**
 * `stsmc`: argument parsing only. Commands live in commands.ts, output in reporting.ts. Every
 * failure a user can cause ends as one line on stderr and exit code 2, never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../explorer/params.js';
import { checkCommand, Exit, listCommand } from './commands.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function program(): Command {
  const cli = new Command('stsmc')
    .description('An explicit-state model checker for Kubernetes StatefulSets')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run stsmc --help for usage)');

  cli
    .command('check')
    .description('check scenarios (default: every scenario in specs/) or an ad-hoc model configuration')
    .argument('[files...]', 'scenario files or directories')
    .option('--model <name>', 'check an ad-hoc configuration of this model instead of scenario files')
    .option('--set <key=value>', 'override a parameter (repeatable; lists comma separated, all/none)', collect, [])
    .option('--check <properties>', 'comma-separated properties to check, or all, or none (explore only)')
    .option('--json', 'print one JSON document on stdout')
    .option('--workers <n>', 'worker threads (default: number of cores)')
    .option('--max-states <n>', 'stop after this many distinct states (exit code 3)')
    .option('--max-depth <n>', 'explore at most this depth (exit code 3 if verdicts remain open)')
    .option('--time-limit <seconds>', 'stop after this long (exit code 3)')
    .option('--memory <size>', 'memory budget for the state tables, e.g. 2G (default: 60% of free memory)')
    .option('--out <dir>', 'where counterexample files go', 'out')
    .option('--coverage', 'print per-action coverage and the fingerprint collision estimate')
    .option('--quiet', 'no progress display')
    .addOption(new Option('--no-liveness', 'skip liveness properties'))
    .action(async (files: string[], opts) => {
      process.exitCode = await checkCommand(files, opts);
    });

  cli
    .command('list')
    .description('list the models, their parameters and their properties')
    .action(() => {
      process.exitCode = listCommand();
    });
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : Exit.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other parse error is bad input (already printed).
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? Exit.ok : Exit.badInput;
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
