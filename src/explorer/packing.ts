/**
 * Bit-packing of a byte-per-field working state into 32-bit words.
 *
 * A model describes its fields (each a small unsigned integer with a known maximum); this module
 * assigns each field a bit range that never straddles a word and *generates* straight-line
 * encode/decode functions for that layout. Generated code matters here: encoding runs once per
 * generated state (tens of millions of times), and an unrolled sequence of shifts is several times
 * faster than a loop over a field table.
 */

export interface PackedLayout {
  /** Number of 32-bit words of a packed state. */
  readonly words: number;
  /** Total number of bits used. */
  readonly bits: number;
  encode(s: Uint8Array, out: Uint32Array, off: number): void;
  decode(words: Uint32Array, off: number, into: Uint8Array): void;
}

/** `maxValues[f]` is the largest value field `f` of the byte array may hold. */
export function packLayout(maxValues: readonly number[]): PackedLayout {
  const place: { field: number; word: number; shift: number; width: number }[] = [];
  let word = 0;
  let used = 0;
  let bits = 0;
  maxValues.forEach((max, field) => {
    if (!Number.isInteger(max) || max < 0 || max > 255) throw new Error(`field ${field}: maximum ${max} is not a byte`);
    const width = max === 0 ? 0 : 32 - Math.clz32(max);
    if (width === 0) return; // constant field: always 0, nothing to store
    if (used + width > 32) {
      word += 1;
      used = 0;
    }
    place.push({ field, word, shift: used, width });
    used += width;
    bits += width;
  });
  const words = Math.max(1, word + 1);

  const enc: string[] = [];
  for (let w = 0; w < words; w++) {
    const parts = place.filter((p) => p.word === w).map((p) => (p.shift === 0 ? `s[${p.field}]` : `(s[${p.field}] << ${p.shift})`));
    enc.push(`out[off + ${w}] = ${parts.length ? parts.join(' | ') : '0'};`);
  }
  // Every field is written (constant fields with 0), so `into` needs no clearing first.
  const dec: string[] = [];
  for (let w = 0; w < words; w++) dec.push(`const w${w} = words[off + ${w}];`);
  const byField = new Map(place.map((p) => [p.field, p]));
  for (let field = 0; field < maxValues.length; field++) {
    const p = byField.get(field);
    if (p === undefined) {
      dec.push(`into[${field}] = 0;`);
      continue;
    }
    const mask = (1 << p.width) - 1;
    const shifted = p.shift === 0 ? `w${p.word}` : `(w${p.word} >>> ${p.shift})`;
    dec.push(`into[${field}] = ${p.shift + p.width === 32 ? shifted : `${shifted} & ${mask}`};`);
  }
  // Generated from numbers only (no user text), so this is not an injection surface.
  const encode = new Function('s', 'out', 'off', enc.join('\n')) as PackedLayout['encode'];
  const decode = new Function('words', 'off', 'into', dec.join('\n')) as PackedLayout['decode'];
  return { words, bits, encode, decode };
}
