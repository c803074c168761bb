/**
 * The script of the HTML trace viewer, as text: it reads the trace from the page's
 * `<script type="application/json">` block and builds the step panel with `textContent` only, so
 * no user-provided string is ever parsed as markup. Plain ES2017 without template literals, so it
 * needs no build step and runs from `file://` with nothing fetched.
 */
export const VIEWER_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('trace-data').textContent);
  var steps = data.steps;
  var last = steps.length - 1;
  var current = -1;

  function byId(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // Header: what was checked and why it fails.
  document.title = data.scenario + ': ' + data.property.name + ' violated';
  byId('scenario').textContent = data.scenario;
  byId('property-name').textContent = data.property.name;
  byId('property-kind').textContent = '(' + data.property.kind + ')';
  byId('property-description').textContent = data.property.description;
  byId('description').textContent = data.description || '(no description)';
  byId('model').textContent = data.model;
  byId('params').textContent = JSON.stringify(data.params);
  byId('length').textContent = last + (last === 1 ? ' step' : ' steps');
  // Said once for the whole trace: the event budget, how ordinals are shown.
  var notes = byId('notes');
  (data.notes || []).forEach(function (n) { notes.appendChild(el('li', null, n)); });
  notes.hidden = !(data.notes && data.notes.length);

  // The list of all steps, clickable.
  var list = byId('steps');
  steps.forEach(function (s, k) {
    var li = el('li');
    var b = el('button', 'step-link', k === 0 ? 'initial state' : s.action);
    b.type = 'button';
    b.style.borderLeftColor = s.color;
    b.addEventListener('click', function () { show(k); });
    li.appendChild(b);
    list.appendChild(li);
  });

  // Clicking a state of the graph selects it.
  steps.forEach(function (_s, k) {
    var node = byId('step' + k);
    if (node) node.addEventListener('click', function () { show(k); });
  });

  function table(g) {
    var t = el('table', 'state-table');
    var head = el('tr');
    head.appendChild(el('th', 'kind', g.kind));
    g.columns.forEach(function (c) { head.appendChild(el('th', null, c)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    g.rows.forEach(function (r) {
      var tr = el('tr', r.status);
      tr.title = r.object + (r.status === 'created' ? ' (created in this step)' : r.status === 'deleted' ? ' (deleted in this step)' : '');
      var name = r.label;
      var note = r.status === 'deleted' ? '(deleted)' : r.status === 'created' ? '(new)' : '';
      tr.appendChild(el('th', 'object', name && note ? name + ' ' + note : name || note));
      r.cells.forEach(function (c) {
        var classes = [];
        if (c.changed) classes.push('changed');
        if (c.note) classes.push('glossed');
        if (c.blamed) classes.push('blamed');
        var td = el('td', classes.join(' ') || null, c.text);
        // A model word's explanation as the cell's tooltip; a blamed cell says so to screen readers too.
        if (c.note || c.blamed) td.title = (c.blamed ? 'makes ' + data.property.name + ' fail' + (c.note ? '; ' : '') : '') + (c.note || '');
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function show(k) {
    k = Math.max(0, Math.min(last, k));
    if (k === current) return;
    var previous = current;
    current = k;
    var s = steps[k];
    byId('position').textContent = (k === 0 ? 'State 0' : 'Step ' + k) + ' of ' + last;
    byId('prev').disabled = k === 0;
    byId('next').disabled = k === last;
    byId('step-title').textContent = k === 0 ? 'State 0 (initial)' : 'Step ' + k + ': ';
    var action = byId('step-action');
    action.textContent = k === 0 ? '' : s.action;
    action.style.color = s.color;
    var actor = byId('step-actor');
    actor.textContent = k > 0 && s.actor ? s.actor : '';
    actor.style.backgroundColor = s.color;
    actor.hidden = !(k > 0 && s.actor);
    var words = byId('step-words');
    words.textContent = k > 0 && s.words ? s.words : '';
    words.hidden = !(k > 0 && s.words);

    var verdict = byId('verdict');
    clear(verdict);
    verdict.hidden = k !== last;
    if (k === last) {
      verdict.appendChild(el('p', null, data.verdict));
      if (data.blameNote) verdict.appendChild(el('p', 'blame-note', data.blameNote));
      var disabled = data.stutter || [];
      if (disabled.length) {
        verdict.appendChild(el('p', null, 'No fair action is enabled. Closest to acting:'));
        var shown = el('ul', 'disabled');
        var more = el('ul', 'disabled');
        disabled.forEach(function (d, i) {
          var why = d.label + ' needs ' + d.failing.join(', ') + (d.needs && d.failing.length === 1 ? ' (' + d.needs + ')' : '');
          (i < data.shownDisabled ? shown : more).appendChild(el('li', null, why));
        });
        verdict.appendChild(shown);
        if (more.childNodes.length) {
          var fold = el('details');
          fold.appendChild(el('summary', null, more.childNodes.length + ' more disabled fair actions'));
          fold.appendChild(more);
          verdict.appendChild(fold);
        }
      }
    }

    var changes = byId('changes');
    clear(changes);
    if (k === 0) changes.appendChild(el('li', 'none', 'the initial state: nothing changed yet'));
    else if (s.changes.length === 0) changes.appendChild(el('li', 'none', '(no visible change)'));
    s.changes.forEach(function (c) { changes.appendChild(el('li', null, c)); });
    var glosses = byId('glosses');
    clear(glosses);
    (s.glosses || []).forEach(function (g) { glosses.appendChild(el('li', null, g)); });
    glosses.hidden = !(s.glosses && s.glosses.length);

    var state = byId('state');
    clear(state);
    s.groups.forEach(function (g) { state.appendChild(table(g)); });

    var links = list.querySelectorAll('.step-link');
    for (var i = 0; i < links.length; i++) links[i].classList.toggle('current', i === k);
    [previous, k].forEach(function (j) {
      if (j < 0) return;
      var node = byId('step' + j);
      if (node) node.classList.toggle('current', j === k);
      var edge = byId('edge' + j);
      if (edge) edge.classList.toggle('current', j === k);
    });
    var node = byId('step' + k);
    if (node && node.scrollIntoView) node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (history.replaceState) history.replaceState(null, '', '#step-' + k);
  }

  byId('prev').addEventListener('click', function () { show(current - 1); });
  byId('next').addEventListener('click', function () { show(current + 1); });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var to = e.key === 'ArrowRight' ? current + 1 : e.key === 'ArrowLeft' ? current - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (to === null) return;
    e.preventDefault();
    show(to);
  });

  var m = /^#step-(\d+)$/.exec(location.hash);
  show(m ? Number(m[1]) : 0);
  document.body.setAttribute('data-ready', 'true');
})();
`;
