/**
 * A model of a small random graph, for testing the explorer on models unlike the StatefulSet one:
 * states are `0 .. states-1`, each action instance a partial function from states to states.
 * Plain JavaScript (not TypeScript) because worker threads import it as it is: a `ModelRef`'s
 * loader is this file's URL and the spec is the graph itself (see `graphRef`).
 *
 * Properties: invariant `NotBad` fails in the `bad` states; step property `NoForbiddenStep` fails
 * on the `forbidden` (from, to) steps.
 */

/** @param {import('./randomGraph.d.mts').GraphSpec} spec */
export function loadModel(spec) {
  const { states, initial, actions, bad, forbidden } = spec;
  const next = actions.map((edges) => {
    const to = new Int32Array(states).fill(-1);
    for (const [from, target] of edges) to[from] = target;
    return to;
  });
  const badSet = new Uint8Array(states);
  for (const s of bad) badSet[s] = 1;
  const forbiddenSet = new Set(forbidden.map(([a, b]) => a * states + b));
  return {
    name: 'randomGraph',
    params: { states },
    stateWords: 1,
    actions: actions.map((_, index) => ({ index, family: `A${index}`, params: [], label: `A${index}`, actor: 'graph', fairness: 'none', fairGroup: `A${index}` })),
    properties: [
      { kind: 'invariant', name: 'NotBad', description: 'no bad state', holds: (s) => badSet[s[0]] === 0 },
      { kind: 'transition', name: 'NoForbiddenStep', description: 'no forbidden step', holds: (pre, post) => !forbiddenSet.has(pre[0] * states + post[0]) },
    ],
    initialStates: () => initial.map((s) => Uint32Array.of(s)),
    scratch: () => new Uint32Array(1),
    encode: (s, out, off) => {
      out[off] = s[0];
    },
    decode: (words, off, into) => {
      into[0] = words[off];
    },
    successors(s, emit) {
      const t = new Uint32Array(1);
      for (let k = 0; k < next.length; k++) {
        const to = next[k][s[0]];
        if (to < 0) continue;
        t[0] = to;
        emit(k, t);
      }
    },
    apply(s, k) {
      const to = next[k]?.[s[0]] ?? -1;
      return to < 0 ? null : Uint32Array.of(to);
    },
    explain: (s, k) => ((next[k]?.[s[0]] ?? -1) < 0 ? ['noEdge'] : []),
    view: () => {
      throw new Error('randomGraph has no view');
    },
    itf: (s) => ({ state: s[0] }),
    fromItf: (vars) => Uint32Array.of(Number(vars.state)),
  };
}

/** How worker threads rebuild the same graph. */
export function graphRef(spec) {
  return { loader: import.meta.url, spec };
}
