import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featureConfigs, sts, walk } from '../helpers.js';

/** Random small configurations of the reference model and of its features outside the reference profile. */
const configs = featureConfigs;
const walks = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 40 });

describe('StatefulSet model purity and encoding', () => {
  it('packed encoding round-trips for every reachable state', () => {
    fc.assert(
      fc.property(configs, walks, (params, choices) => {
        const model = sts(params);
        const words = new Uint32Array(model.stateWords);
        const back = model.scratch();
        for (const s of walk(model, choices)) {
          model.encode(s, words, 0);
          model.decode(words, 0, back);
          expect(Array.from(back)).toEqual(Array.from(s));
        }
      }),
      { numRuns: process.env.STSMC_LONG ? 200 : 60 },
    );
  });

  it('transition functions never modify their input and depend only on it', () => {
    fc.assert(
      fc.property(configs, walks, (params, choices) => {
        const model = sts(params);
        const other = sts(params); // a second instance: no hidden state shared through the model
        for (const s of walk(model, choices)) {
          const before = Array.from(s);
          const emitted = new Map<number, number[]>();
          model.successors(s, (k, t) => emitted.set(k, Array.from(t)));
          expect(Array.from(s)).toEqual(before);
          for (let k = 0; k < model.actions.length; k++) {
            const t = model.apply(s, k);
            expect(Array.from(s)).toEqual(before);
            const again = other.apply(s, k);
            if (t === null) {
              expect(emitted.has(k)).toBe(false);
              expect(again).toBeNull();
              expect(model.explain(s, k).length).toBeGreaterThan(0);
            } else {
              expect(Array.from(t)).toEqual(emitted.get(k));
              expect(Array.from(again!)).toEqual(emitted.get(k));
              expect(model.explain(s, k)).toEqual([]);
            }
          }
        }
      }),
      { numRuns: process.env.STSMC_LONG ? 100 : 40 },
    );
  });

  it('properties and views do not modify the state', () => {
    fc.assert(
      fc.property(configs, walks, (params, choices) => {
        const model = sts(params);
        const states = walk(model, choices);
        for (let k = 1; k < states.length; k++) {
          const pre = states[k - 1]!;
          const post = states[k]!;
          const snapshot = [Array.from(pre), Array.from(post)];
          for (const p of model.properties) {
            if (p.kind === 'invariant') p.holds(post);
            else if (p.kind === 'transition') p.holds(pre, post, 0);
            else p.p(post);
          }
          model.view(post);
          model.itf(post);
          expect([Array.from(pre), Array.from(post)]).toEqual(snapshot);
          expect(Array.from(model.fromItf(model.itf(post)))).toEqual(Array.from(post));
        }
      }),
      { numRuns: process.env.STSMC_LONG ? 100 : 40 },
    );
  });
});
