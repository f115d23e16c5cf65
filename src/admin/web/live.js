// sfsync admin page, live part (issue 16): subscribes to GET /api/events with an EventSource and
// keeps the page current without reloads - progress bars on the overview (job and chain rows) and
// on an execution's page (a chain sums its running jobs), the execution page's Read tile, and a
// re-render (through the refresh callback app.js passes to start()) when a run starts or
// finishes, an admin action is taken or the configuration is reloaded, so "Running" leaves the
// screen the moment a run ends. EventSource cannot send the bearer token: each connection first
// asks POST /api/events/ticket for a one-time ticket. A dropped stream reconnects by itself with
// exponential backoff (1 s doubling to 30 s, reset once a stream is open). Text only, never HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'sfsync.adminToken';
  const MAX_BACKOFF_MS = 30000;
  const RUN_EVENTS = ['run.started', 'run.finished', 'control', 'config.reload', 'metadata.refresh'];

  const live = {
    refresh: () => {},
    source: null,
    backoffMs: 1000,
    retryTimer: null,
    refreshTimer: null,
    settleTimer: null,
    progress: new Map(), // executionId -> the latest run.progress payload of a running job
    status: null, // the topbar indicator
    connectedBefore: false, // a stream was open before (the next hello is a reconnect)
    connects: 0, // streams opened so far (data-connects on the indicator, for tests)
  };

  function setStatus(text, kind) {
    if (!live.status) return;
    live.status.textContent = text;
    live.status.dataset.state = kind;
  }

  function scheduleReconnect() {
    if (live.retryTimer) return;
    const delay = live.backoffMs;
    live.backoffMs = Math.min(live.backoffMs * 2, MAX_BACKOFF_MS);
    setStatus(`live: reconnecting in ${Math.round(delay / 1000)} s`, 'down');
    live.retryTimer = setTimeout(() => {
      live.retryTimer = null;
      connect();
    }, delay);
  }

  async function ticket(token) {
    const response = await fetch('/api/events/ticket', {
      method: 'POST',
      cache: 'no-store',
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`ticket: HTTP ${response.status}`);
    return (await response.json()).ticket;
  }

  async function connect() {
    if (live.source) return;
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) { // signed out: look again in a second (no request is made meanwhile)
      setStatus('', 'off');
      live.backoffMs = 1000;
      if (!live.retryTimer) {
        live.retryTimer = setTimeout(() => { live.retryTimer = null; connect(); }, 1000);
      }
      return;
    }
    let t;
    try {
      t = await ticket(token);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    const source = new EventSource(`/api/events?ticket=${encodeURIComponent(t)}`);
    live.source = source;
    source.addEventListener('hello', () => {
      live.backoffMs = 1000;
      live.progress.clear(); // events missed while away: the next progress events refill it
      if (live.connectedBefore) live.refresh(); // a reconnect: show what changed meanwhile
      live.connectedBefore = true;
      live.connects += 1;
      if (live.status) live.status.dataset.connects = String(live.connects);
      setStatus('live', 'up');
    });
    source.addEventListener('run.progress', (e) => onProgress(JSON.parse(e.data)));
    source.addEventListener('realtime', (e) => { // realtime.js (issue 18): the real-time view
      if (window.sfsyncRealtime) window.sfsyncRealtime.onStats(JSON.parse(e.data));
    });
    for (const name of RUN_EVENTS) {
      source.addEventListener(name, (e) => onChange(name, JSON.parse(e.data)));
    }
    const reconnect = () => { // a ticket works once: every reconnect needs a new one
      source.close();
      if (live.source === source) live.source = null;
      scheduleReconnect();
    };
    source.addEventListener('expired', reconnect);
    source.addEventListener('dropped', reconnect);
    source.onerror = reconnect;
  }

  // ------------------------------------------------------------------ progress

  function onProgress(p) {
    live.progress.set(p.executionId, p);
    decorate();
  }

  function onChange(name, event) {
    if (name === 'run.finished') {
      live.progress.delete(event.executionId);
      for (const [id, p] of live.progress) {
        if (p.parentId === event.executionId) live.progress.delete(id);
      }
    }
    // Several events often come together (a chain and its jobs): one re-render for all.
    clearTimeout(live.refreshTimer);
    live.refreshTimer = setTimeout(refreshUnlessTyping, 150);
    if (name === 'run.finished') {
      // The scheduler clears its "running" mark just after the row is final (notifications may
      // come first): look once more a little later.
      clearTimeout(live.settleTimer);
      live.settleTimer = setTimeout(refreshUnlessTyping, 2000);
    }
  }

  function refreshUnlessTyping() {
    const busy = document.activeElement && document.activeElement.closest('form');
    if (!busy) live.refresh();
  }

  // Sums the progress of `entries` (several running jobs of one chain).
  function sum(entries) {
    if (!entries.length) return null;
    const known = entries.every((p) => p.total > 0);
    const s = {
      records: entries.reduce((a, p) => a + p.records, 0),
      total: known ? entries.reduce((a, p) => a + p.total, 0) : 0,
      ratePerSecond: entries.reduce((a, p) => a + p.ratePerSecond, 0),
      phase: [...new Set(entries.map((p) => p.phase))].join(' + '),
      etaSeconds: Math.max(...entries.map((p) => p.etaSeconds)),
    };
    s.percent = s.total > 0 ? Math.min(100, Math.floor((s.records * 100) / s.total)) : -1;
    if (!known) s.etaSeconds = -1;
    return s;
  }

  function eta(seconds) {
    if (seconds < 0) return '';
    if (seconds < 60) return `${seconds} s`;
    const m = Math.floor(seconds / 60);
    return m < 60 ? `${m} min ${seconds % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
  }

  function label(p) {
    const n = (v) => Number(v).toLocaleString();
    const parts = [p.phase, p.total > 0 ? `${n(p.records)} / ${n(p.total)}` : `${n(p.records)} records`];
    if (p.ratePerSecond > 0) parts.push(`${n(Math.round(p.ratePerSecond))}/s`);
    if (p.etaSeconds >= 0) parts.push(`ETA ${eta(p.etaSeconds)}`);
    return parts.join(' · ');
  }

  // The bar inside `host` (created once, then updated in place), after `anchor` when given.
  function bar(host, p, key, anchor) {
    let box = host.querySelector(':scope > .live-progress');
    if (!box) {
      box = document.createElement('div');
      box.className = 'live-progress';
      box.setAttribute('role', 'progressbar');
      box.setAttribute('aria-valuemin', '0');
      box.setAttribute('aria-valuemax', '100');
      const track = document.createElement('div');
      track.className = 'live-progress-track';
      const fill = document.createElement('div');
      fill.className = 'live-progress-fill';
      track.append(fill);
      const text = document.createElement('div');
      text.className = 'live-progress-label';
      box.append(track, text);
      if (anchor) anchor.after(box);
      else host.append(box);
    }
    box.dataset.key = key;
    box.dataset.records = String(p.records);
    box.classList.toggle('indeterminate', p.percent < 0);
    if (p.percent >= 0) box.setAttribute('aria-valuenow', String(p.percent));
    else box.removeAttribute('aria-valuenow');
    box.setAttribute('aria-label', `progress: ${label(p)}`);
    box.querySelector('.live-progress-fill').style.width = p.percent >= 0 ? `${p.percent}%` : '';
    box.querySelector('.live-progress-label').textContent = label(p);
  }

  function clearBars(root, keep) {
    for (const box of root.querySelectorAll('.live-progress')) {
      if (!keep.has(box)) box.remove();
    }
  }

  // The execution page's Read tile: a job's records so far; a chain's value as rendered (the sums
  // of its job runs, finished ones included) plus what its running jobs read since.
  function updateReadTile(detail, p, isJob) {
    for (const count of detail.querySelectorAll('.count')) {
      const name = count.querySelector('.count-label');
      if (!name || name.textContent !== 'Read') continue;
      const value = count.querySelector('.count-value');
      let records = p.records;
      if (!isJob) {
        if (!value.dataset.base) { // set once per render
          value.dataset.base = value.textContent.replace(/\D/g, '') || '0';
          value.dataset.seen = String(p.records);
        }
        records = Number(value.dataset.base) + Math.max(0, p.records - Number(value.dataset.seen));
      }
      value.textContent = Number(records).toLocaleString();
    }
  }

  // Puts the current progress onto whatever view is shown.
  function decorate() {
    const view = document.getElementById('view');
    if (!view || view.hidden) return;
    const all = [...live.progress.values()];
    const kept = new Set();
    const rowBar = (selector, name, entries) => {
      const row = view.querySelector(`${selector} tr[data-name="${CSS.escape(name)}"]`);
      const p = sum(entries);
      if (!row || !p) return;
      const cell = row.querySelector('td:nth-last-child(2)') || row.lastElementChild;
      bar(cell, p, name);
      kept.add(cell.querySelector(':scope > .live-progress'));
    };
    const jobNames = new Set(all.map((p) => p.name));
    for (const name of jobNames) rowBar('table.jobs', name, all.filter((p) => p.name === name));
    const chainNames = new Set(all.filter((p) => p.chain).map((p) => p.chain));
    for (const name of chainNames) rowBar('table.chains', name, all.filter((p) => p.chain === name));

    const match = location.hash.match(/^#\/?activity\/([^/?]+)/);
    const detail = view.querySelector('.execution-detail');
    if (match && detail) {
      const id = decodeURIComponent(match[1]);
      const own = all.filter((e) => e.executionId === id);
      const p = sum(own.length ? own : all.filter((e) => e.parentId === id));
      if (p) {
        bar(detail, p, id, detail.querySelector(':scope > .counts'));
        kept.add(detail.querySelector(':scope > .live-progress'));
        updateReadTile(detail, p, own.length > 0);
      }
    }
    clearBars(view, kept);
  }

  // ------------------------------------------------------------------ start

  // Called once by app.js: `refresh` re-renders the current view.
  function start(refresh) {
    live.refresh = refresh;
    live.status = document.createElement('span');
    live.status.id = 'live-status';
    live.status.className = 'live-status muted';
    live.status.setAttribute('role', 'status');
    const right = document.querySelector('.topbar-right');
    if (right) right.prepend(live.status);
    const view = document.getElementById('view');
    if (view) new MutationObserver(() => { if (live.progress.size) decorate(); })
      .observe(view, { childList: true });
    // Signing out (app.js forgets the token) ends the stream too.
    setInterval(() => {
      if (live.source && !sessionStorage.getItem(TOKEN_KEY)) {
        live.source.close();
        live.source = null;
        live.connectedBefore = false;
        setStatus('', 'off');
        connect();
      }
    }, 1000);
    connect();
  }

  window.sfsyncLive = { start };
})();
