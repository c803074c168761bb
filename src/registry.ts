/**
 * The models this tool knows, by name. Worker threads import this module (see `MODEL_LOADER`) to
 * rebuild the same model from its name and parameters.
 */
import type { Model, ModelFactory } from './explorer/model.js';
import { InputError, type RawParams } from './explorer/params.js';
import type { ModelRef } from './explorer/pool.js';
import { twoPhaseFactory } from './examples/twoPhase.js';
import { statefulSetFactory } from './spec/model.js';

export const FACTORIES: readonly ModelFactory[] = [statefulSetFactory, twoPhaseFactory];

export interface ModelSpec {
  readonly model: string;
  readonly params: RawParams;
}

export function factory(name: string): ModelFactory {
  const f = FACTORIES.find((x) => x.name === name);
  if (!f) throw new InputError(`unknown model '${name}' (models: ${FACTORIES.map((x) => x.name).join(', ')})`);
  return f;
}

export function loadModel(spec: ModelSpec): Model<unknown> {
  return factory(spec.model).create(spec.params);
}

export function modelRef(spec: ModelSpec): ModelRef {
  return { loader: import.meta.url, spec };
}
