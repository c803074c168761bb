/**
 * Strongly connected components by Tarjan's algorithm, iteratively (an explicit call stack: state
 * graphs have millions of states, far beyond JavaScript's recursion depth), over the subgraph
 * induced by one *region*: the states `s` with `region[s] === tag`. Liveness checking runs it on
 * the whole graph, on the states where a predicate fails, and again inside a component after
 * pruning it for strong fairness.
 *
 * Memory: 21 bytes per state (index, lowlink, SCC stack, call stack of state and edge position,
 * on-stack flag), allocated once and reused by every run.
 */
import { NO_TARGET, type StateGraph } from './graph.js';

export class Tarjan {
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Uint32Array;
  private readonly callState: Uint32Array;
  private readonly callEdge: Uint32Array;

  constructor(private readonly g: StateGraph) {
    const n = g.states;
    this.index = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Uint32Array(n);
    this.callState = new Uint32Array(n);
    this.callEdge = new Uint32Array(n);
  }

  /**
   * Calls `onScc` for every component of the region that has an internal edge (two states or more:
   * self-loops are not in the graph), with a view of its members that is valid only during the
   * call. `nodes` must list every state of the region (`null`: the region is picked out of all
   * states); roots are taken in that order. `onScc` may move the members to another region (any
   * tag but `tag`): they are finished and no longer looked at.
   */
  run(region: Int32Array, tag: number, nodes: Uint32Array | null, onScc: (members: Uint32Array) => void): void {
    const { offsets, targets } = this.g;
    const { index, low, onStack, stack, callState, callEdge } = this;
    const count = nodes ? nodes.length : this.g.states;
    let counter = 0;
    let sp = 0;
    let cp = 0;
    for (let r = 0; r < count; r++) {
      const root = nodes ? nodes[r]! : r;
      if (index[root] !== -1 || region[root] !== tag) continue;
      // The state to visit next (push on both stacks), or -1: the root first, then each newly
      // reached successor, so that one place does the pushing.
      let next = root;
      for (;;) {
        if (next !== -1) {
          index[next] = low[next] = counter++;
          stack[sp++] = next;
          onStack[next] = 1;
          callState[cp] = next;
          callEdge[cp] = offsets[next]!;
          cp++;
          next = -1;
        }
        if (cp === 0) break;
        const v = callState[cp - 1]!;
        const e = callEdge[cp - 1]!;
        if (e < offsets[v + 1]!) {
          callEdge[cp - 1] = e + 1;
          const w = targets[e]!;
          if (w === NO_TARGET || region[w] !== tag) continue;
          if (index[w] === -1) next = w;
          else if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
          continue;
        }
        cp--;
        if (cp > 0) {
          const u = callState[cp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
        if (low[v] === index[v]) {
          let lo = sp;
          do {
            lo--;
            onStack[stack[lo]!] = 0;
          } while (stack[lo] !== v);
          if (sp - lo > 1) onScc(stack.subarray(lo, sp));
          sp = lo;
        }
      }
    }
    if (nodes) for (let r = 0; r < count; r++) index[nodes[r]!] = -1;
    else index.fill(-1);
  }
}
