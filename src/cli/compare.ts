/** `stsmc compare`: two controllers, the same scenarios, a side-by-side table of verdicts. */
import path from 'node:path';
import type { Command } from 'commander';
import { compareResults, compareScenario, type ScenarioComparison } from '../compare/compare.js';
import { InputError } from '../input/errors.js';
import { printable, printableLines } from '../input/printable.js';
import { parseSetOptions } from '../input/params.js';
import { writeCounterexampleFiles } from '../report/files.js';
import { renderText } from '../report/text.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan } from '../scenario/scenario.js';
import { Exit, defaultScenarioFolder, outOption, workersOption } from './common.js';

interface CompareOptions {
  base: string;
  variant: string;
  set: string[];
  json?: boolean;
  workers?: string;
  out: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCompare(cli: Command): void {
  cli
    .command('compare')
    .description('compare two controllers (upstream or variants) on the same scenarios')
    .argument('[scenarios...]', 'scenario files or directories (default: the scenarios in specs/, or those shipped with stsmc, without a controller of their own)')
    .option('--base <variant>', 'the reference controller: upstream, a built-in variant name, or a module path', 'upstream')
    .requiredOption('--variant <variant>', 'the controller to compare: a built-in variant name (see specs/variants) or a module path')
    .option('--set <key=value>', 'override a parameter in every scenario (repeatable)', collect, [])
    .option('--json', 'print one JSON document on stdout')
    .option('--workers <n>', 'worker threads (default: number of cores)')
    .option('--out <dir>', "where the variant's counterexample files go: DIR/variant-<name>/<scenario>/", 'out')
    .action(async (files: string[], opts: CompareOptions) => {
      process.exitCode = await compareCommand(files, opts);
    });
}

async function compareCommand(files: string[], opts: CompareOptions): Promise<number> {
  outOption(opts.out);
  const set = parseSetOptions(opts.set);
  const fallback = files.length ? undefined : defaultScenarioFolder();
  const scenarioFiles = fallback ? findScenarioFiles(fallback.folder) : files.flatMap(findScenarioFiles);
  const loaded = scenarioFiles.map((f) => ({ f, file: loadScenarioFile(f) }));
  // By default only scenarios about the upstream controller: a variant's own scenario compares itself.
  const chosen = files.length ? loaded : loaded.filter(({ file }) => file.controller === undefined && file.model === 'statefulset');
  if (chosen.length === 0) throw new InputError('no scenarios to compare');
  if (fallback?.shipped) process.stderr.write(`stsmc: ${printable(`no specs/ here: comparing on the ${chosen.length} scenarios shipped with stsmc in ${fallback.folder}`)}\n`);
  const workers = workersOption(opts.workers);
  const comparisons: ScenarioComparison[] = [];
  for (const { f, file } of chosen) {
    const basePlan = resolvePlan(file, { set, controller: opts.base }, f);
    const variantPlan = resolvePlan({ ...file, name: `${file.name}.${variantName(opts.variant)}` }, { set, controller: opts.variant }, f);
    const c = await compareScenario(basePlan, variantPlan, { workers, noLiveness: false });
    // Every counterexample of the variant is written (the broken properties' are the ones printed),
    // where `check --controller` writes them: out/variant-<name>/<scenario>/, under the scenario's
    // own name (the plan's name carries the variant's only to tell the two sides apart in print).
    comparisons.push(compareResults(c.scenario, c.base, await writeCounterexampleFiles(c.variant, opts.out, file.name)));
  }
  process.stdout.write((opts.json ? json(opts, comparisons) : printableLines(text(opts, comparisons))) + '\n');
  return comparisons.some((c) => c.properties.some((p) => p.change === 'broken')) ? Exit.unexpected : Exit.ok;
}

function variantName(ref: string): string {
  return path.basename(ref).replace(/\.(ts|m?js)$/, '');
}

function text(opts: CompareOptions, cs: readonly ScenarioComparison[]): string {
  const base = variantName(opts.base);
  const variant = variantName(opts.variant);
  const rows: string[][] = [['scenario', 'property', base, variant, 'change']];
  for (const c of cs) {
    for (const p of c.properties) rows.push([c.scenario, p.name, p.base, p.variant, p.change === 'same' ? '' : p.change.toUpperCase()]);
  }
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  const table = rows.map((r) => r.map((cell, k) => cell.padEnd(widths[k]!)).join('  ').trimEnd());
  const states = cs.map((c) => `  ${c.scenario}: ${c.base.distinctStates.toLocaleString('en-US')} states with ${base}, ${c.variant.distinctStates.toLocaleString('en-US')} with ${variant}`);
  const broken = cs.flatMap((c) => c.properties.filter((p) => p.change === 'broken'));
  const fixed = cs.flatMap((c) => c.properties.filter((p) => p.change === 'fixed'));
  const traces = broken.map((p) => renderText(p.counterexample!.counterexample!) + (p.counterexample!.files.length ? `\n  written to ${p.counterexample!.files.join(', ')}` : ''));
  const verdict =
    broken.length === 0
      ? `${variant} keeps every property ${base} keeps${fixed.length ? ` and fixes ${fixed.length}` : ''}`
      : `${variant} breaks ${broken.length} propert${broken.length === 1 ? 'y' : 'ies'} that ${base} keeps${fixed.length ? `, fixes ${fixed.length}` : ''}`;
  return [`Comparing controller ${variant} against ${base}`, '', ...table, '', 'States explored:', ...states, ...traces.flatMap((t) => ['', t]), '', verdict].join('\n');
}

function json(opts: CompareOptions, cs: readonly ScenarioComparison[]): string {
  return JSON.stringify(
    {
      base: variantName(opts.base),
      variant: variantName(opts.variant),
      scenarios: cs.map((c) => ({
        scenario: c.scenario,
        base: { distinctStates: c.base.distinctStates, generatedStates: c.base.generatedStates, depth: c.base.depth, complete: c.base.complete },
        variant: { distinctStates: c.variant.distinctStates, generatedStates: c.variant.generatedStates, depth: c.variant.depth, complete: c.variant.complete },
        properties: c.properties.map((p) => ({
          name: p.name,
          base: p.base,
          variant: p.variant,
          change: p.change,
          traceLength: p.counterexample?.traceLength ?? null,
          files: p.counterexample?.files ?? [],
        })),
      })),
    },
    null,
    2,
  );
}
