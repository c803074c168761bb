/**
 * `npm run bench`: the reference benchmark configurations of issue 3, with 1 and 2 workers.
 *
 *   node dist/bench/bench.js [--quick] [--workers 1,2] [--budgets 3,4] [--no-symmetry] [--out out/bench.json]
 *
 * and a workload-sized configuration with node symmetry, R=5 nodes=3 budget=3: 225 million
 * distinct states, 7 to 8 minutes and 11 GiB with 2 workers (so 2 workers only; `--quick`,
 * `--budgets` and `--no-symmetry` leave it out).
 *
 * "N workers" means N exploring threads: the main thread and N - 1 worker threads (`WorkerPool`).
 *
 * Every run happens in a fresh child process, so that one run's memory (and JIT warm-up) does not
 * flatter or burden the next, and so that the process's peak resident set size is that run's
 * alone. Peak RSS is the kernel's high-water mark for the whole process (`getrusage` maxRSS: the
 * main thread and every worker thread together, since they share the process), cross-checked by
 * sampling `process.memoryUsage().rss` every 50 ms. Seconds are reported twice: the exploration
 * alone, and the child process's whole life as the parent saw it (start-up, module loading and
 * worker start included).
 *
 * The counts are checked against the known ones; a mismatch is reported and makes the exit code 1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface RunSpec {
  readonly budget: number;
  readonly workers: number;
  /** The workload-sized configuration (R=5, nodes=3), with node symmetry. */
  readonly big?: boolean;
}

interface ChildResult {
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stopReason: string | null;
  readonly exploreSeconds: number;
  /** From process start (Node's own bootstrap included) to the end of exploration. */
  readonly processSeconds: number;
  readonly peakRssBytes: number;
  readonly sampledPeakRssBytes: number;
}

export interface BenchRun extends RunSpec, ChildResult {
  readonly config: string;
  /** Wall time of the child process, spawn to exit, measured by the parent. */
  readonly wallSeconds: number;
  readonly distinctPerSecond: number;
  readonly generatedPerSecond: number;
  readonly bytesPerDistinctState: number;
  readonly expected: { distinct: number; generated: number; depth: number } | null;
  readonly countsMatch: boolean | null;
}

/** Known counts of the benchmark configurations (revision 2 of the reference model). */
const EXPECTED: Record<number, { distinct: number; generated: number; depth: number }> = {
  3: { distinct: 1_517_508, generated: 6_758_509, depth: 36 },
  4: { distinct: 14_735_244, generated: 82_416_951, depth: 42 },
};

/** Known counts of the workload-sized configuration under node symmetry (TLC's SYMMETRY Permutations(Nodes) count). */
const EXPECTED_BIG = { distinct: 224_862_173, generated: 1_403_147_677, depth: 66 };
const BIG_BUDGET = 3;

const params = (spec: RunSpec) => (spec.big ? { R: 5, nodes: 3, faults: 'all', userOps: 'all', budget: spec.budget } : { R: 3, nodes: 2, faults: 'all', userOps: 'all', budget: spec.budget });
const describe = (spec: RunSpec) =>
  spec.big ? `statefulset R=5 nodes=3 faults=all userOps=all budget=${spec.budget}, node symmetry` : `statefulset R=3 nodes=2 faults=all userOps=all budget=${spec.budget}`;

async function child(spec: RunSpec): Promise<void> {
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 50);
  const { loadModel, modelRef } = await import('../registry.js');
  const { explore } = await import('../explorer/bfs.js');
  const { WorkerPool } = await import('../explorer/pool.js');
  const modelSpec = { model: 'statefulset', params: params(spec), symmetry: spec.big === true };
  // N workers: this thread and N - 1 worker threads (WorkerPool's default); one worker means
  // exploring on this thread alone (as `stsmc check --workers 1` does).
  const pool = spec.workers > 1 ? new WorkerPool(modelRef(modelSpec), spec.workers) : undefined;
  const model = loadModel(modelSpec);
  try {
    const r = await explore(model, { check: [], ...(pool ? { pool } : {}) });
    const processSeconds = process.uptime();
    clearInterval(sampler);
    sampled = Math.max(sampled, process.memoryUsage().rss);
    const result: ChildResult = {
      distinct: r.distinct,
      generated: r.generated,
      depth: r.depth,
      complete: r.complete,
      stopReason: r.stopReason,
      exploreSeconds: r.seconds,
      processSeconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      sampledPeakRssBytes: sampled,
    };
    process.stdout.write(`BENCH-RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await pool?.close();
  }
}

function runChild(spec: RunSpec): Promise<{ result: ChildResult; wallSeconds: number }> {
  const script = fileURLToPath(import.meta.url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, '--child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      const line = out.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
      if (code !== 0 || !line) return reject(new Error(`benchmark run ${JSON.stringify(spec)} failed (exit code ${code})`));
      resolve({ result: JSON.parse(line.slice('BENCH-RESULT '.length)) as ChildResult, wallSeconds });
    });
  });
}

function parseList(v: string | undefined, fallback: number[]): number[] {
  if (v === undefined) return fallback;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`not a list of positive integers: ${v}`);
  return xs;
}

function option(args: string[], name: string): string | undefined {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const num = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(args: string[]): Promise<number> {
  if (args[0] === '--child') {
    await child(JSON.parse(args[1]!) as RunSpec);
    return 0;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: node dist/bench/bench.js [--quick] [--workers 1,2] [--budgets 3,4] [--no-symmetry] [--out out/bench.json]\n');
    return 0;
  }
  const quick = args.includes('--quick');
  const budgets = parseList(option(args, '--budgets'), quick ? [3] : [3, 4]);
  const workers = parseList(option(args, '--workers'), [1, 2]);
  const outFile = option(args, '--out') ?? path.join('out', 'bench.json');

  process.stdout.write(`stsmc benchmark: node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${mib(os.totalmem())} memory\n`);
  const runs: BenchRun[] = [];
  let ok = true;
  const specs: RunSpec[] = budgets.flatMap((budget) => workers.map((w) => ({ budget, workers: w })));
  if (!quick && !args.includes('--no-symmetry') && option(args, '--budgets') === undefined) specs.push({ budget: BIG_BUDGET, workers: 2, big: true });
  for (const spec of specs) {
    const { budget, workers: w } = spec;
    const config = describe(spec);
    process.stdout.write(`\n${config}, ${w} worker${w > 1 ? `s (the main thread and ${w - 1} worker thread${w > 2 ? 's' : ''})` : ' (the main thread)'}\n`);
    const { result: r, wallSeconds } = await runChild(spec);
    const expected = spec.big ? EXPECTED_BIG : (EXPECTED[budget] ?? null);
    const countsMatch = expected ? r.distinct === expected.distinct && r.generated === expected.generated && r.depth === expected.depth : null;
    if (countsMatch === false || !r.complete) ok = false;
    const run: BenchRun = {
      budget,
      workers: w,
      config,
      ...r,
      wallSeconds,
      distinctPerSecond: r.distinct / r.exploreSeconds,
      generatedPerSecond: r.generated / r.exploreSeconds,
      bytesPerDistinctState: r.peakRssBytes / r.distinct,
      expected,
      countsMatch,
    };
    runs.push(run);
    const check = countsMatch === null ? '' : countsMatch ? ' (as expected)' : ` (EXPECTED ${num(expected!.distinct)} / ${num(expected!.generated)} / ${expected!.depth})`;
    process.stdout.write(
      [
        `  distinct ${num(r.distinct)}, generated ${num(r.generated)}, depth ${r.depth}${check}${r.complete ? '' : `, STOPPED: ${r.stopReason}`}`,
        `  ${r.exploreSeconds.toFixed(2)} s exploring, ${wallSeconds.toFixed(2)} s wall with start-up`,
        `  ${num(run.distinctPerSecond)} distinct states/s, ${num(run.generatedPerSecond)} generated states/s`,
        `  peak RSS ${mib(r.peakRssBytes)} (sampled ${mib(r.sampledPeakRssBytes)}), ${run.bytesPerDistinctState.toFixed(1)} bytes per distinct state`,
      ].join('\n') + '\n',
    );
  }

  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    totalMemoryBytes: os.totalmem(),
    runs,
  };
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\nwrote ${outFile}\n`);
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
