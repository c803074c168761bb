/** Reading the YAML files users hand the tool: plain data, nothing that would be more than data. */
import { isMap, isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import { InputError } from './errors.js';

/**
 * One YAML document that must be a mapping, read as plain data: the core schema, no custom tags
 * (`!!js/function` is refused, not read as a string), unique keys, at most 100 aliases (no alias
 * bombs), no `__proto__` key. `what` names the kind of file in the error ("a scenario").
 */
export function parseYamlMapping(text: string, file: string, what: string): Record<string, unknown> {
  const doc = parseDocument(text, { schema: 'core', customTags: [], prettyErrors: true, uniqueKeys: false });
  checkKeys(doc, file, text);
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) throw new InputError(`${file}: malformed YAML: ${problem.message.split('\n')[0]}`);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}: ${what} must be a YAML mapping`);
  return value as Record<string, unknown>;
}

/**
 * Keys, checked in one pass over the document (linear: the YAML library's own `uniqueKeys` check
 * compares every pair of keys of a mapping, 86 s for a 40,000-key file):
 * - no key twice in one mapping;
 * - no `__proto__` key: once the document becomes a JavaScript object it would set (or be ignored
 *   as) the object's prototype, so `params: { __proto__: { R: 9 } }` silently meant nothing.
 * Parse with `uniqueKeys: false` and call this before `toJS`.
 */
export function checkKeys(doc: Document | Node, file: string, text?: string): void {
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (key === '__proto__') throw new InputError(`${file}: the key '__proto__' is not allowed`);
        if (!isScalar(pair.key) && !isMap(pair.key)) continue;
        const id = isScalar(pair.key) ? `${typeof key}:${String(key)}` : JSON.stringify(pair.key);
        if (seen.has(id)) throw new InputError(`${file}: duplicate key ${JSON.stringify(String(key))}${lineOf(text, pair.key)}`);
        seen.add(id);
      }
    },
  });
}

function lineOf(text: string | undefined, key: unknown): string {
  const offset = (key as { range?: readonly number[] } | null)?.range?.[0];
  if (text === undefined || offset === undefined) return '';
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return ` at line ${line}`;
}
