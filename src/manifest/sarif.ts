/**
 * The risk reports as a SARIF 2.1.0 log (`check --manifest ... --sarif FILE`), the format code
 * scanning views read: one rule per hazard, one result per hazard that applies to a StatefulSet,
 * located at the manifest line of the field that makes it apply, with the findings in words and
 * what to do. Severity hazard is an error, caution a warning, info a note; a hazard whose verdict
 * a limit left open is a warning.
 */
import path from 'node:path';
import { findingText, type RiskReport } from './hazards.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
  properties: { statefulSet: string; field: string; checked: string };
}

/**
 * A file path as a SARIF artifact URI: a relative path stays relative (code scanning resolves it
 * against the repository root, so run stsmc from there); an absolute one is a `file://` URI.
 */
function artifactUri(file: string): string {
  const encoded = file.split(path.sep).map(encodeURIComponent).join('/');
  return path.isAbsolute(file) ? `file://${encoded}` : encoded;
}

export function sarifLog(reports: readonly RiskReport[], version: string): object {
  const rules: { id: string; name: string; shortDescription: { text: string } }[] = [];
  const ruleIndex = new Map<string, number>();
  const results: SarifResult[] = [];
  for (const r of reports) {
    for (const h of r.hazards) {
      if (h.status === 'safe') continue;
      if (!ruleIndex.has(h.id)) {
        ruleIndex.set(h.id, rules.length);
        rules.push({ id: h.id, name: h.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), shortDescription: { text: h.title } });
      }
      const findings = h.findings.map(findingText);
      const text =
        h.status === 'hazard'
          ? `StatefulSet ${r.statefulSet}: ${h.title}, which applies because of ${h.field.path}. ${findings.join(' ')} What to do: ${h.advice}`
          : `StatefulSet ${r.statefulSet}: ${h.title}: no verdict (${h.advice}).`;
      results.push({
        ruleId: h.id,
        ruleIndex: ruleIndex.get(h.id)!,
        level: h.status !== 'hazard' ? 'warning' : h.severity === 'info' ? 'note' : h.severity === 'caution' ? 'warning' : 'error',
        message: { text },
        locations:
          // Standard input has no file to point at.
          h.field.file !== undefined && h.field.file !== 'standard input' && h.field.line !== undefined
            ? [{ physicalLocation: { artifactLocation: { uri: artifactUri(h.field.file) }, region: { startLine: h.field.line, startColumn: h.field.column ?? 1 } } }]
            : [],
        properties: { statefulSet: r.statefulSet, field: h.field.path, checked: h.checked },
      });
    }
  }
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'stsmc', version, rules } }, results }],
  };
}
