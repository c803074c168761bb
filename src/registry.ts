/**
 * The models this tool knows, by name. Worker threads import this module (see `MODEL_LOADER`) to
 * rebuild the same model from its name and parameters.
 */
import { pathToFileURL } from 'node:url';
import { twoPhaseFactory } from './examples/twoPhase.js';
import type { Model, ModelFactory } from './explorer/model.js';
import type { ModelRef } from './explorer/pool.js';
import { InputError } from './input/errors.js';
import type { RawParams } from './input/params.js';
import { statefulSetFactory } from './spec/model.js';
import { errorMessage } from './input/printable.js';
import { loadVariant, runnableVariantPath, variantReference } from './spec/variantLoader.js';

export const FACTORIES: readonly ModelFactory[] = [statefulSetFactory, twoPhaseFactory];

export interface ModelSpec {
  readonly model: string;
  readonly params: RawParams;
  /** Absolute path of a controller variant module (StatefulSet model only). */
  readonly controller?: string;
  /** Build the model with its symmetry reduction, if it has one (`CreateOptions.symmetry`). */
  readonly symmetry?: boolean;
}

export function factory(name: string): ModelFactory {
  const f = FACTORIES.find((x) => x.name === name);
  if (!f) throw new InputError(`unknown model '${name}' (models: ${FACTORIES.map((x) => x.name).join(', ')})`);
  return f;
}

/** Builds a model with no plugin (use `loadModelAsync` for a spec with a controller variant). */
export function loadModel(spec: ModelSpec): Model<unknown> {
  if (spec.controller !== undefined) throw new Error('loadModel: a controller variant must be loaded with loadModelAsync');
  return factory(spec.model).create(spec.params, undefined, { symmetry: spec.symmetry === true });
}

export async function loadModelAsync(spec: ModelSpec): Promise<Model<unknown>> {
  const f = factory(spec.model);
  const options = { symmetry: spec.symmetry === true };
  if (spec.controller === undefined) return f.create(spec.params, undefined, options);
  if (f.name !== 'statefulset') throw new InputError(`model '${f.name}' takes no controller variant`);
  const variant = spec.controller;
  try {
    const plugin = loadVariant(variant);
    variantModules.set(variant, runnableVariantPath(variant));
    return f.create(spec.params, await plugin, options);
  } catch (e) {
    // The variant's code ran while the model was built (its name, its actions' names and shapes
    // are read here): whatever it throws is its author's doing, named as such, never a bug of stsmc.
    if (e instanceof InputError) throw e;
    throw new InputError(`controller variant '${variantReference(spec.controller)}' failed while its actions were read: ${errorMessage(e)}`, { cause: e });
  }
}

/** Controller variant modules this thread has loaded: each one's path, and the module it runs (for a `.ts` one, its compiled twin). */
const variantModules = new Map<string, string>();

/**
 * The controller variant whose code `stack` (an exception's stack trace) runs in, if any: how an
 * exception that no call of stsmc's caught (thrown from a variant's timer or callback) is told
 * from a bug of stsmc.
 */
export function variantInStack(stack: string): string | undefined {
  for (const [file, runs] of variantModules) {
    for (const f of new Set([file, runnableVariantPath(file), runs])) {
      if (stack.includes(f) || stack.includes(pathToFileURL(f).href)) return variantReference(file);
    }
  }
  return undefined;
}

/** How worker threads rebuild the same model (see `modelLoader.ts`). */
export function modelRef(spec: ModelSpec): ModelRef {
  return { loader: import.meta.url.replace(/registry\.(ts|js)$/, 'modelLoader.$1'), spec };
}
