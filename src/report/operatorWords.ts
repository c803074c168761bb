/**
 * What a step of the StatefulSet model is in Kubernetes terms, with the workload's own names: the
 * `kubectl` command for a user's operation, the component and what it does for the rest
 * (`ForceDeletePod(0)`: `kubectl delete pod web-0 --force --grace-period=0`; `Schedule(0,2)`: the
 * scheduler binds web-0 to node-2). Traces keep the model's labels (replay reads them); these
 * words go next to them.
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
  const start = typeof params.startOrdinal === 'number' ? params.startOrdinal : 0;
  return { set, pod: (i) => `${set}-${start + i}`, pvc: (i) => `${claim}-${set}-${start + i}`, node: (n) => `node-${n}` };
}

type Words = (a: readonly number[], n: Names) => string;

const WORDS: Record<string, Words> = {
  // The StatefulSet controller (pkg/controller/statefulset).
  CtlCreate: ([i], n) => `the StatefulSet controller creates pod ${n.pod(i!)} (and claim ${n.pvc(i!)} if it is missing)`,
  CtlDeleteFailed: ([i], n) => `the StatefulSet controller deletes the failed pod ${n.pod(i!)} to recreate it`,
  CtlDeleteStuck: ([i], n) => `the controller deletes the outdated pending pod ${n.pod(i!)}`,
  CtlScaleDown: ([i], n) => `the StatefulSet controller deletes pod ${n.pod(i!)} (scale-down, highest ordinal first)`,
  CtlUpdate: ([i], n) => `the StatefulSet controller deletes pod ${n.pod(i!)} to recreate it at the update revision`,
  CtlAdvance: (_a, n) => `the StatefulSet controller records the update revision of ${n.set} as its current revision`,
  CtlRecreatePVC: ([i], n) => `the StatefulSet controller recreates claim ${n.pvc(i!)}`,
  CtlMarkClaim: ([i], n) => `the StatefulSet controller sets the owner reference of claim ${n.pvc(i!)} for the retention policy`,
  CtlFixClaim: ([i], n) => `the StatefulSet controller fixes the owner reference of claim ${n.pvc(i!)}`,
  ControllerObserve: (_a, n) => `the StatefulSet controller's informer cache catches up with the API server (${n.set})`,
  // Storage.
  PVCFinalize: ([i], n) => `the pvc-protection finalizer lets claim ${n.pvc(i!)} go: it is deleted, and its volume per the reclaimPolicy`,
  GCClaim: ([i], n) => `the garbage collector deletes claim ${n.pvc(i!)} (its owner is gone)`,
  GCSetClaim: ([i], n) => `the garbage collector deletes claim ${n.pvc(i!)} (owned by the deleted StatefulSet)`,
  GCOrphanPod: ([i], n) => `the garbage collector deletes pod ${n.pod(i!)} (owned by the deleted StatefulSet)`,
  ADCAttach: ([i, node], n) => `the attach/detach controller attaches the volume of ${n.pvc(i!)} to ${n.node(node!)}`,
  ADCDetach: ([i], n) => `the attach/detach controller detaches the volume of ${n.pvc(i!)}`,
  ADCForceDetach: ([i], n) => `the attach/detach controller force-detaches the volume of ${n.pvc(i!)} after the 6-minute unmount timeout`,
  // Scheduler and kubelet.
  Schedule: ([i, node], n) => `the scheduler binds ${n.pod(i!)} to ${n.node(node!)}`,
  KubeletRun: ([i], n) => `the kubelet starts the container of ${n.pod(i!)} (mounting ${n.pvc(i!)})`,
  KubeletReady: ([i], n) => `${n.pod(i!)} passes its readiness probe`,
  KubeletTerminate: ([i], n) => `the kubelet stops the container of ${n.pod(i!)} and the pod object goes`,
  KubeletKillStale: ([node, i], n) => `the kubelet on ${n.node(node!)} kills the leftover container of ${n.pod(i!)}`,
  KubeletUnmount: ([i], n) => `the kubelet unmounts ${n.pvc(i!)}`,
  KubeletRestart: ([node], n) => `the kubelet on ${n.node(node!)} restarts`,
  // Nodes and the pod garbage collector.
  NodeNotReady: ([node], n) => `the node lifecycle controller marks ${n.node(node!)} NotReady (no heartbeats)`,
  TaintEvict: ([node], n) => `the taint manager evicts the pods of ${n.node(node!)} (NoExecute taint)`,
  PodGC: ([i], n) => `the pod garbage collector deletes ${n.pod(i!)} (its Node object is gone)`,
  PodGCTerminating: ([i], n) => `the pod garbage collector force-deletes ${n.pod(i!)} on an out-of-service node`,
  NodeRecover: ([node], n) => `${n.node(node!)} is back: reachable, its kubelet reporting`,
  PodHeal: ([i], n) => `${n.pod(i!)} is healthy again`,
  OperatorDelete: ([i], n) => `an operator deletes the stuck pod: kubectl delete pod ${n.pod(i!)}`,
  // Faults.
  NodePartition: ([node], n) => `${n.node(node!)} is cut off from the network (still running)`,
  NodeCrash: ([node], n) => `${n.node(node!)} crashes (powered off)`,
  PodBreak: ([i], n) => `the container of ${n.pod(i!)} stops being ready (a crash or a failing probe)`,
  PodEvict: ([i], n) => `the kubelet evicts ${n.pod(i!)} (node pressure): the pod is Failed`,
  // The user's operations.
  Scale: ([r], n) => `kubectl scale statefulset ${n.set} --replicas=${r}`,
  UpdateTemplate: (_a, n) => `kubectl apply: a new pod template for ${n.set} (a new revision)`,
  RevertTemplate: ([r], n) => `kubectl rollout undo statefulset ${n.set} (back to revision ${r})`,
  SetPartition: ([p], n) => `kubectl patch statefulset ${n.set} -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":${p}}}}}'`,
  DeletePod: ([i], n) => `kubectl delete pod ${n.pod(i!)}`,
  ForceDeletePod: ([i], n) => `kubectl delete pod ${n.pod(i!)} --force --grace-period=0`,
  DeletePVC: ([i], n) => `kubectl delete pvc ${n.pvc(i!)}`,
  DeleteNode: ([node], n) => `kubectl delete node ${n.node(node!)}`,
  TaintOutOfService: ([node], n) => `kubectl taint node ${n.node(node!)} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute`,
  DeleteStatefulSet: (_a, n) => `kubectl delete statefulset ${n.set}`,
};

/** The step in Kubernetes terms, or undefined for a label this table does not know (a variant's own). */
export function operatorWords(label: string, params: Readonly<Record<string, unknown>>): string | undefined {
  const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(label);
  if (!m) return undefined;
  const words = WORDS[m[1]!];
  if (words === undefined) return undefined;
  const args = m[2] === undefined || m[2] === '' ? [] : m[2].split(',').map((x) => Number(x.trim()));
  if (args.some((x) => !Number.isInteger(x))) return undefined;
  return words(args, namesOf(params));
}
