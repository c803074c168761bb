/** `stsmc merge FILES...`: the shards of a swarm (`stsmc simulate --shard K/N`), combined. */
import type { Command } from 'commander';
import { InputError } from '../input/errors.js';
import { readInputFile } from '../input/files.js';
import { printableLines } from '../input/printable.js';
import { asShardResult, mergedText, mergeShards } from '../swarm/swarm.js';
import { Exit } from './common.js';

export function registerMerge(cli: Command): void {
  cli
    .command('merge')
    .description('combine the results of the shards of a swarm (stsmc simulate --shard K/N), or of earlier merges')
    .argument('<files...>', 'shard result files (OUT/<scenario>.shard-K-of-N.json)')
    .option('--json', 'print one JSON document on stdout')
    .action((files: string[], opts: { json?: boolean }) => {
      process.exitCode = mergeCommand(files, opts);
    });
}

function mergeCommand(files: string[], opts: { json?: boolean }): number {
  const parts = files.map((file) => {
    const text = readInputFile(file, 'shard result');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${file}: not JSON (${(e as Error).message})`);
    }
    return { file, result: asShardResult(doc, file) };
  });
  const merged = mergeShards(parts);
  process.stdout.write((opts.json ? JSON.stringify(merged, null, 2) : printableLines(mergedText(merged))) + '\n');
  return merged.violations.some((v) => !v.expected) ? Exit.unexpected : Exit.ok;
}
