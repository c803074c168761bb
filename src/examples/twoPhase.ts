/**
 * Two-phase commit (after Lamport's `TwoPhase.tla`): a model with nothing to do with Kubernetes,
 * plugged in through the same contract, to show and test that the explorer is model-agnostic.
 * With 3 resource managers it has 288 reachable states, as in TLC. `bug: true` lets the transaction
 * manager commit once *any* manager is prepared, which breaks consistency.
 */
import { OrderedMap } from 'immutable';
import type { ActionInstance, FieldValue, Model, ObjectView, ModelFactory, ParameterSpec, Property } from '../explorer/model.js';
import { packLayout } from '../explorer/packing.js';
import { InputError } from '../input/errors.js';
import { resolveParams } from '../input/params.js';

const RM_STATES = ['working', 'prepared', 'committed', 'aborted'] as const;
const TM_STATES = ['init', 'committed', 'aborted'] as const;

const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'rms', kind: 'int', min: 1, max: 8, default: 3, description: 'number of resource managers' },
  { name: 'bug', kind: 'enum', values: ['false', 'true'], default: 'false', description: 'commit after the first prepared message' },
];

type Fam = {
  name: string;
  perRm: boolean;
  guard(s: Uint8Array, r: number, why?: string[]): boolean;
  effect(t: Uint8Array, r: number): void;
};

function create(raw: Readonly<Record<string, unknown>>): Model<Uint8Array> {
  const params = resolveParams('twophase', PARAMETERS, raw);
  const n = params.rms as number;
  const bug = params.bug === 'true';
  // Layout: rm[n], tm, tmPrepared[n], msgPrepared[n], msgCommit, msgAbort.
  const RM = 0;
  const TM = n;
  const TP = n + 1;
  const MP = 2 * n + 1;
  const MC = 3 * n + 1;
  const MA = 3 * n + 2;
  const size = 3 * n + 3;
  const max = new Array<number>(size).fill(1);
  for (let r = 0; r < n; r++) max[RM + r] = 3;
  max[TM] = 2;
  const packed = packLayout(max);
  const need = (why: string[] | undefined, c: string) => (why ? (why.push(c), false) : true);
  const done = (why?: string[]) => why === undefined || why.length === 0;

  const fams: Fam[] = [
    {
      name: 'TMRcvPrepared',
      perRm: true,
      guard: (s, r, why) => (s[TM] === 0 || !need(why, 'tmInit')) && (s[MP + r] === 1 || !need(why, 'prepareMsg')) && done(why),
      effect: (t, r) => void (t[TP + r] = 1),
    },
    {
      name: 'TMCommit',
      perRm: false,
      guard(s, _r, why) {
        let prepared = 0;
        for (let r = 0; r < n; r++) prepared += s[TP + r]!;
        if (s[TM] !== 0 && need(why, 'tmInit')) return false;
        if (!(bug ? prepared > 0 : prepared === n) && need(why, 'allPrepared')) return false;
        return done(why);
      },
      effect(t) {
        t[TM] = 1;
        t[MC] = 1;
      },
    },
    {
      name: 'TMAbort',
      perRm: false,
      guard: (s, _r, why) => (s[TM] === 0 || !need(why, 'tmInit')) && done(why),
      effect(t) {
        t[TM] = 2;
        t[MA] = 1;
      },
    },
    {
      name: 'RMPrepare',
      perRm: true,
      guard: (s, r, why) => (s[RM + r] === 0 || !need(why, 'working')) && done(why),
      effect(t, r) {
        t[RM + r] = 1;
        t[MP + r] = 1;
      },
    },
    {
      name: 'RMChooseToAbort',
      perRm: true,
      guard: (s, r, why) => (s[RM + r] === 0 || !need(why, 'working')) && done(why),
      effect: (t, r) => void (t[RM + r] = 3),
    },
    {
      name: 'RMRcvCommitMsg',
      perRm: true,
      guard: (s, _r, why) => (s[MC] === 1 || !need(why, 'commitMsg')) && done(why),
      effect: (t, r) => void (t[RM + r] = 2),
    },
    {
      name: 'RMRcvAbortMsg',
      perRm: true,
      guard: (s, _r, why) => (s[MA] === 1 || !need(why, 'abortMsg')) && done(why),
      effect: (t, r) => void (t[RM + r] = 3),
    },
  ];
  const inst: { fam: Fam; r: number }[] = [];
  const actions: ActionInstance[] = [];
  for (const fam of fams) {
    for (const r of fam.perRm ? Array.from({ length: n }, (_, k) => k) : [0]) {
      const label = fam.perRm ? `${fam.name}(${r})` : fam.name;
      inst.push({ fam, r });
      actions.push({
        index: actions.length,
        family: fam.name,
        params: fam.perRm ? [r] : [],
        label,
        actor: fam.name.startsWith('TM') ? 'tm' : 'rm',
        fairness: fam.name === 'RMChooseToAbort' ? 'none' : 'weak',
        fairGroup: label,
      });
    }
  }
  const allDecided = (s: Uint8Array) => {
    for (let r = 0; r < n; r++) if (s[RM + r]! < 2) return false;
    return true;
  };
  const properties: Property<Uint8Array>[] = [
    {
      kind: 'invariant',
      name: 'Consistent',
      description: 'no resource manager commits while another aborts',
      holds(s) {
        let c = false;
        let a = false;
        for (let r = 0; r < n; r++) {
          c ||= s[RM + r] === 2;
          a ||= s[RM + r] === 3;
        }
        return !(c && a);
      },
    },
    {
      kind: 'transition',
      name: 'DecisionsStick',
      description: 'a committed or aborted resource manager never changes its mind',
      holds(pre, post) {
        for (let r = 0; r < n; r++) if (pre[RM + r]! >= 2 && post[RM + r] !== pre[RM + r]) return false;
        return true;
      },
    },
    { kind: 'liveness', name: 'AllDecide', description: 'eventually every resource manager commits or aborts', form: 'eventually', p: allDecided },
  ];
  const next = new Uint8Array(size);
  return {
    name: 'twophase',
    params,
    stateWords: packed.words,
    actions,
    properties,
    initialStates: () => [new Uint8Array(size)],
    scratch: () => new Uint8Array(size),
    encode: packed.encode,
    decode: packed.decode,
    successors(s, emit) {
      for (let k = 0; k < inst.length; k++) {
        const { fam, r } = inst[k]!;
        if (!fam.guard(s, r)) continue;
        next.set(s);
        fam.effect(next, r);
        emit(k, next);
      }
    },
    apply(s, action) {
      const x = inst[action];
      if (!x || !x.fam.guard(s, x.r)) return null;
      const t = s.slice();
      x.fam.effect(t, x.r);
      return t;
    },
    explain(s, action) {
      const x = inst[action];
      if (!x) return ['unknownAction'];
      const why: string[] = [];
      x.fam.guard(s, x.r, why);
      return why;
    },
    view(s) {
      const objects: [string, ObjectView][] = [
        ['TM', OrderedMap<string, FieldValue>([['state', TM_STATES[s[TM]!]!], ['commitSent', s[MC] === 1], ['abortSent', s[MA] === 1]])],
      ];
      for (let r = 0; r < n; r++) {
        const fields: [string, FieldValue][] = [['state', RM_STATES[s[RM + r]!]!], ['prepareSent', s[MP + r] === 1], ['tmKnowsPrepared', s[TP + r] === 1]];
        objects.push([`RM ${r}`, OrderedMap(fields)]);
      }
      return OrderedMap(objects);
    },
    itf: (s) => ({ words: Array.from(s) }),
    fromItf(vars) {
      const w = vars.words;
      if (!Array.isArray(w) || w.length !== size || !w.every((x, k) => Number.isInteger(x) && x >= 0 && x <= max[k]!)) {
        throw new InputError(`ITF state: 'words' must be ${size} small integers`);
      }
      return Uint8Array.from(w as number[]);
    },
  };
}

export const twoPhaseFactory: ModelFactory = {
  name: 'twophase',
  description: 'two-phase commit (TwoPhase.tla): a small non-Kubernetes model that exercises the engine',
  parameters: PARAMETERS,
  propertyNames: [
    { name: 'Consistent', kind: 'invariant', description: 'no resource manager commits while another aborts' },
    { name: 'DecisionsStick', kind: 'transition', description: 'a committed or aborted resource manager never changes its mind' },
    { name: 'AllDecide', kind: 'liveness', description: 'eventually every resource manager commits or aborts' },
  ],
  create,
};
