import type { Model } from '../../src/explorer/model.js';
import type { ModelRef } from '../../src/explorer/pool.js';

export interface GraphSpec {
  readonly states: number;
  readonly initial: readonly number[];
  /** Per action instance: its (from, to) edges, at most one per `from`. */
  readonly actions: readonly (readonly (readonly [number, number])[])[];
  readonly bad: readonly number[];
  readonly forbidden: readonly (readonly [number, number])[];
}

export function loadModel(spec: GraphSpec): Model<Uint32Array>;
export function graphRef(spec: GraphSpec): ModelRef;
