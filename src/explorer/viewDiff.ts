/**
 * What changed between two views of a state (the contract's `StateView`), object by object and
 * field by field, and a field's value in words. Model-agnostic and pure; it lives beside the
 * contract because every layer above needs it: replay and conformance to record and check steps,
 * the renderers in src/report/ to draw them.
 */
import { is } from 'immutable';
import type { FieldValue, StateView } from './model.js';

export type ObjectChange =
  | { readonly object: string; readonly kind: 'created'; readonly fields: readonly [string, FieldValue][] }
  | { readonly object: string; readonly kind: 'deleted' }
  | { readonly object: string; readonly kind: 'changed'; readonly fields: readonly [string, FieldValue, FieldValue][] };

export function diffViews(before: StateView, after: StateView): ObjectChange[] {
  const out: ObjectChange[] = [];
  for (const [name, now] of after) {
    const was = before.get(name) ?? null;
    if (is(was, now)) continue;
    if (was === null && now !== null) out.push({ object: name, kind: 'created', fields: [...now.entries()] });
    else if (now === null) out.push({ object: name, kind: 'deleted' });
    else {
      const fields: [string, FieldValue, FieldValue][] = [];
      for (const [field, value] of now) {
        const old = was!.get(field);
        if (old !== value) fields.push([field, old as FieldValue, value]);
      }
      out.push({ object: name, kind: 'changed', fields });
    }
  }
  return out;
}

export function showValue(v: FieldValue | undefined): string {
  if (v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** One line for one object's change: `Pod web-0: phase Pending -> Running`. */
export function describeChange(c: ObjectChange): string {
  switch (c.kind) {
    case 'created':
      return `${c.object}: created (${c.fields.map(([f, v]) => `${f}=${showValue(v)}`).join(', ')})`;
    case 'deleted':
      return `${c.object}: deleted`;
    case 'changed':
      return `${c.object}: ${c.fields.map(([f, a, b]) => `${f} ${showValue(a)} -> ${showValue(b)}`).join(', ')}`;
  }
}
