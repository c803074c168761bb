/**
 * What people name in a model, resolved against it with errors that say what exists instead: step
 * labels as they type them (`CtlCreate(0), Schedule(0,1)`) against the model's action instances,
 * and an initial state by its index. Used by scripted scenarios and by `stsmc replay`.
 */
import type { Model, ModelFactory } from '../explorer/model.js';
import { InputError } from '../input/errors.js';

/** The `init`-th initial state of the model, with a clear error when there is none. */
export function initialState<S>(model: Model<S>, init: number): S {
  const inits = model.initialStates();
  if (!Number.isInteger(init) || init < 0 || init >= inits.length) {
    const range = inits.length === 1 ? 'only 0' : `0..${inits.length - 1}`;
    throw new InputError(`--init ${init} is out of range: this configuration has ${inits.length} initial state${inits.length === 1 ? '' : 's'} (${range})`);
  }
  return inits[init]!;
}

/**
 * Splits step text into labels: commas and newlines separate steps except inside parentheses,
 * `#` starts a comment that runs to the end of the line, blanks are ignored.
 */
export function splitSteps(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '');
    let depth = 0;
    let cur = '';
    for (const ch of line) {
      if (ch === '(') depth++;
      if (ch === ')') depth = Math.max(0, depth - 1);
      if (ch === ',' && depth === 0) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
  }
  return out.map(normalizeLabel).filter((s) => s.length > 0);
}

/** Labels compare without whitespace: `Schedule(0, 1)` is `Schedule(0,1)`. */
export function normalizeLabel(label: string): string {
  return label.replace(/\s+/g, '');
}

const familyOf = (label: string) => label.replace(/\(.*$/, '');

/** Label to action index for one model, and explanations for labels it does not know. */
export class ActionIndex {
  private readonly byLabel = new Map<string, number>();
  private readonly families = new Map<string, string[]>();
  private readonly actors = new Set<string>();

  constructor(
    private readonly model: Pick<Model<unknown>, 'name' | 'params' | 'actions'>,
    /** Used to tell the user which parameter value would bring a missing action family in. */
    private readonly factory?: ModelFactory,
  ) {
    for (const a of model.actions) {
      this.byLabel.set(a.label, a.index);
      const list = this.families.get(a.family) ?? [];
      list.push(a.label);
      this.families.set(a.family, list);
      this.actors.add(a.actor);
    }
  }

  has(label: string): boolean {
    return this.byLabel.has(normalizeLabel(label));
  }

  isFamily(name: string): boolean {
    return this.families.has(name);
  }

  isActor(name: string): boolean {
    return this.actors.has(name);
  }

  familyNames(): string[] {
    return [...this.families.keys()];
  }

  actorNames(): string[] {
    return [...this.actors];
  }

  /** Index of the action with this label; an `InputError` naming what exists otherwise. */
  resolve(label: string, where = 'step'): number {
    const k = this.byLabel.get(normalizeLabel(label));
    if (k !== undefined) return k;
    throw new InputError(`${where}: ${this.whyUnknown(normalizeLabel(label))}`);
  }

  /** One sentence: why `label` is not an action of this model, and what is. */
  whyUnknown(label: string): string {
    const family = familyOf(label);
    const instances = this.families.get(family);
    if (instances) {
      const shown = instances.length > 12 ? [...instances.slice(0, 12), `... (${instances.length} in all)`] : instances;
      return `unknown action '${label}': ${family} has no such instance in this configuration (instances: ${shown.join(', ')})`;
    }
    const hint = this.enablingParameter(family);
    if (hint) return `unknown action '${label}': ${family} is not part of this configuration; it exists when ${hint}`;
    const near = closest(family, this.familyNames());
    const suggestion = near ? ` (did you mean ${near}?)` : '';
    return `unknown action '${label}'${suggestion}; action families of model '${this.model.name}': ${this.familyNames().join(', ')}`;
  }

  /**
   * Which value of a set-valued parameter (e.g. `userOps` gaining `scale`) would add `family` to the
   * model: found by building the model with that value, so it stays right for any model.
   */
  private enablingParameter(family: string): string | undefined {
    const f = this.factory;
    if (!f) return undefined;
    for (const p of f.parameters) {
      if (p.kind !== 'set') continue;
      const current = (this.model.params[p.name] as readonly string[] | undefined) ?? [];
      for (const v of [...p.values, ...(p.extra ?? [])]) {
        if (current.includes(v)) continue;
        try {
          const m = f.create({ ...this.model.params, [p.name]: [...current, v] });
          if (m.actions.some((a) => a.family === family)) return `${p.name} includes ${v} (e.g. --set ${p.name}=${[...current, v].join(',')})`;
        } catch {
          // a combination the model rejects: not a useful hint
        }
      }
    }
    return undefined;
  }
}

/** The candidate nearest to `word` (case-insensitive edit distance), if it is close enough. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
