/** `stsmc list`: the models, their parameters and their properties. */
import type { Command } from 'commander';
import { FACTORIES } from '../registry.js';
import { Exit } from './common.js';
import { modelList } from './reporting.js';

export function registerList(cli: Command): void {
  cli
    .command('list')
    .description('list the models, their parameters and their properties')
    .action(() => {
      process.stdout.write(modelList(FACTORIES));
      process.exitCode = Exit.ok;
    });
}
