import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrderedMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../../src/check/counterexample.js';
import { runScenario } from '../../src/check/runScenario.js';
import { explore } from '../../src/explorer/bfs.js';
import type { ObjectView } from '../../src/explorer/model.js';
import { InputError } from '../../src/input/errors.js';
import { loadModel } from '../../src/registry.js';
import { outputFolder, writeCounterexampleFiles } from '../../src/report/files.js';
import { dumpStateGraph, renderStateGraphDot, stateGraph } from '../../src/report/graphDump.js';
import { renderHtml, scriptJson } from '../../src/report/html.js';
import { renderDot } from '../../src/report/dot.js';
import { renderRichDot, renderSvg } from '../../src/report/svg.js';
import { actorColor, stateGroups } from '../../src/report/viewerData.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-svg-'));

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Decoded text directly inside the element. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: string): string {
  return s.replace(/&([^;&<]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const num = /^#(\d+)$/.exec(name) ?? /^#x([0-9a-fA-F]+)$/.exec(name);
    if (!num) throw new Error(`unknown entity &${name}; in ${where}`);
    return String.fromCodePoint(parseInt(num[1]!, name[1] === 'x' ? 16 : 10));
  });
}

/**
 * A strict XML well-formedness check (no dependency needed): one root element, every tag closed in
 * order, attributes quoted and unique, no stray `<` or `&`. Returns the elements in document order.
 */
function parseXml(xml: string): XmlElement[] {
  const s = xml.replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '').replace(/^<!DOCTYPE[^>[]*(\[[^\]]*\])?>\s*/, '');
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let roots = 0;
  let at = 0;
  while (at < s.length) {
    const lt = s.indexOf('<', at);
    const text = s.slice(at, lt < 0 ? s.length : lt);
    if (text.includes(']]>')) throw new Error(`]]> in text at ${at}`);
    if (stack.length === 0 && text.trim()) throw new Error(`text outside the root element at ${at}`);
    if (stack.length) stack[stack.length - 1]!.text += decode(text, `text at ${at}`);
    if (lt < 0) break;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end < 0) throw new Error('unclosed comment');
      if (s.slice(lt + 4, end).includes('--')) throw new Error(`-- inside a comment at ${lt}`);
      at = end + 3;
      continue;
    }
    const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(s.slice(lt));
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name}> at ${lt}`);
      at = lt + close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(s.slice(lt));
    if (!tag) throw new Error(`malformed markup at ${lt}: ${JSON.stringify(s.slice(lt, lt + 60))}`);
    const attrs: Record<string, string> = {};
    for (const m of tag[2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]} at ${lt}`);
      attrs[m[1]!] = decode(m[2] ?? m[3] ?? '', `attribute ${m[1]}`);
    }
    const el: XmlElement = { name: tag[1]!, attrs, text: '' };
    if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
    elements.push(el);
    if (tag[3] !== '/') stack.push(el);
    at = lt + tag[0].length;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

const stateNodes = (els: XmlElement[]) => els.filter((e) => e.name === 'g' && /(^| )node( |$)/.test(e.attrs.class ?? ''));
const texts = (els: XmlElement[]) => els.filter((e) => e.name === 'text').map((e) => e.text);

async function counterexample(file: string, property: string): Promise<Counterexample> {
  const result = await runScenario(resolvePlan(loadScenarioFile(file)), { workers: 1 });
  return result.properties.find((p) => p.name === property)!.counterexample!;
}

/** A trace whose every user-provided string is markup or script. */
function hostileCounterexample(cx: Counterexample): Counterexample {
  const evil: ObjectView = OrderedMap<string, string | number | boolean>([
    ['<b>field</b>', '<script>window.__pwned = "value"</script>'],
    ['count', 1],
  ]);
  return {
    ...cx,
    scenario: '<img src=x onerror=alert(1)>',
    description: '</script><script>window.__pwned = "description"</script> & <!-- <b>bold</b> \u2028',
    property: { ...cx.property, description: '<svg onload="window.__pwned = \'property\'">' },
    steps: cx.steps.map((s, k) => ({
      ...s,
      view: s.view.set('Pod <img src=x onerror="window.__pwned = \'object\'">', k < 2 ? null : evil.set('count', k)),
    })),
  };
}

describe('SVG counterexamples', () => {
  // The attachment scenarios (specs/attach/, 23 more, same renderer) are left to the test below
  // that reads one of them closely: all of them would double this file's time.
  // Long (npm run test:long): every picture of every seed scenario, about four seconds.
  it.runIf(process.env.STSMC_LONG)('every violated property of every seed scenario in specs/ gets a well-formed .svg (one node per state) and an .html', async () => {
    const out = path.join(tmp, 'specs');
    let violations = 0;
    for (const file of findScenarioFiles('specs').filter((f) => !f.includes(`${path.sep}attach${path.sep}`))) {
      const result = await writeCounterexampleFiles(await runScenario(resolvePlan(loadScenarioFile(file), {}, file), { workers: 1 }), out);
      for (const p of result.properties.filter((x) => x.verdict === 'violated')) {
        violations++;
        const base = path.join(outputFolder(out, { scenario: result.scenario, controller: result.controller }), p.name);
        expect(p.files).toEqual([`${base}.itf.json`, `${base}.dot`, `${base}.svg`, `${base}.html`]);
        const els = parseXml(fs.readFileSync(`${base}.svg`, 'utf8'));
        expect(els[0]!.name).toBe('svg');
        const nodes = stateNodes(els);
        expect(nodes.map((n) => n.attrs.id)).toEqual(p.counterexample!.steps.map((_s, k) => `step${k}`));
        const html = fs.readFileSync(`${base}.html`, 'utf8');
        expect(html).toMatch(/^<!DOCTYPE html>/);
        expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i); // nothing fetched
      }
    }
    expect(violations).toBeGreaterThanOrEqual(8);
  });

  it('labels edges with the step and action, coloured by actor; highlights changed cells; frames the violating state', async () => {
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const original = await renderSvg(cx);
    const els = parseXml(original);
    const svg = original.toLowerCase(); // Graphviz writes colours in lower case
    const edges = els.filter((e) => e.name === 'g' && e.attrs.class?.includes('edge'));
    expect(edges.map((e) => e.attrs.id)).toEqual(['edge1', 'edge2', 'edge3', 'edge4', 'edge5', 'edge6', 'edge7']);
    const t = texts(els);
    expect(t).toContain('4. ForceDeletePod(0)');
    expect(t).toContain('user');
    // The force deletion is the user's (orange), the scheduling the scheduler's.
    const edge4 = svg.slice(svg.indexOf('id="edge4"'), svg.indexOf('id="edge5"'));
    expect(edge4).toContain(`stroke="${actorColor('user').toLowerCase()}"`);
    expect(actorColor('user')).not.toBe(actorColor('controller'));
    const edge2 = svg.slice(svg.indexOf('id="edge2"'), svg.indexOf('id="edge3"'));
    expect(edge2).toContain(`stroke="${actorColor('scheduler').toLowerCase()}"`);
    // State 2: web-0 was scheduled to node-1, that cell is highlighted.
    const state2 = els.slice(els.findIndex((e) => e.attrs.id === 'step2'), els.findIndex((e) => e.attrs.id === 'step3'));
    const highlighted = state2.flatMap((e, k) => (e.name === 'polygon' && e.attrs.fill?.toLowerCase() === '#ffe066' ? [state2.slice(k).find((x) => x.name === 'text')!.text] : []));
    expect(highlighted).toEqual(['node-1']);
    // The violating state is framed in red and says which property it breaks.
    const state7 = svg.slice(svg.indexOf('id="step7"'));
    expect(state7).toMatch(/stroke="#d00000"/i);
    expect(t).toContain('violates AtMostOne');
    expect(t).toContain('force-delete-breaks-at-most-one');
  });

  it('frames the cells that make the property false, in the violating state only, as the viewer does; the .dot lists them', async () => {
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const dot = renderRichDot(cx);
    const framed = [...dot.matchAll(/ s(\d+) \[.*$/gm)].flatMap(([line, k]) => [...line.matchAll(/BORDER="2" COLOR="#D00000"><B>([^<]*)<\/B>/g)].map((m) => [Number(k), m[1]]));
    // The two containers of web-0: the stale one on node-1, the live one on node-2.
    expect(framed).toEqual([[7, 'stale'], [7, 'live']]);
    expect(dot).toContain('framed in red in state 7: the cells that make AtMostOne false');
    const svg = parseXml(await renderSvg(cx));
    expect(texts(svg)).toContain('framed in red in state 7: the cells that make AtMostOne false');
    // The model's own .dot (no tables) says the same in words.
    expect(renderDot(cx)).toContain('\\l\\lmakes AtMostOne false:\\l  Node node-1: container web-0=stale\\l  Node node-2: container web-0=live\\l"');
  });

  it('shows each state as tables per kind of object, generic over the view', async () => {
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const groups = stateGroups(cx.steps[3]!.view, cx.steps[4]!.view);
    expect(groups.map((g) => g.kind)).toEqual(['StatefulSet', 'Pod', 'Node', 'PVC', 'Identity', 'Environment']);
    const pod = groups.find((g) => g.kind === 'Pod')!;
    expect(pod.columns).toEqual(['revision', 'node', 'phase', 'ready', 'terminating']);
    expect(pod.rows).toMatchObject([{ object: 'Pod web-0', label: 'web-0', status: 'deleted' }]);
    const node = groups.find((g) => g.kind === 'Node')!;
    expect(node.rows[0]!.cells.filter((c) => c.changed).map((c) => c.text)).toEqual(['stale']);
    // The initial state: nothing marked, absent objects left out.
    const initial = stateGroups(null, cx.steps[0]!.view);
    expect(initial.map((g) => g.kind)).not.toContain('Pod');
    expect(initial.flatMap((g) => g.rows).every((r) => r.status === 'same' && r.cells.every((c) => !c.changed))).toBe(true);
  });

  it('shows the volume attachment: where each volume is attached, whether it is in use, the taint', async () => {
    const cx = await counterexample('specs/attach/force-delete-healthy-rwo.yaml', 'AtMostOneWriter');
    expect(cx.steps.map((s) => s.action ?? 'init')).toEqual(['init', 'CtlCreate(0)', 'Schedule(0,1)', 'ADCAttach(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)']);
    const attached = stateGroups(cx.steps[2]!.view, cx.steps[3]!.view);
    const pvc = attached.find((g) => g.kind === 'PVC')!;
    expect(pvc.columns).toEqual(['status', 'volume', 'attachedTo', 'inUse']);
    expect(pvc.rows[0]!.cells.filter((c) => c.changed).map((c) => c.text)).toEqual(['node-1']);
    expect(attached.find((g) => g.kind === 'Node')!.columns).toContain('outOfService');
    // The last step: the replacement's container beside the stale one on node-1.
    const last = stateGroups(cx.steps[7]!.view, cx.steps[8]!.view);
    expect(last.find((g) => g.kind === 'Node')!.rows[0]!.cells.filter((c) => c.changed).map((c) => c.text)).toEqual(['both']);
    const svg = await renderSvg(cx);
    expect(texts(parseXml(svg))).toEqual(expect.arrayContaining(['attachedTo', 'inUse', 'outOfService', 'both', '3. ADCAttach(0,1)']));
  });

  it('draws a liveness lasso as a back edge, and stuttering as a self loop', async () => {
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const lasso: Counterexample = { ...cx, property: { ...cx.property, kind: 'liveness' }, loopBack: 2 };
    const els = parseXml(await renderSvg(lasso));
    expect(stateNodes(els)).toHaveLength(cx.steps.length);
    const loop = els.find((e) => e.name === 'g' && e.attrs.id === 'loop')!;
    expect(loop).toBeDefined();
    expect(els.find((e) => e.name === 'title' && e.text === 's7->s2')).toBeDefined();
    expect(texts(els)).toContain('AtMostOne: loops back to state 2 forever');
    const stutter: Counterexample = { ...cx, stutter: [{ label: 'KubeletRun(1)', failing: ['podExists'] }] };
    const dot = renderRichDot(stutter, () => undefined);
    expect(dot).toMatch(/s7 -> s7 \[id="stutter"/);
  });

  it('escapes user-provided names: markup shows as text, no element is injected', async () => {
    const cx = hostileCounterexample(await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne'));
    const svg = await renderSvg(cx);
    const els = parseXml(svg);
    expect(els.filter((e) => ['img', 'script', 'b', 'foreignObject'].includes(e.name))).toEqual([]);
    expect(els.some((e) => Object.keys(e.attrs).some((a) => a.startsWith('on')))).toBe(false);
    const t = texts(els);
    expect(t).toContain('<img src=x onerror=alert(1)>');
    expect(t).toContain('<b>field</b>');
    expect(t).toContain('<script>window.__pwned = "value"</script>');
    expect(t.join('\n')).toContain('<svg onload="window.__pwned = \'property\'">');
    expect(stateNodes(els)).toHaveLength(cx.steps.length);
    // The HTML carries the same strings only as escaped JSON.
    const html = renderHtml(cx, svg);
    const data = /<script type="application\/json" id="trace-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>]/);
    expect(JSON.parse(data).scenario).toBe('<img src=x onerror=alert(1)>');
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(scriptJson({ a: '</script><!--\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}');
  });
});

describe('--dump-graph: the whole state graph', () => {
  it('has one node per distinct state and one edge per enabled action instance', async () => {
    const model = loadModel({ model: 'statefulset', params: {} });
    const ex = await explore(model, { check: [] });
    const g = stateGraph(model, ex);
    expect(g.states).toBe(50);
    // With no environment events the default configuration is a tree (reference counts: 50 generated).
    expect(g.edges).toHaveLength(49);
    expect(g.initial).toEqual(new Set([0]));
    const dot = renderStateGraphDot(model, ex, 'defaults');
    expect(dot.match(/^ {2}s\d+ \[/gm)).toHaveLength(50);
    expect(dot.match(/^ {2}s\d+ -> s\d+/gm)).toHaveLength(49);
  });

  it('colours states violating an invariant and steps violating a transition property', async () => {
    const model = loadModel({ model: 'statefulset', params: { R: 2, userOps: ['forceDeletePod'], budget: 1 } });
    const ex = await explore(model, { check: [] });
    const g = stateGraph(model, ex);
    expect(g.violating.size).toBeGreaterThan(0);
    expect([...g.violating.values()].every((v) => v.includes('AtMostOne'))).toBe(true);
    const file = path.join(tmp, 'graph.svg');
    const r = await dumpStateGraph(model, file, { title: 'small <graph>', check: ['AtMostOne'] });
    expect(r.states).toBe(ex.distinct);
    const els = parseXml(fs.readFileSync(file, 'utf8'));
    expect(stateNodes(els)).toHaveLength(ex.distinct);
    const red = els.filter((e) => e.name === 'path' && e.attrs.stroke?.toLowerCase() === '#d00000' && e.attrs.fill?.toLowerCase() === '#ffd6d6');
    expect(red.length).toBe(g.violating.size);
    expect(texts(els)).toContain('small <graph>');
  });

  it('refuses graphs above 2,000 states with a clear input error', async () => {
    const model = loadModel({ model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 1 } });
    const err = await dumpStateGraph(model, path.join(tmp, 'big.dot'), { title: 'big', check: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/more than 2,000 states.*smaller configuration/);
    expect(fs.existsSync(path.join(tmp, 'big.dot'))).toBe(false);
    await expect(dumpStateGraph(model, path.join(tmp, 'g.png'), { title: 'x', check: [] })).rejects.toThrow(/must end in \.dot or \.svg/);
  });
});
