/** Everything the CLI prints for people (stdout) and the one JSON document for machines. */
import type { PropertyResult, ScenarioResult } from '../check/runScenario.js';
import { collisionProbability } from '../explorer/fingerprint.js';
import type { ModelFactory } from '../explorer/model.js';
import { renderText } from '../report/text.js';

const fmt = (n: number) => n.toLocaleString('en-US');

export function verdictTable(results: readonly ScenarioResult[]): string {
  const rows: string[][] = [['scenario', 'property', 'expected', 'found', 'trace', '']];
  for (const r of results) {
    for (const p of r.properties) {
      const expected = p.expectedTraceLength !== undefined ? `${p.expected} (${p.expectedTraceLength})` : p.expected;
      rows.push([r.scenario, p.name, expected, p.verdict, p.traceLength !== undefined ? String(p.traceLength) : '-', mark(p)]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** A manifest report's table: what each hazard run found, with no expectation to differ from. */
export function findingsTable(results: readonly ScenarioResult[]): string {
  const rows: string[][] = [['hazard run', 'property', 'found', 'trace']];
  for (const r of results) {
    for (const p of r.properties) rows.push([r.scenario, p.name, p.verdict === 'unknown' ? `unknown: ${p.note ?? ''}` : p.verdict, p.traceLength !== undefined ? String(p.traceLength) : '-']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

function mark(p: PropertyResult): string {
  if (p.matches) return 'ok';
  if (p.note?.startsWith('skipped')) return p.note;
  if (p.verdict === 'unknown') return `UNKNOWN: ${p.note ?? ''}`;
  return 'UNEXPECTED';
}

export function summaryLine(r: ScenarioResult): string {
  const status = r.complete ? 'complete' : r.stopReason === 'allViolated' ? 'stopped: every checked property violated' : `STOPPED: ${r.stopReason}`;
  return (
    `${r.scenario}${(r.controller ?? 'upstream') === 'upstream' ? '' : ` [controller ${r.controller}]`}: ${fmt(r.distinctStates)} distinct states, ${fmt(r.generatedStates)} generated, depth ${r.depth}, ` +
    `${r.seconds.toFixed(2)} s, ${r.workers} worker${r.workers === 1 ? '' : 's'}${r.symmetry.used ? ', node symmetry' : r.symmetry.note ? `, without node symmetry (${r.symmetry.note})` : ''} (${status})`
  );
}

export function coverageReport(r: ScenarioResult): string {
  const entries = Object.entries(r.coverage);
  const width = Math.max(...entries.map(([k]) => k.length));
  const lines = entries.map(([k, v]) => `  ${k.padEnd(width)}  ${fmt(v)}${v === 0 ? '  (never enabled)' : ''}`);
  const p = collisionProbability(r.distinctStates, r.generatedStates);
  return [`Coverage of ${r.scenario} (times each action fired):`, ...lines, `Fingerprint collision probability (optimistic): ${p.toExponential(1)}`].join('\n');
}

export function counterexamples(r: ScenarioResult): string[] {
  return r.properties
    .filter((p) => p.counterexample)
    .map((p) => {
      const files = p.files.length ? `\n  written to ${p.files.join(', ')}` : '';
      return renderText(p.counterexample!) + files;
    });
}

export function overall(results: readonly ScenarioResult[]): string {
  const props = results.flatMap((r) => r.properties);
  const differing = props.filter((p) => !p.matches && p.verdict !== 'unknown').length;
  const unknown = props.filter((p) => p.verdict === 'unknown' && !p.note?.startsWith('skipped')).length;
  const head = `${results.length} scenario${results.length === 1 ? '' : 's'}, ${props.length} propert${props.length === 1 ? 'y' : 'ies'}`;
  const skipped = props.filter((p) => p.note?.startsWith('skipped')).length;
  const skippedNote = skipped ? ` (${skipped} liveness propert${skipped === 1 ? 'y' : 'ies'} skipped: --no-liveness)` : '';
  if (differing) return `${head}: ${differing} verdict${differing === 1 ? ' differs' : 's differ'} from the expected one${differing === 1 ? '' : 's'}`;
  if (unknown) return `${head}: ${unknown} verdict${unknown === 1 ? '' : 's'} not reached (a limit stopped exploration)${skippedNote}`;
  const stopped = results.filter((r) => !r.complete && r.properties.length === 0).length;
  if (stopped) return `${head}: a limit stopped exploration before it was complete (nothing was checked)`;
  return `${head}: every verdict as expected${skippedNote}`;
}

/** The `--json` document (one per run); `extra` adds top-level fields (a manifest's `riskReports`). */
export function jsonReport(results: readonly ScenarioResult[], extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify(
    {
      ...extra,
      results: results.map((r) => ({
        scenario: r.scenario,
        model: r.model,
        controller: r.controller ?? 'upstream',
        params: r.params,
        complete: r.complete,
        stopReason: r.stopReason,
        distinctStates: r.distinctStates,
        generatedStates: r.generatedStates,
        depth: r.depth,
        seconds: Number(r.seconds.toFixed(3)),
        workers: r.workers,
        symmetry: r.symmetry,
        coverage: r.coverage,
        properties: r.properties.map((p) => ({
          name: p.name,
          kind: p.kind,
          verdict: p.verdict,
          expected: p.expected,
          traceLength: p.traceLength ?? null,
          files: p.files,
          ...(p.note ? { note: p.note } : {}),
        })),
      })),
    },
    null,
    2,
  );
}

export function modelList(factories: readonly ModelFactory[]): string {
  const out: string[] = [];
  for (const f of factories) {
    const nameWidth = Math.max(...f.parameters.map((p) => p.name.length)) + 1;
    out.push(`${f.name}: ${f.description}`, '  parameters:');
    for (const p of f.parameters) {
      const domain =
        p.kind === 'int' ? `${p.min}..${p.max}` : p.kind === 'enum' ? p.values.join(' | ') : p.kind === 'bool' ? 'true | false' : p.kind === 'name' ? 'a name' : `subset of {${p.values.join(', ')}} (or all, none)${p.extra?.length ? `; also ${p.extra.join(', ')} (not in all)` : ''}`;
      const def = p.kind === 'int' && p.defaultFrom ? p.defaultFrom : p.kind === 'set' ? `[${p.default.join(', ')}]` : String(p.default);
      out.push(`    ${p.name.padEnd(nameWidth)} ${domain}  (default ${def})  ${p.description}`);
    }
    out.push('  properties:');
    for (const p of f.propertyNames) out.push(`    ${p.name.padEnd(20)} ${p.kind.padEnd(10)} ${p.description}`);
    out.push('');
  }
  return out.join('\n');
}
