import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// `stsmc trace` and `stsmc check --dump-graph` as users run them: the built bin (npm test builds
// first), real files, exit codes and streams.
const bin = path.resolve('bin/stsmc.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-trace-'));

function stsmc(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectBadInput(r: ReturnType<typeof stsmc>, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
}

const out = path.join(tmp, 'out');
const base = path.join(out, 'force-delete-breaks-at-most-one', 'AtMostOne');
let check: ReturnType<typeof stsmc>;

beforeAll(() => {
  check = stsmc('check', 'specs/force-delete-breaks-at-most-one.yaml', '--workers', '1', '--quiet', '--out', out);
});

describe('stsmc check writes pictures for every violation', () => {
  it('writes .itf.json, .dot, .svg and .html and prints their paths', () => {
    expect(check.code).toBe(0);
    const files = ['.itf.json', '.dot', '.svg', '.html'].map((ext) => base + ext);
    expect(check.stdout).toContain(`written to ${files.join(', ')}`);
    for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(100);
    expect(fs.readFileSync(`${base}.svg`, 'utf8')).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    expect(fs.readFileSync(`${base}.html`, 'utf8')).toContain('<script type="application/json" id="trace-data">');
  });
});

describe('stsmc trace: re-rendering a saved trace', () => {
  it('gives the same text as the original run', () => {
    const r = stsmc('trace', `${base}.itf.json`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Counterexample for AtMostOne \(invariant\) in force-delete-breaks-at-most-one: 7 steps\n/);
    expect(check.stdout).toContain(`${r.stdout}  written to ${base}.itf.json`);
    expect(stsmc('trace', `${base}.itf.json`, '--format', 'text').stdout).toBe(r.stdout);
  });

  it('gives the same DOT, SVG and HTML as the original run', () => {
    const dot = stsmc('trace', `${base}.itf.json`, '--format', 'dot');
    expect(dot.code).toBe(0);
    expect(dot.stdout).toBe(fs.readFileSync(`${base}.dot`, 'utf8'));
    for (const format of ['svg', 'html']) {
      const file = path.join(tmp, 'again', `trace.${format}`);
      const r = stsmc('trace', `${base}.itf.json`, '--format', format, '-o', file);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`written to ${file}\n`);
      expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(`${base}.${format}`, 'utf8'));
    }
  });

  it('a truncated or malformed file gets one clear line and exit code 2', () => {
    const itf = fs.readFileSync(`${base}.itf.json`, 'utf8');
    const write = (name: string, text: string) => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, text);
      return f;
    };
    expectBadInput(stsmc('trace', write('truncated.itf.json', itf.slice(0, itf.length / 2))), /truncated\.itf\.json: not valid JSON \(the file is empty or truncated\)/);
    expectBadInput(stsmc('trace', write('empty.itf.json', '')), /empty\.itf\.json: not valid JSON \(the file is empty or truncated\)/);
    expectBadInput(stsmc('trace', write('garbage.itf.json', 'digraph { a -> b }')), /garbage\.itf\.json: not valid JSON/);
    expectBadInput(stsmc('trace', write('other.itf.json', '{"vars": [], "states": 3}')), /other\.itf\.json: not an ITF trace/);
    const doc = JSON.parse(itf);
    // npm test stops here (its two-minute budget); the long suite (STSMC_LONG) tries every case.
    if (!process.env.STSMC_LONG) return;
    expectBadInput(stsmc('trace', write('nostates.itf.json', JSON.stringify({ ...doc, states: [] }))), /nostates\.itf\.json: ITF trace has no states/);
    const cut = { ...doc, states: doc.states.map((s: Record<string, unknown>, k: number) => (k === 3 ? { '#meta': s['#meta'], replicas: s.replicas } : s)) };
    expectBadInput(stsmc('trace', write('cut.itf.json', JSON.stringify(cut))), /cut\.itf\.json: .*must be/);
    const foreign = { ...doc, '#meta': { ...doc['#meta'], model: 'deployment' } };
    expectBadInput(stsmc('trace', write('foreign.itf.json', JSON.stringify(foreign))), /foreign\.itf\.json: unknown model 'deployment'/);
    expectBadInput(stsmc('trace', path.join(tmp, 'missing.itf.json')), /missing\.itf\.json: no such file/);
    expectBadInput(stsmc('trace', `${base}.itf.json`, '--format', 'png'), /--format must be one of text, dot, svg, html/);
  });
});

describe('a workload whose ordinals start at 3 (spec.ordinals.start)', () => {
  it('prints and re-renders its trace with the pods\' own ordinals, and saves the model\'s labels', () => {
    const out3 = path.join(tmp, 'out-start-3');
    const r = stsmc('check', 'specs/force-delete-breaks-at-most-one.yaml', '--set', 'startOrdinal=3', '--workers', '1', '--quiet', '--out', out3);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  Step 4: ForceDeletePod(3) — kubectl delete pod web-3 --force --grace-period=0\n');
    expect(r.stdout).toContain("  ordinals are shown as the pods' own (ordinals.start = 3): CtlCreate(3) is the model's CtlCreate(0)");
    const itf = path.join(out3, 'force-delete-breaks-at-most-one', 'AtMostOne.itf.json');
    expect(fs.readFileSync(itf, 'utf8')).toContain('"action": "ForceDeletePod(0)"');
    // The saved trace carries startOrdinal with its parameters: rendered again, it reads the same.
    const again = stsmc('trace', itf);
    expect(again.code).toBe(0);
    expect(r.stdout).toContain(again.stdout);
    expect(again.stdout).toContain('  Step 7: KubeletRun(3) — the kubelet starts the container of web-3 (mounting data-web-3)  <-- violation\n');
  });
});

describe('stsmc check --dump-graph', () => {
  it('writes the whole state graph of a small configuration as DOT or SVG', () => {
    const dot = path.join(tmp, 'graph', 'defaults.dot');
    const r = stsmc('check', '--model', 'statefulset', '--no-liveness', '--workers', '1', '--out', out, '--dump-graph', dot);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`state graph (50 states) written to ${dot}`);
    const text = fs.readFileSync(dot, 'utf8');
    expect(text.match(/^ {2}s\d+ \[/gm)).toHaveLength(50);
    const svg = path.join(tmp, 'graph', 'small.svg');
    const small = stsmc('check', '--model', 'statefulset', '--set', 'R=2', '--set', 'userOps=forceDeletePod', '--set', 'budget=1', '--workers', '1', '--quiet', '--out', out, '--dump-graph', svg);
    expect(small.code).toBe(1); // AtMostOne is violated and nothing expected it
    expect(fs.readFileSync(svg, 'utf8')).toMatch(/<svg[\s\S]*AtMostOne[\s\S]*<\/svg>\s*$/);
  });

  it.runIf(process.env.STSMC_LONG)('refuses more than 2,000 states, several scenarios, or another extension, with one clear line', () => {
    const big = path.join(tmp, 'graph', 'big.svg');
    expectBadInput(
      stsmc('check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'userOps=all', '--set', 'budget=1', '--quiet', '--dump-graph', big),
      /--dump-graph: the state graph has more than 2,000 states/,
    );
    expect(fs.existsSync(big)).toBe(false);
    expectBadInput(stsmc('check', 'specs/parallel-creation.yaml', 'specs/ordered-deployment.yaml', '--dump-graph', big), /--dump-graph draws one configuration/);
    expectBadInput(stsmc('check', '--model', 'statefulset', '--dump-graph', path.join(tmp, 'g.png')), /must end in \.dot or \.svg/);
  });
});
