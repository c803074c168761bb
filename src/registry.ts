/**
 * The models this tool knows, by name. Worker threads import this module (see `MODEL_LOADER`) to
 * rebuild the same model from its name and parameters.
 */
import { twoPhaseFactory } from './examples/twoPhase.js';
import type { Model, ModelFactory } from './explorer/model.js';
import type { ModelRef } from './explorer/pool.js';
import { InputError } from './input/errors.js';
import type { RawParams } from './input/params.js';
import { statefulSetFactory } from './spec/model.js';
import { loadVariant } from './spec/variantLoader.js';

export const FACTORIES: readonly ModelFactory[] = [statefulSetFactory, twoPhaseFactory];

export interface ModelSpec {
  readonly model: string;
  readonly params: RawParams;
  /** Absolute path of a controller variant module (StatefulSet model only). */
  readonly controller?: string;
}

export function factory(name: string): ModelFactory {
  const f = FACTORIES.find((x) => x.name === name);
  if (!f) throw new InputError(`unknown model '${name}' (models: ${FACTORIES.map((x) => x.name).join(', ')})`);
  return f;
}

/** Builds a model with no plugin (use `loadModelAsync` for a spec with a controller variant). */
export function loadModel(spec: ModelSpec): Model<unknown> {
  if (spec.controller !== undefined) throw new Error('loadModel: a controller variant must be loaded with loadModelAsync');
  return factory(spec.model).create(spec.params);
}

export async function loadModelAsync(spec: ModelSpec): Promise<Model<unknown>> {
  const f = factory(spec.model);
  if (spec.controller === undefined) return f.create(spec.params);
  if (f.name !== 'statefulset') throw new InputError(`model '${f.name}' takes no controller variant`);
  return f.create(spec.params, await loadVariant(spec.controller));
}

/** How worker threads rebuild the same model (see `modelLoader.ts`). */
export function modelRef(spec: ModelSpec): ModelRef {
  return { loader: import.meta.url.replace(/registry\.(ts|js)$/, 'modelLoader.$1'), spec };
}
