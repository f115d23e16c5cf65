// sfsync admin page: the real-time view (issue 18), #/realtime. One row per real-time job running
// in the daemon: connection state (connected / reconnecting / catching up / stopped), time of the
// newest event (its commitTimestamp), lag from commit to applied (p50 / p99 over the last 10,000
// events), events/s (last 10 s), the last replay id stored, and the counts of the current hour's
// execution row (linked). Loaded from GET /api/realtime, then kept current without reloads by the
// daemon's "realtime" live events (about once a second), which live.js hands to onStats(). Data is
// only ever inserted as text.
'use strict';

window.sfsyncRealtime = (() => {
  const STATE_TEXT = {
    starting: 'starting', connected: 'connected', reconnecting: 'reconnecting',
    'catching-up': 'catching up', stopped: 'stopped',
  };
  const STATE_CLASS = {
    connected: 'flag-active', reconnecting: 'flag-paused', 'catching-up': 'flag-running',
    starting: 'flag-paused', stopped: 'flag-disconnected',
  };
  const HEADERS = ['Job', 'State', 'Last event', 'Lag p50 / p99', 'Events/s', 'Last replay id',
    'This hour: read', 'Created', 'Updated', 'Deleted', 'Failed'];
  let updates = 0; // live updates applied to the view (data-updates, for tests)

  const n = (v) => Number(v || 0).toLocaleString();

  function lag(ms) {
    if (ms < 1000) return `${ms} ms`;
    return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  }

  function localTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function cell(className, text, title) {
    const td = document.createElement('td');
    td.className = className;
    td.textContent = text;
    if (title) td.title = title;
    return td;
  }

  // The cells of one job, in HEADERS order after the job's name.
  function cells(j) {
    const state = document.createElement('td');
    state.className = 'rt-state';
    const badge = document.createElement('span');
    badge.className = `badge ${STATE_CLASS[j.state] || ''}`;
    badge.textContent = STATE_TEXT[j.state] || j.state;
    if (j.lastError) badge.title = j.lastError;
    state.append(badge);
    const replay = j.lastReplayId ? j.lastReplayId : '—';
    return [
      state,
      cell('rt-last-event', localTime(j.lastEventTime)),
      cell('rt-lag num', `${lag(j.lagP50Ms)} / ${lag(j.lagP99Ms)}`, `newest event: ${lag(j.lagLastMs)}`),
      cell('rt-rate num', Number(j.eventsPerSecond || 0).toFixed(1)),
      cell('rt-replay mono', replay, j.lastReplayStoredAt ? `stored ${localTime(j.lastReplayStoredAt)}` : null),
      cell('rt-read num', n(j.hour && j.hour.read)),
      cell('rt-created num', n(j.hour && j.hour.created)),
      cell('rt-updated num', n(j.hour && j.hour.updated)),
      cell('rt-deleted num', n(j.hour && j.hour.deleted)),
      cell('rt-failed num', n(j.hour && j.hour.failed)),
    ];
  }

  function row(j) {
    const tr = document.createElement('tr');
    tr.dataset.job = j.job;
    const th = document.createElement('th');
    th.scope = 'row';
    const name = document.createElement('a');
    name.textContent = j.job;
    name.href = j.hour && j.hour.executionId
      ? `#/activity/${encodeURIComponent(j.hour.executionId)}`
      : `#/activity?${new URLSearchParams({ job: j.job })}`;
    th.append(name);
    tr.append(th, ...cells(j));
    tr.dataset.state = j.state;
    tr.dataset.events = String(j.events);
    return tr;
  }

  function fill(tbody, jobs) {
    const rows = jobs.map(row);
    if (!rows.length) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = HEADERS.length;
      td.className = 'empty';
      td.textContent = 'No real-time job is running ("realtime": true on a job starts one).';
      tr.append(td);
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
  }

  async function render(h) {
    const data = await h.apiJson('/api/realtime');
    const section = document.createElement('section');
    section.className = 'card realtime';
    const title = document.createElement('h2');
    title.textContent = 'Real-time jobs';
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = 'Change Data Capture through the Pub/Sub API. Updated live, about once a second.';
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    const table = document.createElement('table');
    table.className = 'realtime-jobs';
    const caption = document.createElement('caption');
    caption.className = 'visually-hidden';
    caption.textContent = 'Real-time jobs: state, lag, throughput and the current hour';
    const thead = document.createElement('thead');
    const head = document.createElement('tr');
    for (const label of HEADERS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.append(th);
    }
    thead.append(head);
    const tbody = document.createElement('tbody');
    fill(tbody, data.jobs || []);
    table.append(caption, thead, tbody);
    wrap.append(table);
    section.append(title, note, wrap);
    section.dataset.updates = String(updates);
    return section;
  }

  // A "realtime" live event ({"jobs":[...]}): updates the view in place when it is shown.
  function onStats(data) {
    const table = document.querySelector('#view table.realtime-jobs');
    if (!table) return;
    fill(table.querySelector('tbody'), data.jobs || []);
    updates += 1;
    const section = table.closest('section');
    if (section) section.dataset.updates = String(updates);
  }

  return { render, onStats };
})();
