import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { counterexampleToItf } from '../../src/report/itf.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

// Files the tool reads are data: they never run code the user did not name on the command line.
// Hostile fixtures are written here, in a temporary folder; each case runs the real CLI.
const bin = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-security-'));

function stsmc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(rel: string, text: string): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A variant that leaves a mark on disk when its module is evaluated: proof that it ran. */
function markingVariant(rel: string, mark: string): string {
  return write(
    rel,
    `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(mark)}, 'ran');\n` +
      `export default { name: 'marker', description: 'leaves a mark', controller(api, upstream) { return upstream; } };\n`,
  );
}

const scenario = (controller: string) =>
  `name: marked\nmodel: statefulset\ncontroller: ${JSON.stringify(controller)}\nparams: { R: 1, budget: 0 }\ncheck: [AtMostOne]\nexpect: {}\n`;

/** npm test keeps its two-minute budget: these slower cases run in the long suite (STSMC_LONG) only. */
const longOnly = process.env.STSMC_LONG ? it : it.skip;

describe('a scenario may run only a built-in variant or a module in its own folder tree', () => {
  it('a module outside the scenario folder is refused with one line, and never runs', () => {
    const mark = path.join(tmp, 'outside.ran');
    const module = markingVariant('elsewhere/evil.mjs', mark);
    const file = write('scenarios/evil.yaml', scenario(module));
    const r = stsmc(['check', file, '--quiet', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/evil\.yaml: controller .* is outside the scenario's folder.*--controller/)]);
    expect(fs.existsSync(mark)).toBe(false);
    // A relative path that climbs out is refused the same way.
    const climbing = write('scenarios/climb.yaml', scenario('../elsewhere/evil.mjs'));
    expect(stsmc(['check', climbing, '--quiet', '--workers', '1']).code).toBe(2);
    expect(fs.existsSync(mark)).toBe(false);
  });

  it('a module inside it runs, and the run says which module it loads', () => {
    const mark = path.join(tmp, 'inside.ran');
    markingVariant('mine/variants/ok.mjs', mark);
    const file = write('mine/ok.yaml', scenario('variants/ok.mjs'));
    const r = stsmc(['check', file, '--quiet', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/ok\.yaml: runs the controller variant module .*variants\/ok\.mjs, named by the scenario/);
    expect(fs.existsSync(mark)).toBe(true);
  });

  it('the same module named on the command line needs no permission from the scenario', () => {
    const mark = path.join(tmp, 'cli.ran');
    const module = markingVariant('elsewhere/chosen.mjs', mark);
    const r = stsmc(['check', 'specs/ordered-deployment.yaml', '--controller', module, '--quiet', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(mark)).toBe(true);
  });
});

describe('a trace never imports the module it names', () => {
  it('replay --from refuses a trace recorded with a variant module unless --controller names it', () => {
    const out = path.join(tmp, 'out');
    const r = stsmc(['check', 'specs/parallel-creation.yaml', '--out', out, '--quiet', '--workers', '1']);
    expect(r.code).toBe(0);
    const itf = path.join(out, 'parallel-creation', 'OrderedCreation.itf.json');
    const trace = JSON.parse(fs.readFileSync(itf, 'utf8'));
    const mark = path.join(tmp, 'trace.ran');
    const module = markingVariant('elsewhere/from-trace.mjs', mark);
    trace['#meta'].controller = module;
    const hostile = write('hostile.itf.json', JSON.stringify(trace));
    const refused = stsmc(['replay', '--from', hostile]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/hostile\.itf\.json was recorded with the controller variant .*from-trace\.mjs: replaying it runs that module's code, so name it yourself with --controller/)]);
    expect(fs.existsSync(mark)).toBe(false);
  });
});

describe('compiled variants are cached where only the user can write', () => {
  const variant = write(
    'cached/v.ts',
    `const variant = { name: 'v', description: 'upstream as it is', controller(_api: unknown, upstream: readonly unknown[]) { return upstream; } };\nexport default variant;\n`,
  );

  longOnly('a planted or altered cache entry is never imported', () => {
    const tmpdir = fs.mkdtempSync(path.join(tmp, 'tmpdir-'));
    const first = stsmc(['check', 'specs/ordered-deployment.yaml', '--controller', variant, '--quiet', '--workers', '1'], { TMPDIR: tmpdir });
    expect(first.code).toBe(0);
    const uid = process.getuid!();
    const dir = path.join(tmpdir, `stsmc-variants-${uid}`);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const [entry] = fs.readdirSync(dir);
    expect(entry).toMatch(/^v-[0-9a-f]{24}-[0-9a-f]{24}\.mjs$/);
    // Someone rewrites the entry: its content no longer matches its name, so it is compiled again.
    const mark = path.join(tmp, 'planted.ran');
    fs.writeFileSync(path.join(dir, entry!), `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(mark)}, 'ran'); export default { name: 'x', description: '', controller: (a, u) => u };\n`);
    const again = stsmc(['check', 'specs/ordered-deployment.yaml', '--controller', variant, '--quiet', '--workers', '2'], { TMPDIR: tmpdir });
    expect(again.code).toBe(0);
    expect(fs.existsSync(mark)).toBe(false);
  });

  longOnly('a cache folder others can write to is refused with one line', () => {
    const tmpdir = fs.mkdtempSync(path.join(tmp, 'shared-'));
    const dir = path.join(tmpdir, `stsmc-variants-${process.getuid!()}`);
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    const r = stsmc(['check', 'specs/ordered-deployment.yaml', '--controller', variant, '--quiet', '--workers', '1'], { TMPDIR: tmpdir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/refusing the variant cache .*: it must be a directory owned by you that only you can access \(mode 700\)/)]);
  });
});

describe('limits and output problems are one line, before any work', () => {
  const oneLine = (r: ReturnType<typeof stsmc>, code: number, message: RegExp) => {
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  };

  longOnly('--out empty or a file, --workers beyond four per core, __proto__ as a parameter, two scenarios with one name', () => {
    oneLine(stsmc(['check', '--model', 'statefulset', '--out', '']), 2, /--out must name a folder, got ''/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--out', 'README.md']), 2, /--out README\.md exists and is not a folder/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--workers', '1000']), 2, /--workers must be at most \d+ \(four per core/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--set', '__proto__=1']), 2, /unknown parameter '__proto__'/);
    const yaml = write('proto.yaml', 'name: proto\nmodel: statefulset\nparams: { __proto__: { R: 9 } }\nexpect: {}\n');
    oneLine(stsmc(['check', yaml, '--quiet']), 2, /unknown parameter '__proto__'|__proto__/);
    const twin = write('twin/a.yaml', fs.readFileSync('specs/ordered-deployment.yaml', 'utf8'));
    oneLine(stsmc(['check', 'specs/ordered-deployment.yaml', twin, '--quiet']), 2, /two scenarios are named 'ordered-deployment' \(specs\/ordered-deployment\.yaml and .*twin\/a\.yaml\)/);
  });

  longOnly('standard output that cannot be written: one line (ENOSPC), or quietly 0 when the reader left (EPIPE)', () => {
    const full = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" list > /dev/full`], { encoding: 'utf8' });
    expect(full.status).toBe(2);
    expect(full.stderr.trim().split('\n')).toEqual(['stsmc: error: cannot write to standard output: ENOSPC']);
    const pipe = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" list | head -c 1 >/dev/null; exit \${PIPESTATUS:-0}`], { encoding: 'utf8' });
    expect(pipe.stderr).toBe('');
  });
});

describe('input limits', () => {
  it('a file above --max-input-size is refused before it is read; the limit can be raised', () => {
    const file = write('sized.yaml', fs.readFileSync('specs/ordered-deployment.yaml', 'utf8') + `# ${'x'.repeat(2048)}\n`);
    const r = stsmc(['--max-input-size', '1K', 'check', file, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/sized\.yaml: the scenario is [\d.]+ KiB, more than the input limit of 1\.0 KiB \(raise it with stsmc --max-input-size SIZE/)]);
    expect(stsmc(['--max-input-size', '64K', 'check', file, '--quiet']).code).toBe(0);
    expect(stsmc(['--max-input-size', 'lots', 'check', file]).stderr).toMatch(/--max-input-size must be a size such as 512M or 2G, got 'lots'/);
  });

  longOnly('duplicate keys are found in one pass: the line of the second one, even among 40,000 keys', () => {
    const dup = write('dup.yaml', 'name: dup\nmodel: statefulset\nparams: { R: 1 }\nparams: { R: 2 }\nexpect: {}\n');
    const r = stsmc(['check', dup, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/dup\.yaml: duplicate key "params" at line 4$/)]);
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
    const many = write('many.yaml', `name: many\nmodel: statefulset\nexpect: {}\nparams:\n${keys}\n  k7: again\n`);
    const m = stsmc(['check', many, '--quiet']);
    expect(m.code).toBe(2);
    expect(m.stderr.trim().split('\n')).toEqual([expect.stringMatching(/many\.yaml: duplicate key "k7" at line 40005$/)]);
  });
});

describe('exit codes under limits', () => {
  it('--check none stopped by a limit exits 3, not 0', () => {
    const r = stsmc(['check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'budget=2', '--check', 'none', '--max-states', '100', '--workers', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/a limit stopped exploration before it was complete \(nothing was checked\)/);
  });
});

describe('messages name the file and the problem', () => {
  it('a List with a null item, a number too large to represent', () => {
    const list = write('null-list.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - null\n');
    const r = stsmc(['check', '--manifest', list]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/null-list\.yaml: List item 0 is not an object/)]);
    const huge = write('huge.yaml', 'name: huge\nmodel: statefulset\nparams: { R: 1e400 }\nexpect: {}\n');
    const h = stsmc(['check', huge]);
    expect(h.code).toBe(2);
    expect(h.stderr.trim().split('\n')).toEqual([expect.stringMatching(/huge\.yaml: parameter 'R' must be an integer, got a number too large to represent/)]);
  });
});

/** The CLI, run asynchronously: the cases of one test run side by side. */
function stsmcAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const ESC = '\u001b';
// npm test runs a few cases of each kind below; the long suite (STSMC_LONG) runs every one.
const LONG = Boolean(process.env.STSMC_LONG);
const some = <T>(all: readonly T[], quick: readonly number[]): T[] => (LONG ? [...all] : quick.map((k) => all[k]!));

/** One line on stderr naming the file (when given) and matching `message`, exit code 2, no raw control character anywhere. */
function refused(r: { code: number | null; stdout: string; stderr: string }, message: RegExp, file?: string) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toEqual([expect.stringMatching(message)]);
  expect(lines[0]).toMatch(/^stsmc: error: /);
  if (file !== undefined) expect(lines[0]).toContain(file);
  expect(r.stderr + r.stdout).not.toContain(ESC);
}

describe('hostile traces: one line naming the file, exit code 2, for trace and replay --from', () => {
  let saved: Record<string, unknown> | undefined;
  /** A real counterexample (7 steps, AtMostOne), as `stsmc check` writes it. */
  const trace = async (): Promise<Record<string, unknown>> => {
    if (saved === undefined) {
      const plan = resolvePlan(loadScenarioFile('specs/force-delete-breaks-at-most-one.yaml'));
      // This file spawns the CLI beside in-process runs: a small memory budget.
      const r = await runScenario(plan, { workers: 1, memoryBytes: 256 * 2 ** 20 });
      saved = JSON.parse(JSON.stringify(counterexampleToItf(r.properties.find((p) => p.name === 'AtMostOne')!.counterexample!))) as Record<string, unknown>;
    }
    return structuredClone(saved);
  };
  type Doc = { '#meta': { property: Record<string, unknown>; stutter?: unknown; scenario?: unknown; params: Record<string, unknown> }; states: Record<string, unknown>[] };
  const hostile = async (name: string, change: (d: Doc) => void, text?: (json: string) => string) => {
    const d = (await trace()) as unknown as Doc;
    change(d);
    const json = JSON.stringify(d, null, 2);
    return write(`traces/${name}.itf.json`, text ? text(json) : json);
  };
  /** `trace` and `replay --from` on the file (in npm test only `which` of them, to keep it quick). */
  const both = async (file: string | Promise<string>, which: 'trace' | 'replay' = 'trace') => {
    const f = await file;
    const runs = { trace: () => stsmcAsync(['trace', f]), replay: () => stsmcAsync(['replay', '--from', f]) };
    return Promise.all(LONG ? [runs.trace(), runs.replay()] : [runs[which]()]);
  };

  it('unknown action or property names, a property kind or a stutter stsmc never writes (trace rendered them and exited 0)', async () => {
    const cases: [string, (d: Doc) => void, RegExp][] = [
      ['unknown-action', (d) => ((d.states[2]!['#meta'] as Record<string, unknown>).action = 'Frobnicate(9)'), /unknown action 'Frobnicate\(9\)'/],
      ['unknown-property', (d) => (d['#meta'].property.name = 'NoSuchProperty'), /unknown property 'NoSuchProperty' in "#meta"\.property: model 'statefulset' with these parameters has AtMostOne, /],
      ['wrong-kind', (d) => (d['#meta'].property.kind = 'transition'), /AtMostOne is an invariant property, the trace says transition/],
      ['bad-kind', (d) => (d['#meta'].property.kind = 'weird'), /property\.kind must be one of invariant, transition, liveness, got "weird"/],
      ['bad-stutter', (d) => (d['#meta'].stutter = [{ label: 'CtlCreate(0)', failing: 5 }]), /"#meta"\.stutter\[0\]\.failing must be a list of condition names/],
    ];
    const chosen = some(cases, [0, 1]);
    const runs = await Promise.all(chosen.map(([name, change], k) => both(hostile(name, change), k % 2 ? 'replay' : 'trace')));
    runs.forEach((rs, k) => {
      const [name, , message] = chosen[k]!;
      for (const r of rs) refused(r, message, `${name}.itf.json`);
    });
  });

  longOnly('NaN and non-integer values: one line (a NaN literal gave two)', async () => {
    const cases: [string, (d: Doc) => void, ((json: string) => string) | undefined, RegExp][] = [
      ['nan-literal', () => {}, (json) => json.replace(/"budget": \{\s*"#bigint": "2"\s*\}/, '"budget": NaN'), /not valid JSON: Unexpected token 'N'/],
      ['nan-bigint', (d) => (d.states[1]!.budget = { '#bigint': 'NaN' }), undefined, /ITF: bad #bigint in state 1\.budget/],
      ['fraction-bigint', (d) => (d.states[1]!.budget = { '#bigint': '1.5' }), undefined, /ITF: bad #bigint in state 1\.budget/],
      ['fraction', (d) => (d.states[1]!.budget = 1.5), undefined, /ITF: unexpected 1\.5 in state 1\.budget/],
      ['fraction-param', (d) => (d['#meta'].params.R = 2.5), undefined, /parameter 'R' must be an integer, got 2\.5/],
    ];
    const chosen = some(cases, [0]);
    const runs = await Promise.all(chosen.map(([name, change, text]) => both(hostile(name, change, text))));
    runs.forEach((rs, k) => {
      const [name, , , message] = chosen[k]!;
      for (const r of rs) refused(r, message, `${name}.itf.json`);
    });
  });

  longOnly('escape sequences in names are shown escaped, never sent to the terminal', async () => {
    const badProperty = hostile('esc-property', (d) => (d['#meta'].property.name = `${ESC}[31mRed`));
    // Free text (the scenario's name, the property's description) still renders, escaped.
    const text = hostile('esc-text', (d) => {
      d['#meta'].scenario = `${ESC}]0;owned${ESC}\\`;
      d['#meta'].property.description = `${ESC}[2J cleared`;
    });
    const [names, rendered] = await Promise.all([both(badProperty), both(text)]);
    for (const r of names) refused(r, /unknown property '\\x1b\[31mRed'/, 'esc-property.itf.json');
    if (LONG) {
      for (const r of await both(hostile('esc-action', (d) => ((d.states[2]!['#meta'] as Record<string, unknown>).action = `${ESC}[31mRed(0)`)))) {
        refused(r, /unknown action '\\x1b\[31mRed\(0\)'/, 'esc-action.itf.json');
      }
    }
    for (const x of rendered) {
      expect(x.code).toBe(0);
      expect(x.stdout + x.stderr).not.toContain(ESC);
    }
    const t = rendered[0]!;
    expect(t.stdout).toMatch(/^Counterexample for AtMostOne \(invariant\) in \\x1b\]0;owned\\x1b\\: 7 steps$/m);
    expect(t.stdout).toContain('AtMostOne violated: \\x1b[2J cleared.');
  });
});

describe('options and names on the command line', () => {
  longOnly('a bad --seed, --time-limit 1e300 (it stopped the run after a millisecond, with a two-line warning)', async () => {
    const cases: [string[], RegExp][] = [
      [['simulate', '--model', 'statefulset', '--seed', '1e300'], /--seed must be a non-negative integer below 2\^53, got '1e300'/],
      [['check', '--model', 'statefulset', '--time-limit', '1e300'], /--time-limit must be at most 2147483 seconds \(about 24 days\), got '1e300'/],
      [['simulate', '--model', 'statefulset', '--seed', '-1'], /--seed must be a non-negative integer below 2\^53, got '-1'/],
      [['simulate', '--model', 'statefulset', '--time-limit', '1e300'], /--time-limit must be at most 2147483 seconds \(about 24 days\), got '1e300'/],
    ];
    const chosen = some(cases, [0, 1]);
    const runs = await Promise.all(chosen.map(([args]) => stsmcAsync(args)));
    runs.forEach((r, k) => refused(r, chosen[k]![1]));
  });

  it('escape sequences in scenario files, parameters, labels and options are shown escaped', async () => {
    const checked = write('esc/check.yaml', `name: esc\nmodel: statefulset\ncheck: ["${ESC}[31mAtMostOne"]\nexpect: {}\n`);
    const param = write('esc/param.yaml', `name: esc2\nmodel: statefulset\nparams: { "${ESC}[31mR": 1 }\nexpect: {}\n`);
    const cases: [string[], RegExp, string?][] = [
      [['check', checked, '--quiet'], /check\.yaml: check: unknown property '\\x1b\[31mAtMostOne'/, 'check.yaml'],
      [['replay', '--steps', `${ESC}[31mCtlCreate(0)`], /step 1: unknown action '\\x1b\[31mCtlCreate\(0\)'/],
      [['check', param, '--quiet'], /param\.yaml: unknown parameter '\\x1b\[31mR'/, 'param.yaml'],
      [['check', '--model', 'statefulset', '--set', `R=${ESC}[31m`], /parameter 'R' must be an integer, got '\\x1b\[31m'/],
      [['check', '--model', `${ESC}]0;title${String.fromCharCode(7)}`], /unknown model '\\x1b\]0;title\\x07'/],
    ];
    const chosen = some(cases, [0]);
    // Commander's own messages too.
    const [option, ...runs] = await Promise.all([stsmcAsync(['check', `--${ESC}[31m`]), ...chosen.map(([args]) => stsmcAsync(args))]);
    runs.forEach((r, k) => refused(r, chosen[k]![1], chosen[k]![2]));
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--\\x1b[31m'");
    expect(option.stderr).not.toContain(ESC);
  });
});

describe('a controller variant that throws is named, whatever it throws and wherever', () => {
  const variant = (name: string, body: string) => write(`throwing/${name}.mjs`, body);
  const modifyCreate = (change: string) => `export default { name: 'v-${change.length}', description: 'x', controller(api, upstream) {\n  return api.modify(upstream, 'CtlCreate', (a) => (${change}));\n} };\n`;

  it('in a guard, an effect, an action name (upstream: a label), its own name, a thrown object, a timer', async () => {
    const cases: [string, string, RegExp][] = [
      ['guard', modifyCreate(`{ ...a, when: { ...a.when, boom: () => { throw new Error('kaboom'); } } }`), /controller variant 'v-\d+': CtlCreate\(0\) guard threw: kaboom/],
      ['effect', modifyCreate(`{ ...a, then: () => { throw new Error('kaboom'); } }`), /controller variant 'v-\d+': CtlCreate\(0\) effect threw: kaboom/],
      [
        'action-name',
        `export default { name: 'n', description: 'x', controller(api, upstream) { return upstream.map((a) => a.name === 'CtlCreate' ? { ...a, get name() { throw new Error('no name'); } } : a); } };\n`,
        /controller variant '.*action-name\.mjs' failed while its actions were read: no name/,
      ],
      ['own-name', `export default { get name() { throw new Error('nameless'); }, description: 'x', controller(api, upstream) { return upstream; } };\n`, /controller variant '.*own-name\.mjs' failed while its actions were read: nameless/],
      [
        'thrown-object',
        modifyCreate(`{ ...a, when: { ...a.when, boom: () => { throw { get message() { throw new Error('inner'); } }; } } }`),
        /controller variant '.*thrown-object\.mjs' failed while exploring ordered-deployment: inner/,
      ],
      [
        'timer',
        `setTimeout(() => { throw new Error('from a timer'); }, 10);\nexport default { name: 'timer', description: 'x', controller(api, upstream) { const t = Date.now(); while (Date.now() - t < 200); return upstream; } };\n`,
        /controller variant '.*timer\.mjs' threw outside any action it was asked to run \(from a timer or a callback\): from a timer/,
      ],
    ];
    const files = cases.map(([name, body]) => variant(name, body));
    // In `npm test` the three that were not named before (an internal error, or a stack trace);
    // guards and effects were, and run in the long suite (STSMC_LONG).
    const chosen = LONG ? cases.map((_, k) => k) : [2, 5];
    const runs = await Promise.all(chosen.map((k) => stsmcAsync(['check', 'specs/ordered-deployment.yaml', '--controller', files[k]!, '--quiet', '--workers', '1', '--out', path.join(tmp, 'throwing-out')])));
    runs.forEach((r, j) => refused(r, cases[chosen[j]!]![2]));
    // The same variants, replayed and simulated (a thrown object was an internal error in replay).
    const thrown = files[4]!;
    const more = await Promise.all([
      stsmcAsync(['replay', '--controller', thrown, '--steps', 'CtlCreate(0)']),
      ...(LONG
        ? [
            stsmcAsync(['simulate', 'specs/ordered-deployment.yaml', '--controller', thrown, '--runs', '5', '--out', path.join(tmp, 'throwing-out')]),
            stsmcAsync(['check', 'specs/ordered-deployment.yaml', '--controller', files[2]!, '--quiet', '--workers', '2']),
          ]
        : []),
    ]);
    refused(more[0]!, /controller variant '.*thrown-object\.mjs' failed while replaying: inner/);
    if (LONG) {
      refused(more[1]!, /controller variant '.*thrown-object\.mjs' failed while simulating ordered-deployment: inner/);
      refused(more[2]!, /controller variant '.*action-name\.mjs' failed while its actions were read: no name/);
    }
  });
});
