/**
 * A YAML key `__proto__` would not be data once the document becomes a JavaScript object: it
 * sets (or is ignored as) the object's prototype, so `params: { __proto__: { R: 9 } }` silently
 * meant nothing. Every file the tool reads is refused with one line instead.
 */
import { isScalar, visit, type Document, type Node } from 'yaml';
import { InputError } from './errors.js';

export function refuseProtoKeys(doc: Document | Node, where: string): void {
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') throw new InputError(`${where}: the key '__proto__' is not allowed`);
    },
  });
}
