/**
 * Real Kubernetes manifests to model parameters: the fields of a StatefulSet (and the
 * StorageClass of its claims) that the model covers become parameters; every other field is
 * listed as ignored, never silently dropped; values the model cannot explore as they are (many
 * replicas) are bounded with a note saying so.
 */
import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../input/errors.js';
import { readInputFile, readStandardInput } from '../input/files.js';
import { checkKeys } from '../input/yaml.js';
import type { AttachMode } from '../spec/config.js';

/** Where a field of a manifest is written: its file, and the line and column of its key (from 1). */
export interface FieldLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Where each parsed manifest came from, for locating its fields (`--sarif`). */
const origins = new WeakMap<object, { file: string; locate(path: readonly (string | number)[]): FieldLocation | undefined }>();

/** The location of a field of a parsed manifest, by dotted path (`spec.podManagementPolicy`). */
export function locateField(doc: object, field: string): FieldLocation | undefined {
  return origins.get(doc)?.locate(field.split('.'));
}

export interface Workload {
  /** `metadata.name` of the StatefulSet: pods are `<name>-<ordinal>`. */
  readonly name: string;
  /**
   * The claim template the model follows (the first one, unless a later one has a more exclusive
   * access mode, which then decides how copies of a pod can overlap): claims are
   * `<claim>-<name>-<ordinal>`.
   */
  readonly claim: string;
  /** `accessModes` of that claim template, as written (empty when the template lists none). */
  readonly accessModes: readonly string[];
  /** Model parameters derived from the manifests (before `--set` overrides). */
  readonly params: Record<string, unknown>;
  /** Fields present in the manifests that the model does not cover. */
  readonly ignored: readonly string[];
  /** How values were interpreted or bounded, in plain words. */
  readonly notes: readonly string[];
  /** Where each parameter came from, e.g. `policy: spec.podManagementPolicy = Parallel`. */
  readonly provenance: readonly string[];
  /** The first of these manifest fields that is written, where it is (the StatefulSet's own). */
  locate(...fields: readonly string[]): FieldLocation | undefined;
  /** A field of the StatefulSet as written (dotted path), or undefined. */
  value(field: string): unknown;
  /** The followed claim template asks for pre-provisioned PVs (`storageClassName: ""`): no provisioner makes a new one. */
  readonly staticPVs?: boolean;
  /** The StorageClass of the followed claim, when the manifests give it: its provisioner and where that is written. */
  readonly storageClass?: { readonly name: string; readonly provisioner: string; readonly location?: FieldLocation };
}

/**
 * Largest `R` the standard hazard checks explore by default: a workload's real size up to five
 * ordinals (more add states, not new kinds of behaviour); `--set R=...` goes up to the model's 8.
 */
export const MAX_MODEL_REPLICAS = 5;
/**
 * Nodes the standard hazard checks model: three, so that a replacement can go to a node other
 * than both the one it ran on and one other (node symmetry makes the third cheap).
 */
export const MODEL_NODES = 3;

type Doc = Record<string, unknown>;

/** Fields of a StatefulSet spec the model reads, as dotted paths. */
const COVERED = new Set([
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.replicas',
  'spec.podManagementPolicy',
  'spec.updateStrategy.type',
  'spec.updateStrategy.rollingUpdate.partition',
  'spec.updateStrategy.rollingUpdate.maxUnavailable',
  'spec.persistentVolumeClaimRetentionPolicy.whenScaled',
  'spec.persistentVolumeClaimRetentionPolicy.whenDeleted',
  'spec.ordinals.start',
  'spec.volumeClaimTemplates',
  'spec.minReadySeconds',
]);

/** The documents of the manifest files; `-` is standard input (read once). */
export function readManifests(files: readonly string[]): Doc[] {
  const docs: Doc[] = [];
  if (files.filter((f) => f === '-').length > 1) throw new InputError('--manifest - (standard input) can be given once');
  for (const file of files) {
    const text = file === '-' ? readStandardInput('manifest') : readInputFile(file, 'manifest');
    docs.push(...parseManifests(text, file === '-' ? 'standard input' : file));
  }
  return docs;
}

/** Parses (possibly multi-document) YAML safely: core schema, no custom tags. */
export function parseManifests(text: string, file: string): Doc[] {
  const out: Doc[] = [];
  const lines = new LineCounter();
  for (const d of parseAllDocuments(text, { schema: 'core', customTags: [], uniqueKeys: false, lineCounter: lines })) {
    if ('errors' in d && d.errors.length) throw new InputError(`${file}: malformed YAML: ${d.errors[0]!.message.split('\n')[0]}`);
    // Custom tags (`!!js/function`...) are refused outright rather than read as strings.
    const tag = d.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (tag) throw new InputError(`${file}: unsupported YAML tag: ${tag.message.split('\n')[0]}`);
    checkKeys(d, file, text);
    const value = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}: a manifest must be a YAML mapping with apiVersion and kind`);
    const doc = value as Doc;
    if (typeof doc.kind !== 'string') throw new InputError(`${file}: a manifest has no 'kind'`);
    if (doc.kind === 'List' && Array.isArray(doc.items)) {
      doc.items.forEach((item: unknown, k: number) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError(`${file}: List item ${k} is not an object (a manifest with apiVersion and kind)`);
        if (typeof (item as Doc).kind !== 'string') throw new InputError(`${file}: List item ${k} has no 'kind'`);
        origins.set(item as Doc, { file, locate: (path) => keyLocation(d, ['items', k, ...path], lines, file) });
        out.push(item as Doc);
      });
    }
    else {
      origins.set(doc, { file, locate: (path) => keyLocation(d, path, lines, file) });
      out.push(doc);
    }
  }
  return out;
}

/** The line and column of the key of `path` in a parsed document (its value's, for a list item). */
function keyLocation(d: Document, path: readonly (string | number)[], lines: LineCounter, file: string): FieldLocation | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? d.contents : d.getIn(path.slice(0, -1), true);
  const last = path.at(-1)!;
  let offset: number | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
    offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
  } else {
    offset = (d.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range?.[0];
  }
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { file, line: pos.line, column: pos.col };
}

const obj = (v: unknown): Doc | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined);

/** The one StatefulSet of the manifests (several: an error naming them; see `workloadsFromManifests`). */
export function workloadFromManifests(docs: readonly Doc[]): Workload {
  const all = workloadsFromManifests(docs);
  if (all.length > 1) throw new InputError(`${all.length} StatefulSets in the manifests (${all.map((w) => w.name).join(', ')}): give one at a time`);
  return all[0]!;
}

/**
 * Every StatefulSet of the manifests (a `kubectl get sts -o yaml` List, several documents, several
 * files), each with the StorageClasses of all of them; `only` selects one by name.
 */
export function workloadsFromManifests(docs: readonly Doc[], only?: string): Workload[] {
  const sets = docs.filter((d) => d.kind === 'StatefulSet');
  if (sets.length === 0) {
    const kinds = [...new Set(docs.map((d) => String(d.kind)))].join(', ') || 'none';
    throw new InputError(`no StatefulSet in the manifests (kinds found: ${kinds})`);
  }
  const nameOf = (d: Doc) => obj(d.metadata)?.name;
  const chosen = only === undefined ? sets : sets.filter((d) => nameOf(d) === only);
  if (chosen.length === 0) throw new InputError(`--statefulset ${only}: no StatefulSet of that name in the manifests (there are: ${sets.map((d) => String(nameOf(d))).join(', ')})`);
  // The other StatefulSets are reported on their own, not listed as ignored by this one.
  return chosen.map((sts) => workloadOf(sts, docs.filter((d) => !sets.includes(d) || d === sts)));
}

function workloadOf(sts: Doc, docs: readonly Doc[]): Workload {
  const ignored: string[] = [];
  const notes: string[] = [];
  const provenance: string[] = [];
  const params: Record<string, unknown> = {};

  const meta = obj(sts.metadata);
  const name = meta?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new InputError(`StatefulSet metadata.name must be a DNS name, got ${JSON.stringify(name)}`);
  const spec = obj(sts.spec);
  if (!spec) throw new InputError(`StatefulSet ${name} has no spec`);
  collectIgnored(sts, '', ignored);

  const int = (path: string, v: unknown, min: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(`StatefulSet ${name}: ${path} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const oneOf = <T extends string>(path: string, v: unknown, values: readonly T[]): T => {
    if (typeof v !== 'string' || !values.includes(v as T)) throw new InputError(`StatefulSet ${name}: ${path} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  };

  const replicas = spec.replicas === undefined ? 1 : int('spec.replicas', spec.replicas, 0);
  if (replicas > 100_000) throw new InputError(`StatefulSet ${name}: spec.replicas ${replicas} is not a plausible value`);
  const R = Math.max(1, Math.min(replicas, MAX_MODEL_REPLICAS));
  params.R = R;
  params.initReplicas = Math.min(replicas, R);
  provenance.push(`R = ${R}, initReplicas = ${params.initReplicas}: spec.replicas = ${replicas}${spec.replicas === undefined ? ' (default)' : ''}`);
  if (replicas > R) notes.push(`spec.replicas = ${replicas} is modelled with ${R} ordinals (0..${R - 1}): every hazard here involves at most ${R} pods, and more add states, not behaviours`);
  params.nodes = MODEL_NODES;
  provenance.push(`nodes = ${MODEL_NODES}: not in the manifests; the report's default, so that a replacement pod can land on a node other than both its old one and one more`);

  if (spec.podManagementPolicy !== undefined) {
    params.policy = oneOf('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']);
    provenance.push(`policy = ${params.policy}: spec.podManagementPolicy`);
  }
  const strategy = obj(spec.updateStrategy);
  if (strategy) {
    if (strategy.type !== undefined) {
      params.strategy = oneOf('spec.updateStrategy.type', strategy.type, ['RollingUpdate', 'OnDelete']);
      provenance.push(`strategy = ${params.strategy}: spec.updateStrategy.type`);
    }
    const ru = obj(strategy.rollingUpdate);
    if (ru?.partition !== undefined) {
      const p = int('spec.updateStrategy.rollingUpdate.partition', ru.partition, 0);
      params.initPartition = Math.min(p, R);
      provenance.push(`initPartition = ${params.initPartition}: spec.updateStrategy.rollingUpdate.partition = ${p}`);
      if (p > R) notes.push(`partition ${p} is beyond the modelled ordinals: no pod is updated by a template change`);
    }
    if (ru?.maxUnavailable !== undefined) {
      const path = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
      const mu = ru.maxUnavailable;
      let m: number;
      if (typeof mu === 'string' && /^\d+%$/.test(mu)) {
        const pct = Number(mu.slice(0, -1));
        if (pct < 1 || pct > 100) throw new InputError(`StatefulSet ${name}: ${path} must be a percentage in 1%..100%, got ${JSON.stringify(mu)}`);
        // Upstream scales a percentage of spec.replicas rounding up, and never below 1.
        m = Math.max(1, Math.ceil((replicas * pct) / 100));
      } else {
        if (typeof mu === 'string') throw new InputError(`StatefulSet ${name}: ${path} must be an integer >= 1 or a percentage such as 25%, got ${JSON.stringify(mu)}`);
        m = int(path, mu, 1);
      }
      params.maxUnavailable = Math.min(m, R);
      provenance.push(`maxUnavailable = ${params.maxUnavailable}: ${path} = ${JSON.stringify(mu)}${typeof mu === 'string' ? ` (${m} of ${replicas} replicas)` : ''}`);
      if (m > R) notes.push(`maxUnavailable ${m} is bounded to ${R}, the modelled ordinals: every modelled pod may be unavailable at once`);
      if (m > 1) notes.push(`maxUnavailable > 1 takes effect upstream only with the MaxUnavailableStatefulSet feature gate; the model assumes it is enabled`);
    }
  }
  const retention = obj(spec.persistentVolumeClaimRetentionPolicy);
  if (retention?.whenScaled !== undefined) {
    params.whenScaled = oneOf('spec.persistentVolumeClaimRetentionPolicy.whenScaled', retention.whenScaled, ['Retain', 'Delete']);
    provenance.push(`whenScaled = ${params.whenScaled}: spec.persistentVolumeClaimRetentionPolicy.whenScaled`);
  }
  if (retention?.whenDeleted !== undefined) {
    params.whenDeleted = oneOf('spec.persistentVolumeClaimRetentionPolicy.whenDeleted', retention.whenDeleted, ['Retain', 'Delete']);
    provenance.push(`whenDeleted = ${params.whenDeleted}: spec.persistentVolumeClaimRetentionPolicy.whenDeleted (it applies when the user deletes the StatefulSet: userOps deleteStatefulSet)`);
  }
  const ordinals = obj(spec.ordinals);
  const start = ordinals?.start === undefined ? 0 : int('spec.ordinals.start', ordinals.start, 0);
  if (start !== 0) provenance.push(`startOrdinal = ${start}: spec.ordinals.start (pods are named from ${name}-${start})`);
  if (spec.minReadySeconds !== undefined) {
    const seconds = int('spec.minReadySeconds', spec.minReadySeconds, 0);
    params.minReadySeconds = seconds > 0 ? 1 : 0;
    provenance.push(
      `minReadySeconds = ${params.minReadySeconds}: spec.minReadySeconds = ${seconds}${seconds > 0 ? ' (any positive value: a pod becomes Available some time after it is Ready, and the rolling update waits for that)' : ''}`,
    );
  }

  const templates = Array.isArray(spec.volumeClaimTemplates) ? (spec.volumeClaimTemplates as unknown[]).map(obj) : [];
  if (templates.length === 0) throw new InputError(`StatefulSet ${name} has no volumeClaimTemplates: the storage hazards do not apply; this tool models StatefulSets with per-pod claims`);
  const claims = templates.map((t, k) => {
    const claimName = obj(t?.metadata)?.name;
    if (typeof claimName !== 'string' || claimName.length === 0) throw new InputError(`StatefulSet ${name}: volumeClaimTemplates[${k}].metadata.name is missing`);
    return { k, name: claimName, spec: obj(t?.spec), ...readAccessModes(name, k, obj(t?.spec)?.accessModes) };
  });
  // A pod starts only once every one of its volumes is attached, so the most exclusive claim
  // decides how the pod's copies can overlap (the first one among equals).
  const followed = claims.reduce((best, c) => (EXCLUSIVITY[c.attach] > EXCLUSIVITY[best.attach] ? c : best));
  const claim = followed.name;
  if (templates.length > 1) {
    const why =
      followed.k === 0
        ? ''
        : `, the most exclusive access mode (${followed.modes.length ? describeModes(followed.modes) : 'none listed, read as ReadWriteOnce'}): a pod starts only once all its claims are attached, so that claim decides whether two copies can overlap`;
    notes.push(`${templates.length} claim templates: the model follows '${claim}'${why} (the others share its lifecycle)`);
  }
  for (const c of claims) {
    if (c.modes.length === 0 && c !== followed) notes.push(`claim template ${c.name} lists no accessModes, which Kubernetes requires: add them (e.g. [ReadWriteOncePod]); read as ReadWriteOnce`);
  }
  const className = followed.spec?.storageClassName;

  // The StorageClass decides what happens to a PV when its claim is deleted.
  const classes = docs.filter((d) => d.kind === 'StorageClass');
  // storageClassName "" asks for a PV with no class: a pre-provisioned (static) one, never a
  // dynamically provisioned one, and never the default class (the PV controller's
  // provisionClaim provisions nothing for a claim whose class is "").
  const staticPV = className === '';
  const named = staticPV ? undefined : typeof className === 'string' ? classes.find((c) => obj(c.metadata)?.name === className) : classes.find(isDefaultClass);
  const reclaim = staticPV ? 'Retain' : (named?.reclaimPolicy ?? 'Delete');
  if (reclaim !== 'Delete' && reclaim !== 'Retain') throw new InputError(`StorageClass ${String(obj(named?.metadata)?.name)}: reclaimPolicy must be Delete or Retain, got ${JSON.stringify(reclaim)}`);
  params.reclaim = reclaim;
  if (staticPV) {
    // A PV created by hand keeps its data when its claim goes unless it says otherwise: upstream
    // SetDefaults_PersistentVolume sets persistentVolumeReclaimPolicy Retain when it is empty.
    params.provisioning = 'static';
    provenance.push(
      `reclaim = Retain: volumeClaimTemplates[${followed.k}] (${claim}) storageClassName: "" binds only pre-provisioned PVs with no class, and a PV created by hand has persistentVolumeReclaimPolicy Retain unless it sets another (--set reclaim=Delete if yours say Delete)`,
    );
    // The PV controller never binds a Released PV again (its claimRef still names the old claim),
    // and no provisioner serves the class "": a deleted claim's replacement stays Pending.
    provenance.push(
      `provisioning = static: storageClassName "" is served by no provisioner: one pre-provisioned PV per ordinal, and once a claim ${claim}-${name}-N is deleted its PV is Released and never bound again by itself, so the replacement claim stays Pending, and its pod with it, until an administrator provides a PV`,
    );
  } else if (named) provenance.push(`reclaim = ${reclaim}: StorageClass ${String(obj(named.metadata)?.name)} reclaimPolicy${named.reclaimPolicy === undefined ? ' (default Delete)' : ''}`);
  else {
    const which = typeof className === 'string' ? `StorageClass '${className}' was not given` : 'the claim names no StorageClass and no default class was given';
    provenance.push(`reclaim = Delete: ${which}; dynamically provisioned PVs default to reclaimPolicy Delete`);
  }

  // A node-local provisioner's PV lives on one node's disk: it is never attached or detached, and
  // its node affinity pins the pod to that node (the scheduler's VolumeBinding filter,
  // CheckNodeAffinity). That, not the access modes, decides how copies of a pod can overlap.
  const provisioner = typeof named?.provisioner === 'string' ? named.provisioner : undefined;
  const namedClass = String(obj(named?.metadata)?.name);
  const storageClass: Workload['storageClass'] = named && provisioner !== undefined ? { name: namedClass, provisioner, location: locateField(named, 'provisioner') } : undefined;
  if (provisioner !== undefined && isNodeLocal(provisioner)) {
    params.storage = 'local';
    params.attach = 'none';
    provenance.push(
      `storage = local: StorageClass ${namedClass} provisioner ${provisioner} provisions node-local volumes: each PV is created on the node its pod is first scheduled to and pinned there by node affinity, so the pod can run nowhere else`,
    );
    provenance.push(
      `attach = none: a node-local volume is never attached to or detached from a node (volumeClaimTemplates[${followed.k}] (${claim}) accessModes = [${followed.modes.join(', ')}] does not fence anything: a second copy of a pod can only start on the same node, where it may mount the same directory)`,
    );
  } else if (provisioner !== undefined && isFileShare(provisioner)) {
    // A network file share is mounted, never attached: its CSI driver says attachRequired: false,
    // the csi plugin's CanAttach is then false, and the attach/detach controller neither attaches
    // the volume nor reports Multi-Attach (IsMultiAttachAllowed is never asked). ReadWriteOnce
    // fences nothing: a second copy of a pod on another node mounts the same share.
    // ReadWriteOncePod fences less than the model's rwop, which is an attached disk: the scheduler
    // (VolumeRestrictions) admits one pod *object* using the claim at a time, and once that object
    // is gone (force deletion, the pod GC after a Node deletion) nothing keeps the old node's mount
    // from outliving it. So it is modelled without attachment too, which lets a second copy start
    // on the old node as well: whether a CSI driver refuses that second mount on one node (a
    // SINGLE_NODE_SINGLE_WRITER publish) is up to the driver, so the report says so.
    params.attach = 'none';
    const modes = `volumeClaimTemplates[${followed.k}] (${claim}) accessModes = [${followed.modes.join(', ') || 'none listed'}]`;
    provenance.push(
      followed.attach === 'rwop'
        ? `attach = none: StorageClass ${namedClass} provisioner ${provisioner} mounts a network file share, which is never attached to a node, so ${modes} only keeps the scheduler from placing a second pod object using the claim while the first exists: once that object is gone (a force deletion, a deleted Node), a replacement on another node mounts the share while the old container may still run (whether the driver refuses a second mount on the same node is up to the driver; the model does not assume it)`
        : `attach = none: StorageClass ${namedClass} provisioner ${provisioner} mounts a network file share, which is never attached to a node, so ${modes} fences nothing: the attach/detach controller neither attaches it nor checks Multi-Attach, and a copy of a pod on another node mounts the same share`,
    );
  } else {
    // The access modes decide whether the volume is attached to one node at a time (upstream
    // IsMultiAttachAllowed), and for ReadWriteOncePod whether a second pod on that node may mount it.
    params.attach = followed.attach;
    const where = `volumeClaimTemplates[${followed.k}] (${claim}) accessModes`;
    if (followed.modes.length === 0) {
      provenance.push(
        `attach = rwo: volumeClaimTemplates[${followed.k}] (${claim}) lists no accessModes, which Kubernetes requires (the claims ${claim}-${name}-N are refused, "spec.accessModes: Required value", and no pod starts): modelled as ReadWriteOnce, what nearly every StatefulSet asks for; add accessModes (--set attach=none checks a ReadWriteMany volume)`,
      );
    } else if (followed.attach === 'none') {
      provenance.push(`attach = none: ${where} = [${followed.modes.join(', ')}]: a ${describeModes(followed.modes)} volume may be attached to several nodes at once (no exclusive attachment, no Multi-Attach check)`);
    } else if (followed.attach === 'rwo') {
      provenance.push(`attach = rwo: ${where} = [${followed.modes.join(', ')}]: a disk attached to one node at a time (detaching it fences the old node); every pod on that node may mount it`);
    } else {
      provenance.push(`attach = rwop: ${where} = [ReadWriteOncePod]: a disk attached to one node at a time and mounted by one pod only (the kubelet refuses a second mount)`);
    }
    if (followed.attach !== 'none') {
      provenance.push(
        `forceDetach = onTimeout: not in the manifests; the kube-controller-manager default (--disable-force-detach-on-timeout=false) force-detaches from an unhealthy node after 6 minutes (--set forceDetach=disabled if your cluster sets the flag)`,
      );
    }
  }
  for (const d of docs) {
    if (d.kind !== 'StatefulSet' && d.kind !== 'StorageClass') ignored.push(`${String(d.kind)} ${String(obj(d.metadata)?.name ?? '')}`.trim() + ' (not modelled)');
  }
  if (start !== 0) params.startOrdinal = start;
  const locate = (...fields: readonly string[]) => fields.map((f) => locateField(sts, f)).find((l) => l !== undefined);
  const value = (field: string) => field.split('.').reduce<unknown>((o, k) => (obj(o) ? (o as Doc)[k] : undefined), sts);
  return { name, claim, accessModes: followed.modes, params, ignored, notes, provenance, locate, value, ...(storageClass ? { storageClass } : {}), ...(staticPV ? { staticPVs: true } : {}) };
}

/** The access modes of a PersistentVolumeClaim (core/v1 PersistentVolumeAccessMode). */
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

const EXCLUSIVITY: Record<AttachMode, number> = { none: 0, rwo: 1, rwop: 2 };

/**
 * Whether a provisioner's volumes are network file shares (NFS, CephFS, EFS, Azure Files,
 * Filestore): mounted on any node, never attached (their CSI drivers set attachRequired: false),
 * so no detach fences the old node, whatever the access modes say.
 */
export function isFileShare(provisioner: string): boolean {
  return /nfs|cephfs|efs\.csi\.aws\.com|file\.csi\.azure\.com|filestore\.csi\.storage\.gke\.io/i.test(provisioner);
}

/**
 * Whether a provisioner's volumes live on one node's disk (no attach/detach; the PV carries node
 * affinity to that node): `kubernetes.io/no-provisioner` (static local PVs, the documented local
 * volume class) and any provisioner with `local` in its name (rancher.io/local-path,
 * openebs.io/local, ...).
 */
export function isNodeLocal(provisioner: string): boolean {
  return provisioner === 'kubernetes.io/no-provisioner' || /local/i.test(provisioner);
}

/**
 * A claim template's accessModes to the model's `attach`, as the attach/detach controller sees
 * the PV (upstream `IsMultiAttachAllowed`): any ReadWriteMany or ReadOnlyMany makes the volume
 * multi-attachable (`none`); otherwise ReadWriteOnce is `rwo` and ReadWriteOncePod `rwop`, which
 * the API server accepts only alone. No accessModes: `rwo` (the caller says so in the report).
 */
export function readAccessModes(sts: string, k: number, value: unknown): { modes: string[]; attach: AttachMode } {
  const path = `StatefulSet ${sts}: volumeClaimTemplates[${k}].spec.accessModes`;
  if (value === undefined || value === null) return { modes: [], attach: 'rwo' };
  if (!Array.isArray(value)) throw new InputError(`${path} must be a list such as [ReadWriteOnce], got ${JSON.stringify(value)}`);
  const modes: string[] = [];
  for (const m of value as unknown[]) {
    if (typeof m !== 'string' || !(ACCESS_MODES as readonly string[]).includes(m)) {
      throw new InputError(`${path}: unknown access mode ${JSON.stringify(m)} (one of ${ACCESS_MODES.join(', ')})`);
    }
    if (!modes.includes(m)) modes.push(m);
  }
  if (modes.length === 0) return { modes, attach: 'rwo' };
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) throw new InputError(`${path}: ReadWriteOncePod may not be combined with other access modes (the API server refuses it), got [${modes.join(', ')}]`);
  if (modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany')) return { modes, attach: 'none' };
  return { modes, attach: modes.includes('ReadWriteOncePod') ? 'rwop' : 'rwo' };
}

/** The access mode that decides, in words: the multi-node one when there is one. */
export function describeModes(modes: readonly string[]): string {
  return modes.find((m) => m === 'ReadWriteMany') ?? modes.find((m) => m === 'ReadOnlyMany') ?? modes[0] ?? 'no access mode';
}

function isDefaultClass(c: Doc): boolean {
  const a = obj(obj(c.metadata)?.annotations);
  return a?.['storageclass.kubernetes.io/is-default-class'] === 'true';
}

/** Lists leaf paths of the StatefulSet that the model does not read. */
function collectIgnored(doc: Doc, prefix: string, out: string[]): void {
  for (const [k, v] of Object.entries(doc)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (COVERED.has(path)) continue;
    if ([...COVERED].some((c) => c.startsWith(path + '.')) && obj(v)) collectIgnored(obj(v)!, path, out);
    else out.push(path);
  }
}
