/**
 * A classic bug: OrderedReady that creates the next pod as soon as the previous one *exists*,
 * without waiting for it to be Running and Ready. `stsmc compare --variant no-ready-wait` shows
 * OrderedCreation breaking, with the counterexample.
 */
import type { ControllerVariant } from '../../src/spec/variant.js';

const variant: ControllerVariant = {
  name: 'no-ready-wait',
  description: 'OrderedReady creates pod i once pods 0..i-1 exist, ready or not',
  controller({ cfg, modify, without }, upstream) {
    return modify(upstream, 'CtlCreate', (a) => ({
      ...a,
      when: {
        ...without(a.when, 'predecessorsReady'),
        predecessorsExist: (c, i) => cfg.parallel || c.allExistBelow(i),
      },
    }));
  },
};
export default variant;
