/**
 * The reference StatefulSet model (`reference-model.md`) assembled behind the explorer's Model
 * contract: actions grouped by actor, properties, packed encoding and display.
 */
import type { ActionInstance, CreateOptions, Model, ModelFactory } from '../explorer/model.js';
import { packLayout } from '../explorer/packing.js';
import { resolveParams, type RawParams } from '../input/params.js';
import { attachDetachFamilies } from './actions/attachDetach.js';
import { compileAction } from './action.js';
import { controllerActions, syncPreconditions } from './actions/controller.js';
import { clusterReader, clusterWriter } from './cluster.js';
import { environmentFamilies } from './actions/environment.js';
import { garbageCollectorFamilies } from './actions/garbageCollector.js';
import { informerFamilies } from './actions/informer.js';
import { kubeletFamilies } from './actions/kubelet.js';
import { nodeLifecycleFamilies } from './actions/nodeLifecycle.js';
import { operatorFamilies } from './actions/operator.js';
import { schedulerFamilies } from './actions/scheduler.js';
import { volumeFamilies } from './actions/volumes.js';
import { CONDITIONS } from './conditions.js';
import { PARAMETERS, toConfig, type StsConfig } from './config.js';
import type { Family, FamilyContext } from './family.js';
import { properties, PROPERTY_DOCS } from './properties.js';
import { alignedState, compileSuccessors } from './successors.js';
import { AVAILABLE, Ctr, EXISTS, NODE, PHASE, Phase, POD_SIZE, Pvc, READY, Vol, makeLayout, makeReads, type StsState } from './state.js';
import { nodeCanonicalizer } from './symmetry.js';
import { checked, variantActions, type ControllerVariant } from './variant.js';
import { fromItf, toItf, viewState } from './view.js';

/** One action instance with its family, for the hot loop. */
interface Instance {
  readonly family: Family;
  readonly a: number;
  readonly b: number;
}

export function createStatefulSetModel(cfg: StsConfig, params: RawParams, variant?: ControllerVariant, options: CreateOptions = {}): Model<StsState> {
  const L = makeLayout(cfg);
  const r = makeReads(L);
  const ctx: FamilyContext = { cfg, L, r };
  // The controller: upstream's declarations, or a variant's, compiled into action families.
  const upstream = controllerActions(cfg);
  const chosen = variant ? variantActions(variant, cfg, upstream) : upstream.map((action) => ({ action, upstream: true }));
  const actionContext = { reader: clusterReader(cfg, L), writer: clusterWriter(cfg, L), R: cfg.R };
  const gated = syncPreconditions(cfg, chosen.map((c) => c.action));
  const controller = gated.map((a, k) => {
    const family = compileAction(a, actionContext);
    return chosen[k]!.upstream || !variant ? family : checked(variant.name, L, family);
  });
  const families: Family[] = [
    ...controller,
    ...informerFamilies(ctx),
    ...volumeFamilies(ctx),
    ...attachDetachFamilies(ctx),
    ...schedulerFamilies(ctx),
    ...kubeletFamilies(ctx),
    ...nodeLifecycleFamilies(ctx),
    ...garbageCollectorFamilies(ctx),
    ...operatorFamilies(ctx),
    ...environmentFamilies(ctx),
  ];

  const instances: Instance[] = [];
  const actions: ActionInstance[] = [];
  for (const family of families) {
    for (const p of family.instances) {
      const a = p[0] ?? 0;
      const b = p[1] ?? 0;
      instances.push({ family, a, b });
      actions.push({
        index: actions.length,
        family: family.name,
        params: p.map((x, k) => (k === family.nodeParam ? x + 1 : x)),
        label: family.label(a, b),
        actor: family.actor,
        fairness: family.environment ? 'none' : 'weak',
        fairGroup: family.fairGroup(a, b),
      });
    }
  }
  const packed = packLayout(L.maxValues);
  // Generated per-family loops over the same guards and effects (see successors.ts).
  const successors = compileSuccessors(families, L);

  const initialStates = (): StsState[] => {
    const base = new Uint8Array(L.size);
    base[L.replicas] = cfg.initReplicas;
    base[L.partition] = cfg.initPartition;
    base[L.budget] = cfg.budget;
    base.fill(1, L.nodeObj, L.nodeObj + cfg.nodes);
    if (!cfg.startRunning) return [base];
    // One initial state per placement (n_0, ..., n_{initReplicas-1}), first ordinal varying slowest.
    const out: StsState[] = [];
    const k = cfg.initReplicas;
    const total = cfg.nodes ** k;
    for (let code = 0; code < total; code++) {
      const s = base.slice();
      let rest = code;
      for (let i = k - 1; i >= 0; i--) {
        const n = rest % cfg.nodes;
        rest = Math.floor(rest / cfg.nodes);
        const o = L.pod + i * POD_SIZE;
        s[o + EXISTS] = 1;
        s[o + NODE] = n + 1;
        s[o + PHASE] = Phase.Running;
        s[o + READY] = 1;
        if (cfg.minReady) s[o + AVAILABLE] = 1; // running for a while: long past minReadySeconds
        s[L.ctr + n * cfg.R + i] = Ctr.live;
        s[L.pvc + i] = Pvc.bound;
        s[L.vol + i] = Vol.data;
        s[L.written + i] = 1;
        if (L.hasAttach) {
          s[L.att + i] = n + 1; // attached and mounted where the pod runs
          s[L.inUse + i] = 1;
        }
        if (L.hasLocalStorage) s[L.pvNode + i] = n + 1; // provisioned where its pod was first scheduled
      }
      if (cfg.staleReads) s.copyWithin(L.seen, L.pod, L.pod + cfg.R * POD_SIZE); // the cache starts in sync
      out.push(s);
    }
    return out;
  };

  const model: Model<StsState> = {
    name: 'statefulset',
    params,
    stateWords: packed.words,
    actions,
    properties: properties(cfg, L, r, actions),
    initialStates,
    scratch: () => alignedState(L),
    encode: packed.encode,
    decode: packed.decode,
    successors,
    apply(s, action) {
      const inst = instances[action];
      if (inst === undefined || !inst.family.guard(s, inst.a, inst.b)) return null;
      const t = s.slice();
      if (inst.family.environment) t[L.budget] = s[L.budget]! - 1;
      inst.family.effect(t, inst.a, inst.b);
      return t;
    },
    explain(s, action) {
      const inst = instances[action];
      if (inst === undefined) return ['unknownAction'];
      const why: string[] = [];
      inst.family.guard(s, inst.a, inst.b, why);
      return why;
    },
    conditions: CONDITIONS,
    view: (s) => viewState(L, cfg.names, s),
    itf: (s) => toItf(L, s),
    fromItf: (vars) => fromItf(L, vars),
  };
  // Node symmetry: sound for upstream's controller and for variants that declare it (no rule or
  // property of the model names a node; the initial states include every placement).
  if (options.symmetry && (variant === undefined || variant.nodesAlike === true)) return { ...model, canonicalize: nodeCanonicalizer(L) };
  return model;
}

export const statefulSetFactory: ModelFactory = {
  name: 'statefulset',
  description: 'the reference Kubernetes StatefulSet model (controller, scheduler, kubelet, node lifecycle, volumes, faults, user operations)',
  parameters: PARAMETERS,
  propertyNames: PROPERTY_DOCS,
  symmetric: true,
  create(raw, plugin, options) {
    const params = resolveParams('statefulset', PARAMETERS, raw);
    return createStatefulSetModel(toConfig(params), params, plugin as ControllerVariant | undefined, options);
  },
};
