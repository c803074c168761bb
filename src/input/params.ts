/**
 * Model parameters as the user gives them (YAML values, `--set KEY=VALUE` strings) and as
 * everything downstream trusts them: resolved against the model's `ParameterSpec`s.
 */
import type { ParameterSpec } from '../explorer/model.js';
import { InputError } from './errors.js';

export type RawParams = Readonly<Record<string, unknown>>;
export type ResolvedParams = Readonly<Record<string, number | string | boolean | readonly string[]>>;

/**
 * Turns raw parameters (from YAML, where values are typed, or from `--set`, where they are
 * strings) into a complete, validated, frozen object: every parameter present, every value in its
 * domain. Everything downstream trusts the result.
 */
export function resolveParams(model: string, specs: readonly ParameterSpec[], raw: RawParams): ResolvedParams {
  const known = new Map(specs.map((p) => [p.name, p]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      const names = specs.map((p) => p.name).join(', ');
      throw new InputError(`unknown parameter '${key}' for model '${model}' (parameters: ${names})`);
    }
  }
  const out: Record<string, number | string | boolean | readonly string[]> = {};
  for (const spec of specs) {
    const value = raw[spec.name];
    if (value !== undefined) out[spec.name] = coerce(spec, value);
    else if (spec.kind === 'int' && spec.defaultFrom !== undefined) out[spec.name] = out[spec.defaultFrom] as number;
    else out[spec.name] = spec.default;
  }
  return Object.freeze(out);
}

function coerce(spec: ParameterSpec, value: unknown): number | string | boolean | readonly string[] {
  const where = `parameter '${spec.name}'`;
  switch (spec.kind) {
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isInteger(n)) throw new InputError(`${where} must be an integer, got ${typeof value === 'number' && !Number.isFinite(value) ? 'a number too large to represent' : show(value)}`);
      if (n < spec.min || n > spec.max) throw new InputError(`${where} must be in ${spec.min}..${spec.max}, got ${n}`);
      return n;
    }
    case 'enum': {
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new InputError(`${where} must be one of ${spec.values.join(', ')}, got ${show(value)}`);
      }
      return value;
    }
    case 'bool': {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new InputError(`${where} must be true or false, got ${show(value)}`);
    }
    case 'name': {
      if (typeof value !== 'string' || !spec.pattern.test(value)) throw new InputError(`${where} must match ${spec.pattern.source}, got ${show(value)}`);
      return value;
    }
    case 'set': {
      // `all` means the spec's values; `extra` values are accepted only when named.
      const allowed = [...spec.values, ...(spec.extra ?? [])];
      let items: unknown[];
      if (typeof value === 'string') {
        const v = value.trim();
        if (v === 'all') return [...spec.values];
        if (v === 'none' || v === '') return [];
        items = v.split(',').map((x) => x.trim());
      } else if (Array.isArray(value)) {
        // A set of numbers (`badRevs: [1, 2]`) is a set of their decimal names.
        items = value.map((x: unknown) => (typeof x === 'number' && Number.isInteger(x) ? String(x) : x));
      } else if (typeof value === 'number' && Number.isInteger(value)) {
        items = [String(value)];
      } else if (value === null) {
        items = [];
      } else {
        throw new InputError(`${where} must be a list of ${allowed.join(', ')}, got ${show(value)}`);
      }
      if (items.length === 1 && items[0] === 'all') return [...spec.values];
      if (items.length === 1 && items[0] === 'none') return [];
      const seen = new Set<string>();
      for (const item of items) {
        if (item === 'all' && spec.extra?.length) {
          // `all,extra` = every reference value plus the named extra ones.
          for (const v of spec.values) seen.add(v);
          continue;
        }
        if (typeof item !== 'string' || !allowed.includes(item)) {
          throw new InputError(`${where}: unknown value ${show(item)} (allowed: ${allowed.join(', ')}, all, none)`);
        }
        seen.add(item);
      }
      // Canonical order, so that equal sets print and compare equal.
      return allowed.filter((v) => seen.has(v));
    }
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/** Parses `KEY=VALUE` pairs from `--set`; later pairs win. */
export function parseSetOptions(pairs: readonly string[]): Record<string, string> {
  // No prototype: `--set __proto__=x` is a key like any other (an unknown parameter), not a no-op.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--set expects KEY=VALUE, got '${pair}'`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
