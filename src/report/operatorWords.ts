/**
 * What a step of the StatefulSet model is in Kubernetes terms, with the workload's own names: the
 * `kubectl` command for a user's operation, the component and what it does for the rest
 * (`ForceDeletePod(0)`: `kubectl delete pod web-0 --force --grace-period=0`; `Schedule(0,2)`: the
 * scheduler binds web-0 to node-2). Traces keep the model's labels (replay reads them); these
 * words go next to them, and `displayLabel` shows a label with the pods' own ordinals when the set's
 * `ordinals.start` is not 0.
 */

interface Names {
  pod(i: number): string;
  pvc(i: number): string;
  node(n: number): string;
  readonly set: string;
}

function namesOf(params: Readonly<Record<string, unknown>>): Names {
  const set = typeof params.name === 'string' ? params.name : 'web';
  const claim = typeof params.claim === 'string' ? params.claim : 'data';
  const start = startOf(params);
  return { set, pod: (i) => `${set}-${start + i}`, pvc: (i) => `${claim}-${set}-${start + i}`, node: (n) => `node-${n}` };
}

type Words = (a: readonly number[], n: Names) => string;

/**
 * What each argument of a label is: an ordinal (`O`, model ordinals count from 0, pods from
 * `ordinals.start`), a node (`N`, already 1-based in labels: `node-N`), or a plain value (`V`: a
 * replica count, a partition or a revision, shown as the user types it). test/report/operatorWords
 * checks these kinds against the model's action instances (a node argument takes values 1..nodes,
 * an ordinal 0..R-1), so a family whose parameters change cannot be relabelled wrongly unnoticed.
 */
type Arg = 'O' | 'N' | 'V';
const O: Arg = 'O';
const N: Arg = 'N';
const V: Arg = 'V';

const WORDS: Record<string, readonly [readonly Arg[], Words]> = {
  // The StatefulSet controller (pkg/controller/statefulset).
  CtlCreate: [[O], ([i], n) => `the StatefulSet controller creates pod ${n.pod(i!)} (and claim ${n.pvc(i!)} if it is missing)`],
  CtlDeleteFailed: [[O], ([i], n) => `the StatefulSet controller deletes the failed pod ${n.pod(i!)} to recreate it`],
  CtlDeleteStuck: [[O], ([i], n) => `the controller deletes the outdated pending pod ${n.pod(i!)}`],
  CtlScaleDown: [[O], ([i], n) => `the StatefulSet controller deletes pod ${n.pod(i!)} (scale-down, highest ordinal first)`],
  CtlUpdate: [[O], ([i], n) => `the StatefulSet controller deletes pod ${n.pod(i!)} to recreate it at the update revision`],
  CtlAdvance: [[], (_a, n) => `the StatefulSet controller records the update revision of ${n.set} as its current revision`],
  CtlRecreatePVC: [[O], ([i], n) => `the StatefulSet controller recreates claim ${n.pvc(i!)}`],
  CtlMarkClaim: [[O], ([i], n) => `the StatefulSet controller sets the owner reference of claim ${n.pvc(i!)} for the retention policy`],
  CtlFixClaim: [[O], ([i], n) => `the StatefulSet controller fixes the owner reference of claim ${n.pvc(i!)}`],
  ControllerObserve: [[], (_a, n) => `the StatefulSet controller's informer cache catches up with the API server (${n.set})`],
  // Storage.
  PVCFinalize: [[O], ([i], n) => `the pvc-protection finalizer lets claim ${n.pvc(i!)} go: it is deleted, and its volume per the reclaimPolicy`],
  GCClaim: [[O], ([i], n) => `the garbage collector deletes claim ${n.pvc(i!)} (its owner is gone)`],
  GCSetClaim: [[O], ([i], n) => `the garbage collector deletes claim ${n.pvc(i!)} (owned by the deleted StatefulSet)`],
  GCOrphanPod: [[O], ([i], n) => `the garbage collector deletes pod ${n.pod(i!)} (owned by the deleted StatefulSet)`],
  ADCAttach: [[O, N], ([i, node], n) => `the attach/detach controller attaches the volume of ${n.pvc(i!)} to ${n.node(node!)}`],
  ADCDetach: [[O], ([i], n) => `the attach/detach controller detaches the volume of ${n.pvc(i!)}`],
  ADCForceDetach: [[O], ([i], n) => `the attach/detach controller force-detaches the volume of ${n.pvc(i!)} after the 6-minute unmount timeout`],
  // Scheduler and kubelet.
  Schedule: [[O, N], ([i, node], n) => `the scheduler binds ${n.pod(i!)} to ${n.node(node!)}`],
  KubeletRun: [[O], ([i], n) => `the kubelet starts the container of ${n.pod(i!)} (mounting ${n.pvc(i!)})`],
  KubeletReady: [[O], ([i], n) => `${n.pod(i!)} passes its readiness probe`],
  KubeletTerminate: [[O], ([i], n) => `the kubelet stops the container of ${n.pod(i!)} and the pod object goes`],
  KubeletKillStale: [[N, O], ([node, i], n) => `the kubelet on ${n.node(node!)} kills the leftover container of ${n.pod(i!)}`],
  KubeletUnmount: [[O], ([i], n) => `the kubelet unmounts ${n.pvc(i!)}`],
  KubeletRestart: [[N], ([node], n) => `the kubelet on ${n.node(node!)} restarts`],
  // Nodes and the pod garbage collector.
  NodeNotReady: [[N], ([node], n) => `the node lifecycle controller marks ${n.node(node!)} NotReady (no heartbeats)`],
  TaintEvict: [[N], ([node], n) => `the taint manager evicts the pods of ${n.node(node!)} (NoExecute taint)`],
  PodGC: [[O], ([i], n) => `the pod garbage collector deletes ${n.pod(i!)} (its Node object is gone)`],
  PodGCTerminating: [[O], ([i], n) => `the pod garbage collector force-deletes ${n.pod(i!)} on an out-of-service node`],
  CloudNodeDelete: [[N], ([node], n) => `the cloud node lifecycle controller deletes Node ${n.node(node!)} (its VM is gone)`],
  NodeRecover: [[N], ([node], n) => `${n.node(node!)} is back: reachable, its kubelet reporting`],
  PodHeal: [[O], ([i], n) => `${n.pod(i!)} is healthy again`],
  OperatorDelete: [[O], ([i], n) => `an operator deletes the stuck pod: kubectl delete pod ${n.pod(i!)}`],
  // Faults.
  NodePartition: [[N], ([node], n) => `${n.node(node!)} is cut off from the network (still running)`],
  NodeCrash: [[N], ([node], n) => `${n.node(node!)} crashes (powered off)`],
  PodBreak: [[O], ([i], n) => `the container of ${n.pod(i!)} stops being ready (a crash or a failing probe)`],
  PodEvict: [[O], ([i], n) => `the kubelet evicts ${n.pod(i!)} (node pressure): the pod is Failed`],
  // The user's operations.
  Scale: [[V], ([r], n) => `kubectl scale statefulset ${n.set} --replicas=${r}`],
  UpdateTemplate: [[], (_a, n) => `kubectl apply: a new pod template for ${n.set} (a new revision)`],
  RevertTemplate: [[V], ([r], n) => `kubectl rollout undo statefulset ${n.set} (back to revision ${r})`],
  SetPartition: [[V], ([p], n) => `kubectl patch statefulset ${n.set} -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":${p}}}}}'`],
  DeletePod: [[O], ([i], n) => `kubectl delete pod ${n.pod(i!)}`],
  ForceDeletePod: [[O], ([i], n) => `kubectl delete pod ${n.pod(i!)} --force --grace-period=0`],
  DeletePVC: [[O], ([i], n) => `kubectl delete pvc ${n.pvc(i!)}`],
  DeleteNode: [[N], ([node], n) => `kubectl delete node ${n.node(node!)}`],
  TaintOutOfService: [[N], ([node], n) => `kubectl taint node ${n.node(node!)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`],
  DeleteStatefulSet: [[], (_a, n) => `kubectl delete statefulset ${n.set}`],
};

/** A model label's family and integer arguments, or undefined when it is not `Name` or `Name(1,2)`. */
function parse(label: string): { family: string; args: number[] } | undefined {
  const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(label);
  if (!m) return undefined;
  const args = m[2] === undefined || m[2] === '' ? [] : m[2].split(',').map((x) => Number(x.trim()));
  if (args.some((x) => !Number.isInteger(x))) return undefined;
  return { family: m[1]!, args };
}

/** The step in Kubernetes terms, or undefined for a label this table does not know (a variant's own). */
export function operatorWords(label: string, params: Readonly<Record<string, unknown>>): string | undefined {
  const p = parse(label);
  const entry = p && WORDS[p.family];
  if (p === undefined || entry === undefined || entry[0].length !== p.args.length) return undefined;
  return entry[1](p.args, namesOf(params));
}

/** What each argument of a known family's label is (ordinal, node, value); undefined for a family this table does not know. */
export function argumentKinds(family: string): readonly ('ordinal' | 'node' | 'value')[] | undefined {
  const entry = WORDS[family];
  return entry?.[0].map((k) => (k === O ? 'ordinal' : k === N ? 'node' : 'value'));
}

/**
 * A model label as an operator reads it: ordinal arguments counted from `ordinals.start`
 * (`startOrdinal`), so `CtlCreate(0)` of a set starting at 3 reads `CtlCreate(3)`, the action on
 * pod web-3. Display only: traces, ITF files and replay keep the model's labels (counted from 0),
 * which is what the explorer and `stsmc replay` read. A label this table does not know (a variant's
 * own action) is returned as it is, since which of its arguments is an ordinal is not known here.
 */
export function displayLabel(label: string, params: Readonly<Record<string, unknown>>): string {
  const start = startOf(params);
  if (start === 0) return label;
  const p = parse(label);
  const entry = p && WORDS[p.family];
  if (p === undefined || entry === undefined || entry[0].length !== p.args.length || p.args.length === 0) return label;
  return `${p.family}(${p.args.map((a, k) => (entry[0][k] === O ? a + start : a)).join(',')})`;
}

/** Whether `displayLabel` knows this label (and so shows it with the pods' own ordinals). */
export function relabels(label: string): boolean {
  const p = parse(label);
  return p !== undefined && WORDS[p.family] !== undefined && WORDS[p.family]![0].length === p.args.length;
}

export function startOf(params: Readonly<Record<string, unknown>>): number {
  return typeof params.startOrdinal === 'number' ? params.startOrdinal : 0;
}
