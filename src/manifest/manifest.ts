/**
 * Real Kubernetes manifests to model parameters: the fields of a StatefulSet (and the
 * StorageClass of its claims) that the model covers become parameters; every other field is
 * listed as ignored, never silently dropped; values the model cannot explore as they are (many
 * replicas) are bounded with a note saying so.
 */
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../explorer/params.js';

export interface Workload {
  /** `metadata.name` of the StatefulSet: pods are `<name>-<ordinal>`. */
  readonly name: string;
  /** The first claim template's name: claims are `<claim>-<name>-<ordinal>`. */
  readonly claim: string;
  /** Model parameters derived from the manifests (before `--set` overrides). */
  readonly params: Record<string, unknown>;
  /** Fields present in the manifests that the model does not cover. */
  readonly ignored: readonly string[];
  /** How values were interpreted or bounded, in plain words. */
  readonly notes: readonly string[];
  /** Where each parameter came from, e.g. `policy: spec.podManagementPolicy = Parallel`. */
  readonly provenance: readonly string[];
}

/** Largest `R` the standard hazard checks explore; more replicas add no new kind of behaviour. */
export const MAX_MODEL_REPLICAS = 3;

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

export function readManifests(files: readonly string[]): Doc[] {
  const docs: Doc[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read manifest ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    docs.push(...parseManifests(text, file));
  }
  return docs;
}

/** Parses (possibly multi-document) YAML safely: core schema, no custom tags. */
export function parseManifests(text: string, file: string): Doc[] {
  const out: Doc[] = [];
  for (const d of parseAllDocuments(text, { schema: 'core', customTags: [], uniqueKeys: true })) {
    if ('errors' in d && d.errors.length) throw new InputError(`${file}: malformed YAML: ${d.errors[0]!.message.split('\n')[0]}`);
    // Custom tags (`!!js/function`...) are refused outright rather than read as strings.
    const tag = d.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (tag) throw new InputError(`${file}: unsupported YAML tag: ${tag.message.split('\n')[0]}`);
    const value = d.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}: a manifest must be a YAML mapping with apiVersion and kind`);
    const doc = value as Doc;
    if (typeof doc.kind !== 'string') throw new InputError(`${file}: a manifest has no 'kind'`);
    if (doc.kind === 'List' && Array.isArray(doc.items)) out.push(...(doc.items as Doc[]));
    else out.push(doc);
  }
  return out;
}

const obj = (v: unknown): Doc | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined);

export function workloadFromManifests(docs: readonly Doc[]): Workload {
  const sets = docs.filter((d) => d.kind === 'StatefulSet');
  if (sets.length === 0) {
    const kinds = [...new Set(docs.map((d) => String(d.kind)))].join(', ') || 'none';
    throw new InputError(`no StatefulSet in the manifests (kinds found: ${kinds})`);
  }
  if (sets.length > 1) throw new InputError(`${sets.length} StatefulSets in the manifests: give one at a time`);
  const sts = sets[0]!;
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
  const first = templates[0];
  const claim = obj(first?.metadata)?.name;
  if (typeof claim !== 'string' || claim.length === 0) throw new InputError(`StatefulSet ${name}: volumeClaimTemplates[0].metadata.name is missing`);
  if (templates.length > 1) notes.push(`${templates.length} claim templates: the model follows '${claim}' (the others share its lifecycle)`);
  const className = obj(first?.spec)?.storageClassName;

  // The StorageClass decides what happens to a PV when its claim is deleted.
  const classes = docs.filter((d) => d.kind === 'StorageClass');
  const named = typeof className === 'string' ? classes.find((c) => obj(c.metadata)?.name === className) : classes.find(isDefaultClass);
  const reclaim = named?.reclaimPolicy ?? 'Delete';
  if (reclaim !== 'Delete' && reclaim !== 'Retain') throw new InputError(`StorageClass ${String(obj(named?.metadata)?.name)}: reclaimPolicy must be Delete or Retain, got ${JSON.stringify(reclaim)}`);
  params.reclaim = reclaim;
  if (named) provenance.push(`reclaim = ${reclaim}: StorageClass ${String(obj(named.metadata)?.name)} reclaimPolicy${named.reclaimPolicy === undefined ? ' (default Delete)' : ''}`);
  else {
    const which = typeof className === 'string' ? `StorageClass '${className}' was not given` : 'the claim names no StorageClass and no default class was given';
    provenance.push(`reclaim = Delete: ${which}; dynamically provisioned PVs default to reclaimPolicy Delete`);
  }
  for (const d of docs) {
    if (d.kind !== 'StatefulSet' && d.kind !== 'StorageClass') ignored.push(`${String(d.kind)} ${String(obj(d.metadata)?.name ?? '')}`.trim() + ' (not modelled)');
  }
    if (start !== 0) params.startOrdinal = start;
  return { name, claim, params, ignored, notes, provenance };
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
