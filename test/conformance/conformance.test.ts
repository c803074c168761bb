import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScripted } from '../../src/conformance/runner.js';
import { InputError } from '../../src/input/errors.js';
import { findAllScenarioFiles, findScenarioFiles } from '../../src/scenario/scenario.js';
import { isScriptedScenarioFile, loadScriptedScenario, parseScriptedScenario } from '../../src/scenario/scripted.js';

// The conformance suite: scripted behaviours from the upstream controller's unit tests, each with
// the outcome upstream asserts. Every one must pass; and the runner must notice when one does not.
const suite = fs
  .readdirSync('specs/conformance')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join('specs/conformance', f));

const UPSTREAM_FILES = [
  'pkg/controller/statefulset/stateful_set_control_test.go',
  'pkg/controller/statefulset/stateful_set_test.go',
  // Volume attachment: the attach/detach controller's reconciler.
  'pkg/controller/volume/attachdetach/reconciler/reconciler_test.go',
  // Node-local storage: the scheduler's VolumeBinding plugin.
  'pkg/scheduler/framework/plugins/volumebinding/volume_binding_test.go',
];

describe('conformance suite', () => {
  it('has at least 20 scenarios, each citing an upstream test of the StatefulSet controller, the attach/detach controller or the scheduler\'s volume binding', () => {
    expect(suite.length).toBeGreaterThanOrEqual(20);
    const names = new Set<string>();
    for (const file of suite) {
      const sc = loadScriptedScenario(file);
      expect(UPSTREAM_FILES).toContain(sc.upstream.file);
      expect(sc.upstream.repo).toBe('kubernetes/kubernetes');
      expect(sc.upstream.test).toMatch(/^Test[A-Za-z_]+/);
      expect(sc.description.length).toBeGreaterThan(80);
      expect(names.has(sc.name)).toBe(false);
      names.add(sc.name);
      expect(path.basename(file, '.yaml')).toBe(sc.name);
    }
  });

  it('covers the upstream tests the issue names', () => {
    const cited = suite.map((f) => loadScriptedScenario(f).upstream.test).join('\n');
    for (const t of [
      'CreatesPods',
      'ScalesUp',
      'ScalesDown',
      'ReplacesPods',
      'RecreatesFailedPod',
      'RecreatesPVCForPendingPod',
      'TestStatefulSetControlRollingUpdate ',
      'TestStatefulSetControlRollingUpdateWithPartition',
      'TestStatefulSetControlOnDeleteUpdate',
      'TestStatefulSetControllerRespectsTermination',
      'TestStatefulSetControllerBlocksScaling',
      'TestStaleOwnerRefOnScaleup',
      'TestOrphanedPodsWithPVCDeletePolicy',
    ]) {
      expect(cited).toContain(t);
    }
  });

  for (const file of suite) {
    it(file, () => {
      const o = runScripted(loadScriptedScenario(file));
      expect(o.failures).toEqual([]);
      expect(o.passed).toBe(true);
      expect(o.stepsTaken).toBe(o.stepsPlanned);
    });
  }

  it('is found by stsmc check but not handed to the explorer', () => {
    const all = findAllScenarioFiles('specs');
    for (const f of suite) expect(all).toContain(f);
    const explored = findScenarioFiles('specs');
    for (const f of suite) expect(explored).not.toContain(f);
    expect(explored.length).toBeGreaterThan(0);
    expect(explored.every((f) => !isScriptedScenarioFile(f))).toBe(true);
  });
});

const base = `
name: probe
upstream: { file: pkg/controller/statefulset/stateful_set_control_test.go, test: TestProbe }
params: { R: 3, nodes: 1, budget: 0 }
`;

describe('the runner notices what differs', () => {
  it('a wrong expectation, at a checkpoint and at the end', () => {
    const sc = parseScriptedScenario(
      base +
        `steps:
  - CtlCreate(0)
  - expect:
      pods: { web-0: { phase: Running }, web-1: { phase: Pending } }
      pvcs: { data-web-0: absent }
      enabled: [CtlCreate(1)]
      disabled: { 'Schedule(0,1)': [exists] }
  - Schedule(0,1)
expect:
  set: { replicas: 2 }
  idle: [scheduler, kubelet]
  objects: { Node node-1: { status: Crashed } }
`,
      'probe.yaml',
    );
    const o = runScripted(sc);
    expect(o.passed).toBe(false);
    expect(o.failures).toEqual([
      'after step 1 (CtlCreate(0)): Pod web-0 phase should be Running, is Pending',
      'after step 1 (CtlCreate(0)): Pod web-1 should exist, but is absent',
      'after step 1 (CtlCreate(0)): PVC data-web-0 should be absent, but exists (status=bound, volume=empty)',
      'after step 1 (CtlCreate(0)): CtlCreate(1) should be enabled, but is disabled: predecessorsReady',
      'after step 1 (CtlCreate(0)): Schedule(0,1) should be disabled by exists, but is enabled',
      'at the end (after step 2 (Schedule(0,1))): StatefulSet web replicas should be 2, is 3',
      'at the end (after step 2 (Schedule(0,1))): Node node-1 status should be Crashed, is Up',
      'at the end (after step 2 (Schedule(0,1))): the kubelet should have nothing to do, but KubeletRun(0) is enabled',
    ]);
  });

  it('a step that is not enabled, naming its failing conditions', () => {
    const o = runScripted(parseScriptedScenario(base + 'steps: [CtlCreate(0), CtlCreate(1)]\nexpect: {}\n', 'probe.yaml'));
    expect(o.failures).toEqual(['step 2 (CtlCreate(1)) is not enabled: predecessorsReady']);
    expect(o.stepsTaken).toBe(1);
  });

  it('violations: unexpected ones and missing ones', () => {
    const par = base.replace('budget: 0', 'budget: 0, policy: Parallel');
    const o = runScripted(parseScriptedScenario(par + 'steps: [CtlCreate(1)]\nexpect: {}\n', 'probe.yaml'));
    expect(o.failures).toEqual(['OrderedCreation is violated at step 1 (CtlCreate(1)): a pod is created only when every lower ordinal is Running and Ready']);
    const p = runScripted(parseScriptedScenario(par + 'steps: [CtlCreate(0)]\nexpect: {}\nviolations: [OrderedCreation]\n', 'probe.yaml'));
    expect(p.failures).toEqual(['OrderedCreation was expected to be violated along the steps, but it never is']);
  });
});

describe('scripted scenario files: bad input is one clear error', () => {
  const bad = (text: string, message: RegExp) => {
    expect(() => parseScriptedScenario(text, 'bad.yaml')).toThrow(InputError);
    expect(() => parseScriptedScenario(text, 'bad.yaml')).toThrow(message);
  };
  it('shape, labels, objects, properties, actors', () => {
    bad('name: x\nsteps: [CtlCreate(0)]\nexpect: {}\n', /bad\.yaml: upstream: /);
    bad(base.replace('stateful_set_control_test.go', 'elsewhere.go') + 'steps: [CtlCreate(0)]\nexpect: {}\n', /upstream\.file: a test file under pkg\//);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { podz: {} }\n', /bad\.yaml: expect: .*podz/);
    bad(base + 'steps: ["CtlCreate(0), Scale(1)"]\nexpect: {}\n', /bad\.yaml: steps\.0 \(step 2\): unknown action 'Scale\(1\)': Scale is not part of this configuration/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { pods: { web-7: absent } }\n', /expect: unknown object 'web-7' \(known: web-0, web-1, web-2\)/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { enabled: [CtlCreat] }\n', /expect\.enabled: unknown action 'CtlCreat' \(did you mean CtlCreate\?\)/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { disabled: { CtlCreate: [podAbsent] } }\n', /'CtlCreate' is a family; give instances/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { disabled: { Schedule(0,1): [exists] } }\n', /quoted inside a YAML flow mapping/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: { idle: [kubelets] }\n', /expect\.idle: unknown actor 'kubelets' \(actors: controller, /);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: {}\nviolations: [Sanity]\n', /violations: unknown property 'Sanity'/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: {}\nviolations: [RolloutCompletes]\n', /liveness property/);
    bad(base + 'init: 3\nsteps: [CtlCreate(0)]\nexpect: {}\n', /--init 3 is out of range/);
    bad(base + 'steps: [CtlCreate(0)]\nexpect: {}\nfoo: 1\n', /\(top level\): .*foo/);
    bad('steps: [x\n', /bad\.yaml: malformed YAML/);
  });

  it('labels in flow sequences may contain commas', () => {
    const sc = parseScriptedScenario(base + 'steps: [CtlCreate(0)]\nexpect: { enabled: [Schedule(0,1)], disabled: [Schedule(1,1), KubeletRun] }\n', 'ok.yaml');
    expect(sc.expect.enabled).toEqual(['Schedule(0,1)']);
    expect(sc.expect.disabled).toEqual(['Schedule(1,1)', 'KubeletRun']);
    expect(runScripted(sc).failures).toEqual([]);
  });
});

describe('stsmc check runs scripted scenarios', () => {
  const bin = path.resolve('bin/stsmc.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

  it('stsmc check specs/conformance: one Conformance row per scenario, exit code 0', () => {
    const r = run('check', 'specs/conformance', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results).toHaveLength(suite.length);
    for (const res of doc.results) expect(res.properties).toEqual([expect.objectContaining({ name: 'Conformance', kind: 'scripted', verdict: 'holds', expected: 'holds' })]);
  });

  it('--controller runs the suite against a controller variant, which shows the upstream tests it no longer passes', () => {
    const r = run('check', 'specs/conformance/creates-pods.yaml', 'specs/conformance/scales-down.yaml', '--controller', 'no-ready-wait');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/creates-pods: scripted, 12\/12 steps replayed, upstream .*, controller no-ready-wait: DIFFERS\n  after step 1 \(CtlCreate\(0\)\): CtlCreate\(1\) should be disabled by predecessorsReady, but is enabled/);
    expect(r.stdout).toMatch(/scales-down\s+Conformance\s+holds\s+holds\s+7\s+ok/);
    expect(run('check', 'specs/conformance/creates-pods.yaml', '--controller', 'upstream').status).toBe(0);
  });

  it('a scripted scenario that differs makes the verdict UNEXPECTED and the exit code 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-conf-'));
    fs.writeFileSync(path.join(dir, 'probe.yaml'), base + 'steps: [CtlCreate(0), CtlCreate(1)]\nexpect: {}\n');
    fs.copyFileSync('specs/conformance/scales-up.yaml', path.join(dir, 'scales-up.yaml'));
    const r = run('check', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/probe: scripted, 1\/2 steps replayed, upstream TestProbe \(stateful_set_control_test\.go\): DIFFERS\n  step 2 \(CtlCreate\(1\)\) is not enabled: predecessorsReady/);
    expect(r.stdout).toMatch(/probe\s+Conformance\s+holds\s+violated\s+1\s+UNEXPECTED/);
    expect(r.stdout).toMatch(/scales-up\s+Conformance\s+holds\s+holds\s+5\s+ok/);
    expect(r.stdout).toMatch(/2 scenarios, 2 properties: 1 verdict differs from the expected one/);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), base + 'steps: [Frobnicate]\nexpect: {}\n');
    const b = run('check', dir);
    expect(b.status).toBe(2);
    expect(b.stderr.trim()).toMatch(/^stsmc: error: .*broken\.yaml: steps\.0 \(step 1\): unknown action 'Frobnicate'/);
  });
});
