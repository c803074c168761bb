/** Reading the YAML files users hand the tool: plain data, nothing that would be more than data. */
import { isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import { InputError } from './errors.js';

/**
 * One YAML document that must be a mapping, read as plain data: the core schema, no custom tags
 * (`!!js/function` is refused, not read as a string), unique keys, at most 100 aliases (no alias
 * bombs), no `__proto__` key. `what` names the kind of file in the error ("a scenario").
 */
export function parseYamlMapping(text: string, file: string, what: string): Record<string, unknown> {
  const doc = parseDocument(text, { schema: 'core', customTags: [], prettyErrors: true, uniqueKeys: true });
  refuseProtoKeys(doc, file);
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) throw new InputError(`${file}: malformed YAML: ${problem.message.split('\n')[0]}`);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}: ${what} must be a YAML mapping`);
  return value as Record<string, unknown>;
}

/**
 * A YAML key `__proto__` would not be data once the document becomes a JavaScript object: it
 * sets (or is ignored as) the object's prototype, so `params: { __proto__: { R: 9 } }` silently
 * meant nothing. Every file the tool reads is refused with one line instead.
 */
export function refuseProtoKeys(doc: Document | Node, where: string): void {
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') throw new InputError(`${where}: the key '__proto__' is not allowed`);
    },
  });
}
