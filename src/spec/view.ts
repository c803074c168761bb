/**
 * How people see a StatefulSet model state: as Kubernetes objects (`reference-model.md` "State"
 * grouped per object), and as ITF variables for other tools.
 */
import { OrderedMap } from 'immutable';
import type { FieldValue, ObjectView, StateView } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import type { Names } from './config.js';
import {
  AVAILABLE,
  Ctr,
  CTR_NAMES,
  DELETING,
  EXISTS,
  NODE,
  NODE_ST_NAMES,
  PHASE,
  PHASE_NAMES,
  POD_SIZE,
  PVC_NAMES,
  READY,
  REV,
  VOL_NAMES,
  type Layout,
  type StsState,
} from './state.js';

const obj = (fields: [string, FieldValue][]): ObjectView => OrderedMap(fields);

export function viewState(L: Layout, names: Names, s: StsState): StateView {
  const podName = names.pod;
  const claimName = names.claim;
  const STS_NAME = names.sts;
  const { R, nodes } = L;
  // Variables of features that are off take no bits and are not shown.
  const hasDeletion = L.maxValues[L.stsDeleted]! > 0;
  const hasAvailable = L.maxValues[L.pod + AVAILABLE]! > 0;
  const entries: [string, ObjectView | null][] = [];
  const set: [string, FieldValue][] = [
    ['replicas', s[L.replicas]!],
    ['partition', s[L.partition]!],
    ['updateRevision', s[L.updRev]!],
    ['currentRevision', s[L.curRev]!],
  ];
  if (hasDeletion) set.push(['deleted', s[L.stsDeleted] === 1]);
  if (L.maxValues[L.hiRev]) set.push(['newestRevision', s[L.hiRev]!]);
  entries.push([`StatefulSet ${STS_NAME}`, obj(set)]);
  if (L.hasStaleReads) {
    // What the controller's informer shows it of each pod (it may lag the pods below).
    const cache: [string, FieldValue][] = [];
    for (let i = 0; i < R; i++) cache.push([podName(i), podSummary(s, L.seen + i * POD_SIZE, hasAvailable)]);
    if (L.maxValues[L.dirty]) cache.push(['ownWritesUnobserved', s[L.dirty] === 1]);
    entries.push(['Controller cache', obj(cache)]);
  }
  for (let i = 0; i < R; i++) {
    const o = L.pod + i * POD_SIZE;
    entries.push([
      `Pod ${podName(i)}`,
      s[o + EXISTS] === 0
        ? null
        : obj([
            ['revision', s[o + REV]!],
            ['node', s[o + NODE] === 0 ? '-' : `node-${s[o + NODE]}`],
            ['phase', PHASE_NAMES[s[o + PHASE]!]!],
            ['ready', s[o + READY] === 1],
            ...(hasAvailable ? [['available', s[o + AVAILABLE] === 1] as [string, FieldValue]] : []),
            ['terminating', s[o + DELETING] === 1],
          ]),
    ]);
  }
  for (let n = 0; n < nodes; n++) {
    const fields: [string, FieldValue][] = [
      ['status', NODE_ST_NAMES[s[L.nodeSt + n]!]!],
      ['registered', s[L.nodeObj + n] === 1],
    ];
    if (L.hasAttach) fields.push(['outOfService', s[L.oos + n] === 1]);
    for (let i = 0; i < R; i++) fields.push([`container ${podName(i)}`, CTR_NAMES[s[L.ctr + n * R + i]!]!]);
    entries.push([`Node node-${n + 1}`, obj(fields)]);
  }
  for (let i = 0; i < R; i++) {
    const pvc = s[L.pvc + i]!;
    entries.push([
      `PVC ${claimName(i)}`,
      pvc === 0
        ? null
        : obj([
            ['status', PVC_NAMES[pvc]!],
            ['volume', VOL_NAMES[s[L.vol + i]!]!],
            // Where the PV is attached (VolumeAttachment) and whether that node reports it mounted.
            ...(L.hasAttach
              ? ([
                  ['attachedTo', s[L.att + i] === 0 ? '-' : `node-${s[L.att + i]}`],
                  ['inUse', s[L.inUse + i] === 1],
                ] as [string, FieldValue][])
              : []),
            // A node-local PV: the node it was provisioned on and can only be used from.
            ...(L.hasLocalStorage ? ([['pinnedTo', s[L.pvNode + i] === 0 ? '-' : `node-${s[L.pvNode + i]}`]] as [string, FieldValue][]) : []),
          ]),
    ]);
  }
  for (let i = 0; i < R; i++) {
    const identity: [string, FieldValue][] = [
      ['broken', s[L.broken + i] === 1],
      ['wroteData', s[L.written + i] === 1],
    ];
    // Where its last terminated incarnation ran: what a stale relist of that node may bring back.
    if (L.hasStaleKubelet) identity.push(['lastRanOn', s[L.ranOn + i] === 0 ? '-' : `node-${s[L.ranOn + i]}`]);
    // Static provisioning: whether the ordinal's pre-provisioned PV can still be bound.
    if (L.hasStaticPVs) identity.push(['preProvisionedPV', s[L.spent + i] === 1 ? 'released' : 'available']);
    entries.push([`Identity ${podName(i)}`, obj(identity)]);
  }
  entries.push(['Environment', obj([['budget', s[L.budget]!]])]);
  return OrderedMap(entries);
}

/** One pod record in a line: `rev 1, node-2, Running, ready, terminating`, or `-` when absent. */
function podSummary(s: StsState, o: number, hasAvailable: boolean): string {
  if (s[o + EXISTS] === 0) return '-';
  const parts = [`rev ${s[o + REV]}`, s[o + NODE] === 0 ? 'unscheduled' : `node-${s[o + NODE]}`, PHASE_NAMES[s[o + PHASE]!]!];
  if (s[o + READY] === 1) parts.push('ready');
  if (hasAvailable && s[o + AVAILABLE] === 1) parts.push('available');
  if (s[o + DELETING] === 1) parts.push('terminating');
  return parts.join(', ');
}

/** The ITF record of the pod record at `o` (absent: undefined). */
function podItf(s: StsState, o: number, hasAvailable: boolean): Record<string, unknown> | undefined {
  if (s[o + EXISTS] === 0) return undefined;
  return {
    rev: s[o + REV]!,
    node: s[o + NODE]!,
    phase: PHASE_NAMES[s[o + PHASE]!],
    ready: s[o + READY] === 1,
    deleting: s[o + DELETING] === 1,
    ...(hasAvailable ? { available: s[o + AVAILABLE] === 1 } : {}),
  };
}

/** ITF variables: the reference model's variable names, maps keyed by ordinal or node name. */
export function toItf(L: Layout, s: StsState): Record<string, unknown> {
  const { R, nodes } = L;
  const ords = Array.from({ length: R }, (_, i) => i);
  const nodeNames = Array.from({ length: nodes }, (_, n) => n + 1);
  const hasAvailable = L.maxValues[L.pod + AVAILABLE]! > 0;
  const pods = (base: number) => {
    const m = new Map<number, unknown>();
    for (const i of ords) {
      const p = podItf(s, base + i * POD_SIZE, hasAvailable);
      if (p !== undefined) m.set(i, p);
    }
    return m;
  };
  const pod = pods(L.pod);
  // Variables of features that are off are left out, so reference traces keep their exact shape.
  const extra: Record<string, unknown> = {};
  if (L.maxValues[L.stsDeleted]! > 0) extra.stsDeleted = s[L.stsDeleted] === 1;
  if (L.hasAttach) {
    extra.att = new Map(ords.map((i) => [i, s[L.att + i]!]));
    extra.inUse = new Map(ords.map((i) => [i, s[L.inUse + i] === 1]));
    extra.oos = new Map(nodeNames.map((n) => [n, s[L.oos + n - 1] === 1]));
  }
  if (L.maxValues[L.hiRev]) extra.hiRev = s[L.hiRev]!;
  if (L.hasStaleKubelet) extra.ranOn = new Map(ords.map((i) => [i, s[L.ranOn + i]!]));
  if (L.hasLocalStorage) extra.pvNode = new Map(ords.map((i) => [i, s[L.pvNode + i]!]));
  if (L.hasStaticPVs) extra.spent = new Map(ords.map((i) => [i, s[L.spent + i] === 1]));
  if (L.hasStaleReads) {
    extra.seen = pods(L.seen);
    extra.dirty = s[L.dirty] === 1;
  }
  return {
    replicas: s[L.replicas]!,
    partition: s[L.partition]!,
    updRev: s[L.updRev]!,
    curRev: s[L.curRev]!,
    pod,
    ctr: new Map(nodeNames.map((n) => [n, new Map(ords.map((i) => [i, CTR_NAMES[s[L.ctr + (n - 1) * R + i]!]]))])),
    nodeSt: new Map(nodeNames.map((n) => [n, NODE_ST_NAMES[s[L.nodeSt + n - 1]!]])),
    nodeObj: new Map(nodeNames.map((n) => [n, s[L.nodeObj + n - 1] === 1])),
    pvc: new Map(ords.map((i) => [i, PVC_NAMES[s[L.pvc + i]!]])),
    vol: new Map(ords.map((i) => [i, VOL_NAMES[s[L.vol + i]!]])),
    broken: new Map(ords.map((i) => [i, s[L.broken + i] === 1])),
    written: new Map(ords.map((i) => [i, s[L.written + i] === 1])),
    budget: s[L.budget]!,
    ...extra,
  };
}

/** Inverse of `toItf`; rejects anything that is not a state of this layout. */
export function fromItf(L: Layout, vars: Record<string, unknown>): StsState {
  const { R, nodes } = L;
  const s = new Uint8Array(L.size);
  const int = (name: string, v: unknown, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new InputError(`ITF state: '${name}' must be an integer in 0..${max}, got ${JSON.stringify(v)}`);
    return v;
  };
  const bool = (name: string, v: unknown): number => {
    if (typeof v !== 'boolean') throw new InputError(`ITF state: '${name}' must be a boolean`);
    return v ? 1 : 0;
  };
  const named = (name: string, v: unknown, names: readonly string[]): number => {
    const k = names.indexOf(v as string);
    if (k < 0) throw new InputError(`ITF state: '${name}' must be one of ${names.join(', ')}, got ${JSON.stringify(v)}`);
    return k;
  };
  const map = (name: string): Map<unknown, unknown> => {
    const v = vars[name];
    if (!(v instanceof Map)) throw new InputError(`ITF state: '${name}' must be a map`);
    return v;
  };
  s[L.replicas] = int('replicas', vars.replicas, L.maxValues[L.replicas]!);
  s[L.partition] = int('partition', vars.partition, L.maxValues[L.partition]!);
  s[L.updRev] = int('updRev', vars.updRev, L.maxValues[L.updRev]!);
  s[L.curRev] = int('curRev', vars.curRev, L.maxValues[L.curRev]!);
  s[L.budget] = int('budget', vars.budget, L.maxValues[L.budget]!);
  const readPods = (name: string, base: number) => {
    for (const [k, v] of map(name)) {
      const i = int(`${name} key`, k, R - 1);
      const p = v as Record<string, unknown>;
      if (typeof p !== 'object' || p === null) throw new InputError(`ITF state: ${name} ${i} must be a record`);
      const o = base + i * POD_SIZE;
      s[o + EXISTS] = 1;
      s[o + REV] = int(`${name}.rev`, p.rev, L.maxValues[o + REV]!);
      s[o + NODE] = int(`${name}.node`, p.node, nodes);
      s[o + PHASE] = named(`${name}.phase`, p.phase, PHASE_NAMES);
      s[o + READY] = bool(`${name}.ready`, p.ready);
      s[o + DELETING] = bool(`${name}.deleting`, p.deleting);
      if (L.maxValues[o + AVAILABLE]! > 0) s[o + AVAILABLE] = bool(`${name}.available`, p.available);
      else if (p.available !== undefined && p.available !== false) throw new InputError(`ITF state: ${name} ${i} is available, but minReadySeconds is not modelled (minReadySeconds: 0)`);
    }
  };
  readPods('pod', L.pod);
  const ctr = map('ctr');
  for (let n = 1; n <= nodes; n++) {
    const row = ctr.get(n);
    if (!(row instanceof Map)) throw new InputError(`ITF state: ctr has no node ${n}`);
    for (let i = 0; i < R; i++) s[L.ctr + (n - 1) * R + i] = named('ctr', row.get(i), L.hasAttach ? CTR_NAMES : CTR_NAMES.slice(0, Ctr.both));
    s[L.nodeSt + n - 1] = named('nodeSt', map('nodeSt').get(n), NODE_ST_NAMES);
    s[L.nodeObj + n - 1] = bool('nodeObj', map('nodeObj').get(n));
  }
  for (let i = 0; i < R; i++) {
    s[L.pvc + i] = named('pvc', map('pvc').get(i), PVC_NAMES);
    if (s[L.pvc + i]! > L.maxValues[L.pvc + i]!) throw new InputError(`ITF state: claim ${i} is pending, which only provisioning: static has`);
    s[L.vol + i] = named('vol', map('vol').get(i), VOL_NAMES);
    s[L.broken + i] = bool('broken', map('broken').get(i));
    s[L.written + i] = bool('written', map('written').get(i));
  }
  if (L.hasAttach) {
    for (let i = 0; i < R; i++) {
      s[L.att + i] = int('att', map('att').get(i), nodes);
      s[L.inUse + i] = bool('inUse', map('inUse').get(i));
    }
    for (let n = 1; n <= nodes; n++) s[L.oos + n - 1] = bool('oos', map('oos').get(n));
  } else if (vars.att !== undefined || vars.inUse !== undefined || vars.oos !== undefined) {
    throw new InputError('ITF state: it has volume attachment variables (att, inUse, oos), but attach is none');
  }
  if (L.maxValues[L.hiRev]) s[L.hiRev] = int('hiRev', vars.hiRev, L.maxValues[L.hiRev]!);
  else if (vars.hiRev !== undefined) throw new InputError('ITF state: it has the rollback variable hiRev, but rollback is off');
  if (L.hasStaleKubelet) for (let i = 0; i < R; i++) s[L.ranOn + i] = int('ranOn', map('ranOn').get(i), nodes);
  else if (vars.ranOn !== undefined) throw new InputError('ITF state: it has the variable ranOn, but staleKubelet is off');
  if (L.hasLocalStorage) for (let i = 0; i < R; i++) s[L.pvNode + i] = int('pvNode', map('pvNode').get(i), nodes);
  else if (vars.pvNode !== undefined) throw new InputError('ITF state: it has the variable pvNode, but storage is network');
  if (L.hasStaticPVs) for (let i = 0; i < R; i++) s[L.spent + i] = bool('spent', map('spent').get(i));
  else if (vars.spent !== undefined) throw new InputError('ITF state: it has the variable spent, but provisioning is dynamic');
  if (L.hasStaleReads) {
    readPods('seen', L.seen);
    s[L.dirty] = bool('dirty', vars.dirty);
    if (s[L.dirty] > L.maxValues[L.dirty]!) throw new InputError('ITF state: dirty is true, but readOwnWrites is off');
  } else if (vars.seen !== undefined || vars.dirty !== undefined) {
    throw new InputError('ITF state: it has the stale-read variables seen and dirty, but staleReads is off');
  }
  if (L.maxValues[L.stsDeleted]! > 0) s[L.stsDeleted] = bool('stsDeleted', vars.stsDeleted);
  else if (vars.stsDeleted !== undefined && vars.stsDeleted !== false) throw new InputError(`ITF state: the StatefulSet is deleted, but deleteStatefulSet is not enabled`);
  return s;
}
