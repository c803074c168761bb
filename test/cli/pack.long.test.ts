/**
 * stsmc outside a clone: the tarball `npm pack` makes, installed into an empty folder, gives a
 * working `stsmc` there. This is what a user gets from the registry, and what a clone's tests
 * cannot see: files missing from package.json `files`, paths resolved against the current folder
 * instead of the installed module, a bin that only works beside the sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-pack-'));
/** The user's project: an empty folder with the tarball installed, and no specs/ of its own. */
const app = path.join(tmp, 'app');
const installed = path.join(app, 'node_modules', 'stsmc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function stsmc(args: string[], input?: string) {
  const r = spawnSync(npx, ['stsmc', ...args], { cwd: app, encoding: 'utf8', input, timeout: 240_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Scenario files as `stsmc check` counts them: every *.yaml below the folder. */
function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

beforeAll(() => {
  // `npm pack` runs `prepare` (tsc) first, so the tarball holds a fresh dist/.
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string }[];
  const tarball = path.join(tmp, packed[0]!.filename);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'stsmc-pack-test', version: '0.0.0', private: true }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('stsmc installed from its tarball, in a folder of its own', () => {
  it('the package holds the built CLI and the scenarios, not the sources or tests', () => {
    expect(fs.existsSync(path.join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(yamlFiles(path.join(installed, 'specs')).length).toBe(yamlFiles(path.join(ROOT, 'specs')).length);
    expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'specs'))).toBe(false);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(stsmc(['--version']).stdout.trim()).toBe(version);
  });

  it('check with no argument checks the shipped scenarios, says so, and writes its files here', () => {
    const shipped = path.join(installed, 'specs');
    const count = yamlFiles(shipped).length;
    const r = stsmc(['check', '--quiet']);
    expect(r.stderr.trim().split('\n')).toEqual([`stsmc: no specs/ here: checking the ${count} scenarios shipped with stsmc in ${fs.realpathSync(shipped)}`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^${count} scenarios, \\d+ properties: every verdict as expected$`));
    // Counterexamples land in the user's folder, one folder per run kind: the upstream controller's
    // under out/<scenario>/, a variant scenario's under out/variant-<name>/<scenario>/.
    expect(fs.existsSync(path.join(app, 'out', 'force-delete-breaks-at-most-one', 'AtMostOne.itf.json'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'out', 'variant-no-ready-wait', 'variant-no-ready-wait', 'OrderedCreation.itf.json'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'out'))).toBe(false);
  });

  it("simulate writes to out/simulate/, leaving check's shortest counterexample as it was", () => {
    const checked = path.join(app, 'out', 'force-delete-breaks-at-most-one', 'AtMostOne.itf.json');
    if (!fs.existsSync(checked)) expect(stsmc(['check', '--quiet', path.join(installed, 'specs', 'force-delete-breaks-at-most-one.yaml')]).code).toBe(0);
    const before = fs.readFileSync(checked, 'utf8');
    const r = stsmc(['simulate', path.join(installed, 'specs', 'force-delete-breaks-at-most-one.yaml'), '--runs', '2000', '--depth', '40', '--seed', '7', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.violation).toMatchObject({ property: 'AtMostOne', expected: 'violated' });
    expect(doc.violation.files[0]).toBe(path.join('out', 'simulate', 'force-delete-breaks-at-most-one', 'AtMostOne.itf.json'));
    expect(fs.existsSync(path.join(app, doc.violation.files[0]))).toBe(true);
    expect(fs.readFileSync(checked, 'utf8')).toBe(before);
  });

  it('check --manifest - reads a List of two StatefulSets from stdin: two reports, exit code 1 for the hazards', () => {
    const sts = (name: string, policy: string) => `
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: ${name} }
    spec:
      replicas: 2
      podManagementPolicy: ${policy}
      serviceName: ${name}
      selector: { matchLabels: { app: ${name} } }
      template:
        metadata: { labels: { app: ${name} } }
        spec: { containers: [{ name: main, image: registry.example/${name}:1 }] }
      volumeClaimTemplates:
        - metadata: { name: data }
          spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }`;
    const list = `apiVersion: v1\nkind: List\nitems:${sts('db', 'OrderedReady')}${sts('cache', 'Parallel')}\n`;
    const r = stsmc(['check', '--manifest', '-', '--quiet'], list);
    expect(r.stderr).not.toMatch(/error/i);
    expect([...r.stdout.matchAll(/^Risk report for StatefulSet (\S+)/gm)].map((m) => m[1])).toEqual(['db', 'cache']);
    // README, "Exit codes": with --manifest, 1 when a finding of --fail-on severity applies (by
    // default `hazard`), else 0. Force-deleting a pod with a ReadWriteOnce disk is one.
    expect(r.stdout).toMatch(/^HAZARD {2}Force-deleting a pod$/m);
    expect(r.code).toBe(1);
  });
});
