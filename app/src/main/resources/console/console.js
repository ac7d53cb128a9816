// The digestflow console: one small script for the five pages. Every text that comes from the
// pipeline (titles, file names, reasons, payloads) is set as textContent, never as HTML: a digest
// is untrusted input.
'use strict';

const PAGES = { '/': pipelinePage, '/topics': topicsPage, '/files': filesPage, '/dead-letters': deadLettersPage, '/items': itemsPage };
const main = document.getElementById('page');
const handlers = { pipeline: [], topics: [], files: [] };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(n, digits) {
  if (n === null || n === undefined) return '–';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 0 : digits });
}

function when(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

async function api(path, options) {
  const r = await fetch(path, options);
  const body = await r.json().catch(() => ({ error: 'the console answered ' + r.status + ' without JSON' }));
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

function on(event, fn) { handlers[event].push(fn); }

function unavailableNote(list) {
  return (list && list.length) ? el('div', { class: 'unavailable', 'data-test': 'unavailable' }, 'Unavailable now: ' + list.join('; ')) : null;
}

function chart(container, option) {
  const c = echarts.getInstanceByDom(container) || echarts.init(container, null, { renderer: 'canvas' });
  c.setOption(option, true);
  return c;
}

// ---------------------------------------------------------------- Pipeline
function pipelinePage() {
  main.replaceChildren(el('h1', {}, 'Pipeline'), el('div', { id: 'pipeline' }, 'waiting for the first sample…'));
  const render = p => {
    if (p.starting) return;
    const flow = el('div', { class: 'flow', 'data-test': 'flow' });
    p.stages.forEach((s, i) => {
      if (i > 0) flow.appendChild(el('div', { class: 'arrow' }, '→'));
      flow.appendChild(el('div', { class: 'stage', 'data-stage': s.id },
        el('div', {}, s.label),
        el('div', { class: 'count' }, fmt(s.count)),
        el('div', { class: 'rate' }, s.unit + ' · ' + fmt(s.rate, 1) + ' ' + s.rateUnit),
        el('div', { class: 'detail' }, s.detail)));
    });
    flow.appendChild(el('div', { class: 'stage dlq', 'data-stage': 'dlq' },
      el('div', {}, 'dead letters'), el('div', { class: 'count' }, fmt(p.dlq.records)),
      el('div', { class: 'detail' }, Object.entries(p.dlq.byStage).map(([k, v]) => k + ': ' + v).join(', ') || 'none')));
    const r = p.reconciliation || {};
    const verdict = r.pending ? el('div', { class: 'verdict pending', 'data-test': 'verdict' }, 'reconciliation: running the first check…')
      : r.error ? el('div', { class: 'verdict bad', 'data-test': 'verdict' }, r.error)
      : el('div', { class: 'verdict ' + (r.reconciled ? 'ok' : 'bad'), 'data-test': 'verdict' },
        r.verdict + ' ' + (r.disagreements || []).join(' · ') + ' ' + (r.partial || []).join(' · '),
        el('span', { class: 'small' }, '  (checked ' + when(r.at) + ', took ' + fmt(r.millis) + ' ms)'));
    const services = el('table', { 'data-test': 'services' }, el('tr', {}, el('th', {}, 'service'), el('th', {}, 'health'), el('th', {}, 'detail'), el('th', {}, 'last warning or error')),
      p.services.map(s => el('tr', {},
        el('td', {}, s.name),
        el('td', { class: s.ready ? 'ready' : 'down' }, s.ready ? 'ready' : (s.live ? 'live, not ready' : 'down')),
        el('td', {}, s.detail || ''),
        el('td', {}, s.lastProblem ? problem(s.lastProblem) : 'none'))));
    const lag = el('table', { 'data-test': 'lag' }, el('tr', {}, ['group', 'service', 'topic', 'partition'].map(h => el('th', {}, h)),
      ['committed', 'end', 'lag'].map(h => el('th', { class: 'num' }, h))),
      p.lag.map(l => el('tr', {}, el('td', {}, l.group), el('td', {}, l.service), el('td', {}, l.topic), el('td', {}, l.partition),
        el('td', { class: 'num' }, fmt(l.committed)), el('td', { class: 'num' }, fmt(l.end)), el('td', { class: 'num' }, fmt(l.lag)))));
    document.getElementById('pipeline').replaceChildren(flow, verdict, unavailableNote(p.unavailable) || '',
      el('h2', {}, 'Services'), services, el('h2', {}, 'Consumer lag per partition'), lag,
      el('p', { class: 'small' }, 'Sampled ' + when(p.at) + '. Files per minute: ' + fmt(p.files.perMinute) + '.'));
  };
  api('/api/pipeline').then(render).catch(showError);
  on('pipeline', render);
}

// A log line can be long (a stack of causes): its first 300 characters, the rest on demand.
function problem(p) {
  const head = when(p.at) + ' ' + p.level + ': ';
  if (p.message.length <= 300) return el('span', {}, head, el('span', { class: 'why' }, p.message));
  return el('details', {}, el('summary', {}, head, el('span', { class: 'why' }, p.message.substring(0, 300) + '…')), el('pre', {}, p.message));
}

// ---------------------------------------------------------------- Topics
function topicsPage() {
  main.replaceChildren(el('h1', {}, 'Topics'), el('div', { id: 'topics' }, 'loading…'), el('div', { id: 'records' }));
  let shown = null;
  const render = topics => {
    const table = el('table', { 'data-test': 'topics' }, el('tr', {}, el('th', {}, 'topic'), el('th', {}, 'partitions (start–end)'),
      el('th', { class: 'num' }, 'records'), el('th', { class: 'num' }, 'msg/s'), el('th', {}, 'last minutes'), el('th', {}, 'consumer groups (lag)')));
    const sparks = [];
    topics.forEach(t => {
      const spark = el('div', { class: 'spark', 'data-test': 'sparkline' });
      sparks.push([spark, t.sparkline]);
      table.appendChild(el('tr', { 'data-topic': t.topic },
        el('td', {}, el('a', { href: '#' + t.topic, onclick: ev => { ev.preventDefault(); showRecords(t.topic); } }, t.topic), el('div', { class: 'small' }, t.role)),
        el('td', {}, t.partitions.map(p => p.partition + ': ' + fmt(p.start) + '–' + fmt(p.end)).join(', ')),
        el('td', { class: 'num' }, fmt(t.records)),
        el('td', { class: 'num' }, fmt(t.perSecond, 1)),
        el('td', {}, spark),
        el('td', {}, t.groups.map(g => g.group + ' (' + g.service + '): ' + fmt(g.lag)).join(', ') || 'none')));
    });
    document.getElementById('topics').replaceChildren(table);
    sparks.forEach(([node, data]) => chart(node, {
      animation: false, grid: { left: 2, right: 2, top: 2, bottom: 2 }, xAxis: { type: 'time', show: false }, yAxis: { type: 'value', show: false },
      series: [{ type: 'line', data: data, showSymbol: false, lineStyle: { width: 1 }, areaStyle: { opacity: 0.2 } }]
    }));
  };
  async function showRecords(topic) {
    shown = topic;
    const box = document.getElementById('records');
    box.replaceChildren(el('h2', {}, 'Latest records of ' + topic), 'loading…');
    try {
      const records = await api('/api/topics/' + encodeURIComponent(topic) + '/records?limit=20');
      box.replaceChildren(el('h2', {}, 'Latest records of ' + topic + ' (decoded through the schema registry)'),
        el('table', { 'data-test': 'records' }, el('tr', {}, ['partition@offset', 'timestamp', 'key', 'headers', 'value'].map(h => el('th', {}, h))),
          records.map(r => el('tr', {}, el('td', {}, r.partition + '@' + r.offset), el('td', {}, when(r.timestamp)), el('td', {}, r.key || ''),
            el('td', {}, el('pre', {}, JSON.stringify(r.headers, null, 1))), el('td', {}, el('pre', {}, JSON.stringify(r.value, null, 2)))))));
    } catch (e) {
      box.replaceChildren(el('div', { class: 'error' }, e.message));
    }
  }
  api('/api/topics').then(render).catch(showError);
  on('topics', render);
  if (location.hash.length > 1) showRecords(decodeURIComponent(location.hash.substring(1)));
}

// ---------------------------------------------------------------- Files
function filesPage() {
  main.replaceChildren(el('h1', {}, 'Files'), el('div', { id: 'files' }, 'loading…'));
  const load = async () => {
    try {
      const r = await api('/api/files');
      const table = el('table', { 'data-test': 'files' }, el('tr', {}, el('th', {}, 'file'), el('th', {}, 'status'), el('th', {}, 'format'),
        ['items', 'new', 'duplicate', 's to searchable'].map(h => el('th', { class: 'num' }, h)), el('th', {}, 'dropped'), el('th', {}, 'reason')));
      r.files.forEach(f => table.appendChild(el('tr', { id: f.sha256, class: location.hash === '#' + f.sha256 ? 'highlight' : null, 'data-status': f.status },
        el('td', {}, f.fileName), el('td', { class: 'status-' + f.status }, f.status), el('td', {}, f.format || ''),
        el('td', { class: 'num' }, fmt(f.items)), el('td', { class: 'num' }, fmt(f.newItems)), el('td', { class: 'num' }, fmt(f.duplicates)),
        el('td', { class: 'num' }, f.secondsToSearchable === undefined ? '' : fmt(f.secondsToSearchable, 1)),
        el('td', {}, when(f.detectedAt)),
        el('td', {}, f.reason ? el('pre', { 'data-test': 'reason' }, f.reason) : ''))));
      document.getElementById('files').replaceChildren(unavailableNote(r.unavailable) || '',
        el('p', { class: 'small' }, r.files.length + ' file events from digest.files, newest first. New: documents from this file; duplicate: items already indexed from an earlier file. Seconds from the drop to its last document indexed.'),
        table);
      const target = location.hash.length > 1 ? document.getElementById(location.hash.substring(1)) : null;
      if (target) target.scrollIntoView();
    } catch (e) {
      showError(e);
    }
  };
  load();
  on('files', load);
  setInterval(load, 10000); // new/duplicate counts move as the sink indexes, after the file event
}

// ---------------------------------------------------------------- Dead letters
function deadLettersPage() {
  main.replaceChildren(el('h1', {}, 'Dead letters'), el('div', { id: 'result' }), el('div', { id: 'letters' }, 'loading…'));
  let lastCount = -1;
  const load = async () => {
    try {
      const r = await api('/api/dead-letters');
      const replay = el('button', { id: 'replay', onclick: replaySelected }, 'Replay selected to their original topic');
      const table = el('table', { 'data-test': 'dead-letters' }, el('tr', {}, el('th', {}, ''), ['dead letter', 'when', 'stage', 'item id', 'from', 'reason', 'payload'].map(h => el('th', {}, h))));
      r.letters.forEach(d => table.appendChild(el('tr', { 'data-coordinates': d.coordinates },
        el('td', {}, d.replayable ? el('input', { type: 'checkbox', value: d.coordinates }) : el('span', { class: 'small', title: d.notReplayableBecause }, 'n/a')),
        el('td', {}, d.coordinates, d.replayedAt ? el('div', { class: 'small' }, 'replayed ' + when(d.replayedAt)) : ''),
        el('td', {}, when(d.timestamp)), el('td', {}, d.stage), el('td', {}, d.itemId || ''),
        el('td', {}, (d.originalTopic || '?') + ' ' + (d.originalPartition || '?') + '@' + (d.originalOffset || '?')),
        el('td', {}, el('pre', {}, d.reason)),
        el('td', {}, el('details', {}, el('summary', {}, d.payload.undecodable ? 'undecodable' : 'schema ' + d.payload.schemaId),
          el('pre', {}, JSON.stringify(d.payload, null, 2)))))));
      document.getElementById('letters').replaceChildren(
        el('p', { class: 'small' }, r.total + ' records on ' + r.topic + (r.shown < r.total ? ' (the last ' + r.shown + ' shown)' : '') +
          '. A replayed record goes back to its original topic and through dedup like any other: replaying twice adds nothing.'),
        r.letters.length ? replay : '', table);
    } catch (e) {
      showError(e);
    }
  };
  async function replaySelected() {
    const letters = [...document.querySelectorAll('input[type=checkbox]:checked')].map(c => c.value);
    const box = document.getElementById('result');
    if (!letters.length) { box.replaceChildren(el('div', { class: 'error' }, 'Select the dead letters to replay first.')); return; }
    try {
      const r = await api('/api/dead-letters/replay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ letters }) });
      box.replaceChildren(el('div', { class: 'verdict ok', 'data-test': 'replay-result' }, 'Replayed ' + r.replayed.length + ': ' +
        r.replayed.map(x => x.coordinates + ' → ' + x.topic).join(', ') + (Object.keys(r.refused).length ? '; not replayed: ' + JSON.stringify(r.refused) : '')));
      load();
    } catch (e) {
      box.replaceChildren(el('div', { class: 'error' }, e.message));
    }
  }
  load();
  on('pipeline', p => { if (p.dlq && p.dlq.records !== lastCount) { lastCount = p.dlq.records; load(); } });
}

// ---------------------------------------------------------------- Items
function itemsPage() {
  const params = new URLSearchParams(location.search);
  const q = el('input', { type: 'text', name: 'q', placeholder: 'Elasticsearch query string, e.g. title:agent* AND tags:llm', value: params.get('q') || '' });
  const selects = ['tag', 'format', 'file'].map(name => el('select', { name }, el('option', { value: '' }, 'any ' + name)));
  const form = el('form', { class: 'search', onsubmit: ev => { ev.preventDefault(); search(); } }, q, selects, el('button', { type: 'submit' }, 'Search'));
  main.replaceChildren(el('h1', {}, 'Items'), form, el('div', { id: 'total', 'data-test': 'total' }),
    el('div', { class: 'charts' }, el('div', {}, el('h2', {}, 'Top tags'), el('div', { id: 'chart-top-tags', class: 'chart', 'data-test': 'chart' })),
      el('div', {}, el('h2', {}, 'Items over time by tag'), el('div', { id: 'chart-over-time', class: 'chart', 'data-test': 'chart' }))),
    el('div', { id: 'hits' }));
  function fill(select, buckets, current) {
    const value = current !== undefined ? current : select.value;
    select.replaceChildren(el('option', { value: '' }, 'any ' + select.name), buckets.filter(b => !b.other).map(b => el('option', { value: b.key, selected: b.key === value }, b.key + ' (' + b.count + ')')));
  }
  async function search() {
    const p = new URLSearchParams();
    if (q.value) p.set('q', q.value);
    selects.forEach(s => { if (s.value) p.set(s.name, s.value); });
    history.replaceState(null, '', '/items' + (p.toString() ? '?' + p : ''));
    try {
      const r = await api('/api/items?' + p);
      document.getElementById('total').replaceChildren(el('strong', {}, fmt(r.total) + ' items'), p.toString() ? ' match' : ' indexed');
      fill(selects[0], r.topTags, params.get('tag') || undefined);
      fill(selects[1], r.formats, params.get('format') || undefined);
      fill(selects[2], r.files, params.get('file') || undefined);
      params.delete('tag'); params.delete('format'); params.delete('file');
      chart(document.getElementById('chart-top-tags'), {
        animation: false, grid: { left: 150, right: 20, top: 10, bottom: 20 }, tooltip: {},
        xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: r.topTags.map(b => b.key) },
        series: [{ type: 'bar', name: 'Items', data: r.topTags.map(b => b.count) }]
      });
      const series = (r.overTime ? r.overTime.series : []).map(s => ({ type: 'bar', stack: 'items', name: s.tag, data: s.points, barMaxWidth: 40 }));
      chart(document.getElementById('chart-over-time'), {
        animation: false, legend: { type: 'scroll', top: 0 }, grid: { left: 40, right: 20, top: 40, bottom: 30 }, tooltip: { trigger: 'axis' },
        // The axis spans the data (one interval either side), as Kibana's chart spans its time range.
        xAxis: { type: 'time', min: r.overTime ? r.overTime.from - r.overTime.intervalMillis : null, max: r.overTime ? r.overTime.to + r.overTime.intervalMillis : null },
        yAxis: { type: 'value', name: 'Items per ' + (r.overTime ? r.overTime.interval : '') }, series
      });
      const list = el('table', { 'data-test': 'items' }, el('tr', {}, ['item', 'tags (matched terms, score)', 'lineage'].map(h => el('th', {}, h))));
      r.hits.forEach(h => {
        const src = h.source || {};
        const explanations = h.explanations || [];
        list.appendChild(el('tr', { 'data-item': h.itemId },
          el('td', {}, h.url ? el('a', { href: h.url, rel: 'noopener noreferrer', class: 'item-title' }, h.title) : el('span', { class: 'item-title' }, h.title),
            el('div', { class: 'small' }, (h.summary || '').substring(0, 300))),
          el('td', {}, (h.tags || []).map(t => {
            const x = explanations.find(e => e.tag === t);
            return el('div', {}, el('span', { class: 'tag', 'data-test': 'tag' }, t),
              x ? el('span', { class: 'why' }, (x.matchedTerms || []).join(', ') + ' · ' + fmt(x.score, 2)) : '');
          })),
          el('td', { class: 'small' }, el('a', { href: '/files#' + (src.sha256 || '') }, src.file || ''), el('div', {}, (src.format || '') + ' · line ' + (src.line || '?') + ' · #' + (src.ordinal || '?')),
            el('div', {}, 'ingested ' + when(h.ingestedAt ? Date.parse(h.ingestedAt) : 0)))));
      });
      document.getElementById('hits').replaceChildren(el('h2', {}, 'Latest ' + r.hits.length + ' of ' + fmt(r.total)), list);
    } catch (e) {
      document.getElementById('hits').replaceChildren(el('div', { class: 'error', 'data-test': 'search-error' }, e.message));
    }
  }
  if (params.get('tag') || params.get('format') || params.get('file')) {
    selects.forEach(s => { if (params.get(s.name)) s.appendChild(el('option', { value: params.get(s.name), selected: true }, params.get(s.name))); });
  }
  search();
}

function showError(e) {
  main.appendChild(el('div', { class: 'error' }, e.message));
}

function connect() {
  const live = document.getElementById('live');
  const source = new EventSource('/api/events');
  source.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  source.onerror = () => { live.textContent = 'disconnected: retrying…'; live.className = 'live off'; };
  for (const name of Object.keys(handlers)) {
    source.addEventListener(name, ev => {
      const data = JSON.parse(ev.data);
      handlers[name].forEach(fn => fn(data));
    });
  }
}

const path = location.pathname.replace(/\/+$/, '') || '/';
document.querySelectorAll('nav a').forEach(a => { if (a.getAttribute('href') === path) a.classList.add('active'); });
(PAGES[path] || pipelinePage)();
connect();
