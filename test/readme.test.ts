/**
 * The README's claims against the repository as it is: the summary line of Quick start, the
 * scenario tables, the commands and flags its examples use, its links, and the parameter table.
 * A README that drifts from the code fails here, with what to fix; the fix is usually the README.
 * Cheap by design (no exploration): it loads scenarios with the project's own loader and asks the
 * built CLI (`npm test` builds first) for its commands' help.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAllScenarioFiles, loadScenarioFile, resolvePlan } from '../src/scenario/scenario.js';
import { isScriptedScenarioFile } from '../src/scenario/scripted.js';
import { outputFolder } from '../src/report/files.js';
import { PARAMETERS } from '../src/spec/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SPECS = path.join(ROOT, 'specs');

// ---- the README, parsed once --------------------------------------------------------------

/** Lines of the README with fenced code blocks marked, so that prose and code are told apart. */
const lines = README.split('\n');
const inFence: boolean[] = [];
{
  let open = false;
  for (const line of lines) {
    if (/^```/.test(line)) {
      inFence.push(true);
      open = !open;
    } else inFence.push(open);
  }
}

/** Fenced code blocks, as arrays of lines (fence lines excluded). */
const codeBlocks: string[][] = [];
{
  let current: string[] | undefined;
  for (const line of lines) {
    if (/^```/.test(line)) {
      if (current) {
        codeBlocks.push(current);
        current = undefined;
      } else current = [];
    } else current?.push(line);
  }
}

/** Inline code spans outside fenced blocks. */
const codeSpans = lines.flatMap((line, k) => (inFence[k] ? [] : [...line.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)));

/** The text of the section whose heading is `title` (any level), up to the next heading of that level or higher. */
function section(title: string): string {
  const start = lines.findIndex((l, k) => !inFence[k] && new RegExp(`^#+ ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`).test(l));
  if (start < 0) throw new Error(`README has no section '${title}'`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = start + 1;
  while (end < lines.length && !(!inFence[end] && /^#+ /.test(lines[end]!) && /^#+/.exec(lines[end]!)![0].length <= level)) end++;
  return lines.slice(start + 1, end).join('\n');
}

/** Markdown tables outside code blocks: header cells and rows of cells. */
function tables(text: string = README): { header: string[]; rows: string[][] }[] {
  const out: { header: string[]; rows: string[][] }[] = [];
  const cells = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const ls = text.split('\n');
  for (let k = 0; k < ls.length; k++) {
    if (!/^\|/.test(ls[k]!) || !/^\|[-| :]+\|$/.test(ls[k + 1]?.trim() ?? '')) continue;
    const header = cells(ls[k]!);
    const rows: string[][] = [];
    for (k += 2; k < ls.length && /^\|/.test(ls[k]!); k++) rows.push(cells(ls[k]!));
    out.push({ header, rows });
  }
  return out;
}

const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

// ---- the repository -----------------------------------------------------------------------

/** Every scenario file, as `stsmc check` with no argument finds them (specs/ recursively, scripted ones included). */
const scenarioFiles = findAllScenarioFiles(SPECS);
/** A scenario's names: its path below specs/ without the extension, and its file name alone. */
const relName = (f: string) => path.relative(SPECS, f).replace(/\.ya?ml$/, '').split(path.sep).join('/');
const scenarioNames = new Set(scenarioFiles.flatMap((f) => [relName(f), path.basename(f).replace(/\.ya?ml$/, '')]));
const topLevel = scenarioFiles.filter((f) => path.dirname(f) === SPECS).map((f) => path.basename(f).replace(/\.ya?ml$/, ''));

/**
 * A name as the README's tables write it: a full name, a glob (`attach/*`, `variant-*`), or a
 * suffix standing for the previous full name with its last parts replaced (`faults-converge-transient`
 * / `-permanent`; `rolling-update-partition`, `-partition-scale-up`). Returns the scenario names it
 * stands for, or a reason it names none.
 */
function expand(token: string, previous: string | undefined): { names: string[] } | { error: string } {
  if (token.endsWith('*')) {
    const prefix = token.slice(0, -1);
    const names = scenarioFiles.map(relName).filter((n) => n.startsWith(prefix));
    return names.length ? { names } : { error: `${token} matches no scenario file` };
  }
  if (token.startsWith('-')) {
    if (previous === undefined) return { error: `${token} continues no scenario name` };
    const parts = previous.split('-');
    for (let keep = parts.length; keep > 0; keep--) {
      const candidate = parts.slice(0, keep).join('-') + token;
      if (scenarioNames.has(candidate)) return { names: [candidate] };
    }
    return { error: `${token} (after ${previous}) names no scenario file` };
  }
  return scenarioNames.has(token) ? { names: [token] } : { error: `${token} is not a scenario file under specs/` };
}

/** Rows of the scenario tables (header `scenario`) whose first cell starts with a name. */
const scenarioRows = tables()
  .filter((t) => t.header[0] === 'scenario')
  .flatMap((t) => t.rows.filter((r) => r[0]!.startsWith('`')));

// ---- the claims ---------------------------------------------------------------------------

describe('README: Quick start', () => {
  const quick = section('Quick start');

  it('the summary line counts the scenarios and properties `stsmc check` checks', () => {
    const m = /^(\d+) scenarios, (\d+) properties: every verdict as expected$/m.exec(quick);
    expect(m, 'Quick start quotes the summary line of `npx stsmc check`').not.toBeNull();
    // As `stsmc check` counts them: every file under specs/ is one scenario; an explored one
    // checks its plan's properties, a scripted one (the conformance suite) is one row,
    // `Conformance` (checkScripted in src/conformance/runner.ts).
    let properties = 0;
    for (const f of scenarioFiles) properties += isScriptedScenarioFile(f) ? 1 : resolvePlan(loadScenarioFile(f), {}, f).check.length;
    expect({ scenarios: Number(m![1]), properties: Number(m![2]) }).toEqual({ scenarios: scenarioFiles.length, properties });
  });

  it('the rows of the quoted verdict table are what the scenarios expect', () => {
    const rows = quick.split('\n').filter((l) => /^[a-z0-9-]+\s+[A-Za-z]+\s+(holds|violated)/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [name, property, expected, maybeLength] = row.split(/\s+/);
      const file = scenarioFiles.find((f) => relName(f) === name);
      expect(file, `${name}: no such scenario`).toBeDefined();
      const plan = resolvePlan(loadScenarioFile(file!), {}, file!);
      expect(plan.check.map((p) => p.name), `${name} checks ${property}`).toContain(property);
      const e = plan.expect.get(property!);
      expect(e?.verdict ?? 'holds', `${name} ${property}`).toBe(expected);
      const length = /^\((\d+)\)$/.exec(maybeLength ?? '')?.[1];
      expect(e?.traceLength, `${name} ${property}: the trace length in parentheses is the scenario's`).toBe(length === undefined ? undefined : Number(length));
    }
  });
});

describe('README: scenarios', () => {
  it('every scenario named in a scenario table is a file under specs/, and every "(N scenarios)" is the count', () => {
    const problems: string[] = [];
    for (const row of scenarioRows) {
      let previous: string | undefined;
      for (const token of spans(row[0]!)) {
        const r = expand(token, previous);
        if ('error' in r) problems.push(r.error);
        else if (!token.startsWith('-') && !token.endsWith('*')) previous = token;
      }
      for (const m of row[0]!.matchAll(/`([^`]+\/)\*` \((\d+) scenarios\)/g)) {
        const count = scenarioFiles.filter((f) => relName(f).startsWith(m[1]!)).length;
        if (count !== Number(m[2])) problems.push(`${m[1]}* is said to hold ${m[2]} scenarios; specs/${m[1]} holds ${count}`);
      }
    }
    expect(scenarioRows.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('every top-level scenario is named somewhere in the README', () => {
    const named = new Set<string>(codeSpans);
    for (const row of scenarioRows) {
      let previous: string | undefined;
      for (const token of spans(row[0]!)) {
        const r = expand(token, previous);
        // A glob covers files without naming any: it does not count as naming them.
        if ('names' in r && !token.endsWith('*')) r.names.forEach((n) => named.add(n));
        if (!token.startsWith('-') && !token.endsWith('*')) previous = token;
      }
    }
    for (const m of README.matchAll(/specs\/([a-z0-9-]+)\.yaml/g)) named.add(m[1]!);
    expect(topLevel.filter((n) => !named.has(n))).toEqual([]);
  });

  it('the shipped controller variants: their count and their table are specs/variants/', () => {
    const shipped = fs.readdirSync(path.join(SPECS, 'variants')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const m = /(\w+) variants ship in \[`specs\/variants\/`\]/i.exec(README);
    expect(m, 'README says how many variants ship').not.toBeNull();
    expect(words.indexOf(m![1]!.toLowerCase())).toBe(shipped.length);
    const table = tables().find((t) => t.header[0] === 'variant');
    expect(table?.rows.map((r) => spans(r[0]!)[0]).sort()).toEqual(shipped);
  });
});

describe('README: commands and flags', () => {
  const bin = path.join(ROOT, 'bin', 'stsmc.js');
  /** Each subcommand's long options, from the built CLI's own help (so nothing is listed by hand). */
  const options = new Map<string, Set<string>>();
  const globalOptions = new Set<string>();
  const longOptions = (help: string) => new Set([...help.split(/\nCommands:\n/)[0]!.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));

  beforeAll(async () => {
    const run = promisify(execFile);
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: npm run build first (npm test does)');
    const root = (await run(process.execPath, [bin, '--help'])).stdout;
    for (const o of longOptions(root)) globalOptions.add(o);
    const commands = [...root.split(/\nCommands:\n/)[1]!.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    const helps = await Promise.all(commands.map((c) => run(process.execPath, [bin, c, '--help'])));
    commands.forEach((c, k) => options.set(c, longOptions(helps[k]!.stdout)));
  });

  /**
   * The stsmc command lines of the README with the subcommand each is for: fenced lines (an
   * indented line goes on with the command above it, as option lists and `\` continuations do;
   * any other line ends it) and inline code spans that start with `stsmc` or `npx stsmc`.
   */
  function commandLines(): { cmd: string | undefined; text: string; where: string }[] {
    const out: { cmd: string | undefined; text: string; where: string }[] = [];
    const subcommand = (line: string) => {
      const m = /\bstsmc((?:\s+-[-\w]+(?:\s+[^-\s]\S*)?)*?)\s+([a-z][a-z-]*)\b/.exec(line);
      return m ? { cmd: m[2]!, globals: m[1]!, rest: line.slice(m.index + m[0].length) } : undefined;
    };
    for (const block of codeBlocks) {
      let cmd: string | undefined;
      for (const line of block) {
        const s = subcommand(line);
        if (s) {
          cmd = s.cmd;
          out.push({ cmd, text: s.rest, where: line.trim() });
          if (s.globals.trim()) out.push({ cmd: undefined, text: s.globals, where: line.trim() });
        } else if (/^\s/.test(line) && cmd !== undefined) out.push({ cmd, text: line, where: line.trim() });
        else cmd = undefined;
      }
    }
    for (const span of codeSpans) {
      if (!/^(npx )?stsmc\s/.test(span)) continue;
      const s = subcommand(span);
      if (s) {
        out.push({ cmd: s.cmd, text: s.rest, where: span });
        if (s.globals.trim()) out.push({ cmd: undefined, text: s.globals, where: span });
      }
    }
    return out;
  }

  it('every `stsmc <subcommand>` in the README exists', () => {
    const used = new Set(commandLines().flatMap((l) => (l.cmd ? [l.cmd] : [])));
    expect(used.size).toBeGreaterThanOrEqual(5);
    expect([...used].filter((c) => !options.has(c))).toEqual([]);
  });

  it("every --flag of a README command line is one of that subcommand's options (or a global one)", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const l of commandLines()) {
      for (const m of l.text.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)) {
        const flag = m[1]!;
        checked++;
        const known = globalOptions.has(flag) || (l.cmd !== undefined && options.get(l.cmd)?.has(flag));
        if (!known) problems.push(`${flag}${l.cmd ? ` (stsmc ${l.cmd})` : ' (global)'} in: ${l.where}`);
      }
    }
    expect(checked, 'the README shows command lines with flags').toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('every --flag quoted on its own in the prose is an option of some subcommand', () => {
    // Flags of other programs the README quotes, and whose they are.
    const foreign = new Set(['--disable-force-detach-on-timeout' /* kube-controller-manager */]);
    const all = new Set([...globalOptions, ...[...options.values()].flatMap((s) => [...s])]);
    const quoted = codeSpans.filter((s) => /^--[a-z]/.test(s)).map((s) => /^--[a-z][a-z-]*/.exec(s)![0]);
    expect(quoted.length).toBeGreaterThan(10);
    expect([...new Set(quoted)].filter((f) => !all.has(f) && !foreign.has(f))).toEqual([]);
  });
});

describe('README: Output files', () => {
  it('the folders its table lists are the ones the file writer makes (src/report/files.ts)', () => {
    const table = tables(section('Output files')).find((t) => t.header[1] === 'folder');
    expect(table, 'Output files has a table of folders').toBeDefined();
    const listed = table!.rows.flatMap((r) => spans(r[1]!).filter((f) => f.endsWith('/')));
    const scenario = '<scenario>';
    const made = [
      outputFolder('out', { scenario }),
      outputFolder('out', { scenario, controller: '<NAME>' }),
      outputFolder('out', { scenario, simulate: true }),
      outputFolder('out', { scenario, controller: '<NAME>', simulate: true }),
      outputFolder('out', { scenario: `${scenario}.shard-K`, simulate: true }),
    ].map((f) => `${f}/`);
    expect([...listed].sort()).toEqual([...made].sort());
  });
});

describe('README: links', () => {
  it('every relative link resolves to a file or folder inside the repository', () => {
    const problems: string[] = [];
    let relative = 0;
    lines.forEach((line, k) => {
      if (inFence[k]) return;
      for (const m of line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith('#')) continue; // a URL or an anchor
        relative++;
        const file = path.resolve(ROOT, decodeURIComponent(target.replace(/#.*$/, '')));
        const inside = path.relative(ROOT, file);
        if (inside.startsWith('..') || path.isAbsolute(inside) || target.startsWith('/')) problems.push(`line ${k + 1}: ${target} points outside the repository`);
        else if (!fs.existsSync(file)) problems.push(`line ${k + 1}: ${target} does not exist`);
      }
    });
    expect(relative).toBeGreaterThan(3);
    expect(problems).toEqual([]);
  });
});

describe('README: the model', () => {
  it("the parameter table names exactly the model's parameters (src/spec/config.ts)", () => {
    const table = tables(section('The model')).find((t) => t.header[0] === 'parameter');
    expect(table, 'The model has a parameter table').toBeDefined();
    const named = table!.rows.flatMap((r) => spans(r[0]!));
    expect(named.filter((n, k) => named.indexOf(n) !== k), 'named twice').toEqual([]);
    expect([...named].sort()).toEqual(PARAMETERS.map((p) => p.name).sort());
  });
});
