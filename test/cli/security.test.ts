import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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

  it('a planted or altered cache entry is never imported', () => {
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

  it('a cache folder others can write to is refused with one line', () => {
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

  it('--out empty or a file, --workers beyond four per core, __proto__ as a parameter, two scenarios with one name', () => {
    oneLine(stsmc(['check', '--model', 'statefulset', '--out', '']), 2, /--out must name a folder, got ''/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--out', 'README.md']), 2, /--out README\.md exists and is not a folder/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--workers', '1000']), 2, /--workers must be at most \d+ \(four per core/);
    oneLine(stsmc(['check', '--model', 'statefulset', '--set', '__proto__=1']), 2, /unknown parameter '__proto__'/);
    const yaml = write('proto.yaml', 'name: proto\nmodel: statefulset\nparams: { __proto__: { R: 9 } }\nexpect: {}\n');
    oneLine(stsmc(['check', yaml, '--quiet']), 2, /unknown parameter '__proto__'|__proto__/);
    const twin = write('twin/a.yaml', fs.readFileSync('specs/ordered-deployment.yaml', 'utf8'));
    oneLine(stsmc(['check', 'specs/ordered-deployment.yaml', twin, '--quiet']), 2, /two scenarios are named 'ordered-deployment' \(specs\/ordered-deployment\.yaml and .*twin\/a\.yaml\)/);
  });

  it('standard output that cannot be written: one line (ENOSPC), or quietly 0 when the reader left (EPIPE)', () => {
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

  it('duplicate keys are found in one pass: the line of the second one, even among 40,000 keys', () => {
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
