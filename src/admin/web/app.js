// sfsync admin page: a single-page UI over the daemon's admin API (/api/*). Plain JavaScript, no
// build step. The bearer token is asked for once and kept in sessionStorage (this tab only); every
// API call sends it. Data is only ever inserted as text (never as HTML). Times are shown in the
// browser's time zone; the UTC value is in each cell's tooltip.
'use strict';

(() => {
  const TOKEN_KEY = 'sfsync.adminToken';
  const STATUSES = ['Success', 'Partial Success', 'Failed', 'Deferred', 'Skipped', 'Running'];
  const PAGE_SIZE = 25;

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    catalog: null, // {connections, jobs, chains} for the filter lists
    activityPages: [''], // cursors of the activity pages visited, '' = first
    activityPage: 0,
    activityKey: '', // the filter the pages above belong to
    updatesPages: [''],
    updatesPage: 0,
    renderId: 0, // guards against an older render finishing after a newer one
  };

  class AuthError extends Error {}

  // ---------------------------------------------------------------- DOM helpers

  // el('td', {className: 'num', title: 'x'}, 'text', otherNode, ...)
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const $ = (selector) => document.querySelector(selector);

  function notify(message, kind = 'ok') {
    const box = $('#notice');
    box.textContent = message;
    box.className = `notice notice-${kind}`;
    box.hidden = !message;
  }

  // ---------------------------------------------------------------- formatting

  const pad = (n, width = 2) => String(n).padStart(width, '0');

  // "2026-03-08 03:00:01" in the browser's time zone.
  function localTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function timeCell(iso, extraClass) {
    return el('td', { className: `time ${extraClass || ''}`.trim(), title: iso ? `${iso} (UTC)` : null },
      iso ? el('time', { datetime: iso }, localTime(iso)) : '—');
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 1000) return `${ms} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1).replace(/\.?0+$/, '')} s`;
    const totalSeconds = Math.round(s);
    if (totalSeconds >= 86400) {
      return `${Math.floor(totalSeconds / 86400)} d ${Math.floor((totalSeconds % 86400) / 3600)} h`;
    }
    const h = Math.floor(totalSeconds / 3600);
    const m = Math.floor((totalSeconds % 3600) / 60);
    const sec = totalSeconds % 60;
    return h > 0 ? `${h} h ${pad(m)} min` : `${m} min ${pad(sec)} s`;
  }

  function runningFor(startIso) {
    const start = new Date(startIso).getTime();
    return Number.isNaN(start) ? 'running' : `running ${duration(Math.max(0, Date.now() - start))}`;
  }

  const number = (n) => (typeof n === 'number' ? n.toLocaleString() : '');

  function statusClass(status) {
    return {
      Success: 'success',
      'Partial Success': 'partial',
      Failed: 'failed',
      Deferred: 'deferred',
      Skipped: 'skipped',
      Running: 'running',
    }[status] || 'unknown';
  }

  function statusBadge(status) {
    if (!status) return el('span', { className: 'muted' }, 'never run');
    return el('span', { className: `badge status-${statusClass(status)}` }, status);
  }

  function flag(text, kind) {
    return el('span', { className: `badge flag-${kind}` }, text);
  }

  // ---------------------------------------------------------------- API

  async function api(path, options = {}) {
    const token = state.token;
    const response = await fetch(path, {
      ...options,
      cache: 'no-store',
      headers: { ...options.headers, Accept: 'application/json', Authorization: `Bearer ${token}` },
    });
    if (response.status === 401) {
      // Several requests may fail with the same bad token (Promise.all): sign out once only, so a
      // late 401 cannot wipe a token the admin is already typing again.
      if (token === state.token) signOut('The token was not accepted. Enter a valid admin token.');
      throw new AuthError('unauthorised');
    }
    return response;
  }

  async function apiJson(path, options) {
    const response = await api(path, options);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const error = new Error((body && body.error) || `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // Downloads need the bearer token, so a plain link cannot do: fetch the file with the token and
  // save the bytes through a Blob and an object URL.
  async function download(url, fallbackName) {
    try {
      const response = await api(url);
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new Error((body && body.error) || `HTTP ${response.status}`);
      }
      const blob = await response.blob();
      const disposition = response.headers.get('Content-Disposition') || '';
      const match = /filename="([^"]+)"/.exec(disposition);
      const href = URL.createObjectURL(blob);
      const link = el('a', { href, download: match ? match[1] : fallbackName, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60000);
    } catch (e) {
      if (!(e instanceof AuthError)) notify(`Download failed: ${e.message}`, 'error');
    }
  }

  function fileLink(file, label, className) {
    if (!file) return null;
    if (!file.available) {
      return el('span', { className: 'muted file-gone', title: `${file.name} no longer exists` },
        label);
    }
    return el('a', {
      href: file.url,
      className: `file-link ${className}`,
      title: `Download ${file.name}`,
      onclick: (event) => {
        event.preventDefault();
        event.stopPropagation();
        download(file.url, file.name);
      },
    }, label);
  }

  async function control(kind, name, action) {
    if (action === 'disconnect' &&
        !window.confirm(`Disconnect ${name}? Its jobs stop running until it is reconnected.`)) {
      return;
    }
    const family = { job: 'jobs', chain: 'chains', connection: 'connections' }[kind];
    try {
      const body = await apiJson(
        `/api/${family}/${encodeURIComponent(name)}/${action}`, { method: 'POST' });
      notify(`${name}: ${body.message}`, 'ok');
      state.catalog = null;
      route();
    } catch (e) {
      if (!(e instanceof AuthError)) notify(`${name}: ${e.message}`, 'error');
    }
  }

  function actionButton(kind, name, action, label, extraClass) {
    return el('button', {
      type: 'button',
      className: `small ${extraClass || ''}`.trim(),
      dataset: { action, name, requires: /connect$/.test(action) ? 'admin' : 'operator' }, // roles
      onclick: () => control(kind, name, action),
    }, label);
  }

  async function catalog() {
    if (!state.catalog) {
      const [connections, jobs, chains] = await Promise.all([
        apiJson('/api/connections'), apiJson('/api/jobs'), apiJson('/api/chains'),
      ]);
      state.catalog = {
        connections: connections.connections, jobs: jobs.jobs, chains: chains.chains,
      };
    }
    return state.catalog;
  }

  // ---------------------------------------------------------------- sign-in

  function showLogin(message) {
    $('#view').hidden = true;
    $('#login').hidden = false;
    $('#sign-out').hidden = true;
    const error = $('#login-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('#token-input').value = '';
    $('#token-input').focus();
  }

  function signOut(message) {
    state.token = '';
    state.catalog = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(message);
  }

  async function signIn(event) {
    event.preventDefault();
    state.token = $('#token-input').value.trim();
    if (!state.token) return;
    try {
      await catalog();
    } catch (e) {
      if (!(e instanceof AuthError)) showLogin(`Cannot reach the daemon: ${e.message}`);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, state.token);
    notify('');
    route();
  }

  // ---------------------------------------------------------------- routing

  function parseHash() {
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, query] = hash.split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    return { parts, params: new URLSearchParams(query || '') };
  }

  async function route() {
    if (!state.token) {
      showLogin();
      return;
    }
    $('#login').hidden = true;
    $('#sign-out').hidden = false;
    const view = $('#view');
    view.hidden = false;
    if (window.sfsyncConnections) window.sfsyncConnections.session(apiJson, state.token); // roles
    const { parts, params } = parseHash();
    const name = parts[0] || 'overview';
    for (const link of document.querySelectorAll('.tabs a')) {
      link.classList.toggle('active', link.dataset.view === name);
    }
    const renderId = ++state.renderId;
    let content;
    try {
      if (name === 'activity' && parts[1]) content = await renderExecution(parts[1]);
      else if (name === 'activity') content = await renderActivity(params);
      else if (name === 'updates') content = await renderUpdates();
      else if (name === 'history') content = await window.sfsyncHistory.render({ apiJson, el, parts });
      else if (name === 'connections' && window.sfsyncConnections) { // connections.js (issue 17)
        content = await window.sfsyncConnections.render({ apiJson, el, notify, AuthError, localTime, params, rerender: route });
      }
      else if (name === 'realtime' && window.sfsyncRealtime) content = await window.sfsyncRealtime.render({ apiJson }); // realtime.js (issue 18)
      else if (name === 'cluster' && window.sfsyncCluster) { // cluster.js (issue 12)
        content = await window.sfsyncCluster.render({ apiJson, el, localTime });
      }
      else if (name === 'dry-run' && parts[1] && window.sfsyncDryRun) {
        content = window.sfsyncDryRun.render(parts[1], { el, api, AuthError }); // dryrun.js
      }
      else if (name === 'edit' && window.sfsyncEditor) { // editor.js (issue 17)
        content = await window.sfsyncEditor.render(parts, { el, api, apiJson, AuthError, notify });
      }
      else content = await renderOverview();
    } catch (e) {
      if (e instanceof AuthError) return;
      content = el('div', { className: 'card' }, el('p', { className: 'error-text' }, e.message));
    }
    if (renderId !== state.renderId) return; // a newer navigation won
    view.replaceChildren(content);
    view.dataset.view = name;
  }

  // ---------------------------------------------------------------- overview

  function activityLink(label, params) {
    return el('a', { href: `#/activity?${new URLSearchParams(params)}` }, label);
  }

  function table(className, headers, rows, emptyText) {
    return el('div', { className: 'table-wrap' },
      el('table', { className },
        el('thead', {}, el('tr', {}, headers.map((h) =>
          el('th', { className: h.num ? 'num' : null, scope: 'col' }, h.label || h)))),
        el('tbody', {}, rows.length ? rows :
          el('tr', {}, el('td', { colspan: headers.length, className: 'empty' }, emptyText)))));
  }

  function stateFlags(entry) {
    return [
      entry.running ? flag('running', 'running') : null,
      entry.paused ? flag('paused', 'paused') : null,
      entry.disconnected ? flag('disconnected', 'disconnected') : null,
      // A metadata refresh found a mapped field gone or retyped: runs fail until it is fixed.
      entry.invalid ? el('span', { className: 'badge flag-disconnected',
        title: `${entry.invalidReason}: ${entry.invalidMessage}` }, 'invalid') : null,
      !entry.running && !entry.paused && !entry.disconnected ? flag('active', 'active') : null,
    ];
  }

  async function renderOverview() {
    state.catalog = null;
    const { connections, jobs, chains } = await catalog();

    const connectionRows = connections.map((c) => el('tr', { dataset: { name: c.name } },
      el('th', { scope: 'row' }, activityLink(c.name, { connection: c.name })),
      el('td', {}, c.members.join(', ') || '—'),
      el('td', {}, stateFlags(c)),
      el('td', { className: 'actions' },
        c.paused ? actionButton('connection', c.name, 'resume', 'Resume')
          : actionButton('connection', c.name, 'pause', 'Pause'),
        c.disconnected ? actionButton('connection', c.name, 'reconnect', 'Reconnect')
          : actionButton('connection', c.name, 'disconnect', 'Disconnect', 'danger'))));

    const jobRows = jobs.map((j) => el('tr', { dataset: { name: j.name } },
      el('th', { scope: 'row' }, activityLink(j.name, { job: j.name })),
      el('td', {}, j.connection || '—'),
      el('td', {}, j.chain ? activityLink(j.chain, { chain: j.chain }) : '—'),
      el('td', {}, j.schedule || (j.chain ? 'with its chain' : 'not scheduled')),
      el('td', {}, statusBadge(j.lastStatus)),
      timeCell(j.lastRun),
      timeCell(j.nextRun),
      el('td', {}, stateFlags(j)),
      el('td', { className: 'actions' },
        actionButton('job', j.name, 'run', 'Run now', 'primary'),
        el('a', { href: `#/dry-run/${encodeURIComponent(j.name)}`, className: 'small dryrun-link', 'data-requires': 'operator' },
          'Dry run'),
        j.paused ? actionButton('job', j.name, 'resume', 'Resume')
          : actionButton('job', j.name, 'pause', 'Pause'))));

    const chainRows = chains.map((c) => el('tr', { dataset: { name: c.name } },
      el('th', { scope: 'row' }, activityLink(c.name, { chain: c.name })),
      el('td', {}, c.members.join(' → ') || '—'),
      el('td', {}, c.schedule || 'not scheduled'),
      el('td', {}, statusBadge(c.lastStatus)),
      timeCell(c.lastRun),
      timeCell(c.nextRun),
      el('td', {}, stateFlags(c)),
      el('td', { className: 'actions' },
        actionButton('chain', c.name, 'run', 'Run now', 'primary'),
        c.paused ? actionButton('chain', c.name, 'resume', 'Resume')
          : actionButton('chain', c.name, 'pause', 'Pause'))));

    return el('div', { className: 'overview' },
      el('section', { className: 'card' },
        el('h2', {}, 'Connections'),
        table('entries connections', ['Connection', 'Jobs', 'State', 'Actions'],
          connectionRows, 'No connections configured.')),
      el('section', { className: 'card' },
        el('h2', {}, 'Jobs'),
        table('entries jobs', ['Job', 'Connection', 'Chain', 'Schedule', 'Last status',
          'Last run', 'Next run', 'State', 'Actions'], jobRows, 'No jobs configured.')),
      el('section', { className: 'card' },
        el('h2', {}, 'Chains'),
        table('entries chains', ['Chain', 'Jobs', 'Schedule', 'Last status', 'Last run',
          'Next run', 'State', 'Actions'], chainRows, 'No chains configured.')),
      window.sfsyncHistory.overviewCard({ apiJson, el, jobs, chains }));
  }

  // ---------------------------------------------------------------- activity

  const FILTERS = ['status', 'job', 'chain', 'connection', 'since', 'until'];

  // Local calendar day -> the UTC instant of its midnight (ISO), for since/until.
  function localMidnightIso(day, plusDays = 0) {
    const [y, m, d] = day.split('-').map(Number);
    return new Date(y, m - 1, d + plusDays).toISOString();
  }

  function select(id, label, values, current) {
    return el('label', { className: 'filter' }, el('span', {}, label),
      el('select', { id, name: id.replace('filter-', '') },
        el('option', { value: '' }, 'All'),
        values.map((v) => el('option', { value: v, selected: v === current }, v))));
  }

  function filterForm(params, cat) {
    const form = el('form', { className: 'filters', id: 'activity-filters' },
      select('filter-status', 'Status', STATUSES, params.get('status') || ''),
      select('filter-job', 'Job', cat.jobs.map((j) => j.name), params.get('job') || ''),
      select('filter-chain', 'Chain', cat.chains.map((c) => c.name), params.get('chain') || ''),
      select('filter-connection', 'Connection', cat.connections.map((c) => c.name),
        params.get('connection') || ''),
      el('label', { className: 'filter' }, el('span', {}, 'From'),
        el('input', { type: 'date', id: 'filter-since', name: 'since', value: params.get('since') || '' })),
      el('label', { className: 'filter' }, el('span', {}, 'To (inclusive)'),
        el('input', { type: 'date', id: 'filter-until', name: 'until', value: params.get('until') || '' })),
      el('button', {
        type: 'button',
        className: 'link-button',
        onclick: () => { location.hash = '#/activity'; },
      }, 'Clear filters'));
    form.addEventListener('change', () => {
      const next = new URLSearchParams();
      for (const name of FILTERS) {
        const value = form.elements[name].value;
        if (value) next.set(name, value);
      }
      location.hash = `#/activity${next.toString() ? `?${next}` : ''}`;
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    return form;
  }

  function jobOrChainCell(r) {
    const link = el('a', { href: `#/activity/${encodeURIComponent(r.executionId)}` }, r.name);
    if (r.kind === 'chain') {
      return el('td', { className: 'name-cell' }, link, el('span', { className: 'tag' }, 'chain'));
    }
    return el('td', { className: 'name-cell' }, link,
      r.chain ? el('span', { className: 'muted in-chain' }, `in ${r.chain}`) : null);
  }

  // The end time; only the clock time when it is on the start's (local) day.
  function endCell(r) {
    if (!r.endTime) return el('td', { className: 'time' }, '—');
    const start = localTime(r.startTime);
    const end = localTime(r.endTime);
    const sameDay = start.slice(0, 10) === end.slice(0, 10);
    return el('td', { className: 'time end', title: `${r.endTime} (UTC)` },
      el('time', { datetime: r.endTime }, sameDay ? end.slice(11) : end));
  }

  function executionRow(r) {
    return el('tr', {
      className: `execution status-row-${statusClass(r.status)}`,
      dataset: { executionId: r.executionId, status: r.status },
      onclick: (event) => {
        if (event.target.closest('a, button')) return;
        location.hash = `#/activity/${encodeURIComponent(r.executionId)}`;
      },
    },
    el('td', { className: 'mono', title: r.executionId },
      el('a', { href: `#/activity/${encodeURIComponent(r.executionId)}` }, `…${r.executionId.slice(-8)}`)),
    jobOrChainCell(r),
    el('td', {}, r.connection || '—'),
    el('td', {}, r.trigger),
    el('td', { className: 'status' }, statusBadge(r.status)),
    timeCell(r.startTime, 'start'),
    endCell(r),
    el('td', { className: 'num' }, r.durationMs === null ? runningFor(r.startTime) : duration(r.durationMs)),
    el('td', { className: 'num' }, number(r.recordsRead)),
    el('td', { className: 'num' }, number(r.created)),
    el('td', { className: 'num' }, number(r.updated)),
    el('td', { className: 'num' }, number(r.skipped)),
    el('td', { className: `num ${r.failed > 0 ? 'failed-count' : ''}`.trim() }, number(r.failed)),
    el('td', { className: 'num' }, number(r.apiCalls)),
    el('td', { className: 'files' },
      fileLink(r.errorFile, 'errors', 'download-errors'),
      r.errorFile && r.successFile ? ' ' : null,
      fileLink(r.successFile, 'success', 'download-success')));
  }

  const EXECUTION_HEADERS = ['Execution', 'Job / chain', 'Connection', 'Trigger', 'Status',
    'Start', 'End', { label: 'Duration', num: true }, { label: 'Read', num: true },
    { label: 'Created', num: true }, { label: 'Updated', num: true },
    { label: 'Skipped', num: true }, { label: 'Failed', num: true },
    { label: 'API calls', num: true }, 'Files'];

  async function renderActivity(params) {
    const cat = await catalog();
    const query = new URLSearchParams();
    for (const name of ['status', 'job', 'chain', 'connection']) {
      if (params.get(name)) query.set(name, params.get(name));
    }
    if (params.get('since')) query.set('since', localMidnightIso(params.get('since')));
    if (params.get('until')) query.set('until', localMidnightIso(params.get('until'), 1));
    query.set('limit', String(PAGE_SIZE));
    const key = query.toString();
    if (key !== state.activityKey) {
      state.activityKey = key;
      state.activityPages = [''];
      state.activityPage = 0;
    }
    const cursor = state.activityPages[state.activityPage];
    if (cursor) query.set('cursor', cursor);
    const page = await apiJson(`/api/activity?${query}`);
    if (page.nextCursor) state.activityPages[state.activityPage + 1] = page.nextCursor;
    else state.activityPages.length = state.activityPage + 1;

    const pager = el('div', { className: 'pager' },
      el('button', {
        type: 'button',
        id: 'newer-page',
        disabled: state.activityPage === 0,
        onclick: () => { state.activityPage -= 1; route(); },
      }, '← Newer'),
      el('span', { className: 'muted' }, `Page ${state.activityPage + 1}`),
      el('button', {
        type: 'button',
        id: 'older-page',
        disabled: !page.nextCursor,
        onclick: () => { state.activityPage += 1; route(); },
      }, 'Older →'),
      el('button', { type: 'button', className: 'link-button', onclick: () => route() }, 'Refresh'));

    return el('section', { className: 'card activity' },
      el('h2', {}, 'Execution activity'),
      filterForm(params, cat),
      table('executions', EXECUTION_HEADERS, page.executions.map(executionRow),
        'No executions match these filters.'),
      pager);
  }

  // ---------------------------------------------------------------- one execution

  function field(label, value) {
    return [el('dt', {}, label), el('dd', {}, value === '' || value === null ? '—' : value)];
  }

  function timeValue(iso) {
    return iso ? el('time', { datetime: iso, title: `${iso} (UTC)` }, localTime(iso)) : '—';
  }

  // How a job run read Salesforce (issue 10): mode and API, where its cursor started and ended,
  // and the org's API allowance left after it.
  function replicationFacts(r) {
    const mono = (text) => el('span', { className: 'mono' }, text);
    const mode = [r.mode, r.api].filter(Boolean).join(' via ');
    return [
      field('Mode', mode || '—'),
      field('Cursor at start', r.cursor ? mono(r.cursor) : (r.mode === 'incremental' ? '(start)'
        : r.mode === 'rerun' ? 'not used (re-run of failed records)' : 'full run')),
      field('Cursor at end', r.cursorEnd ? mono(r.cursorEnd) : '(not advanced)'),
      field('API calls remaining', typeof r.apiRemaining === 'number' ? number(r.apiRemaining) : 'unknown'),
      r.status === 'Deferred'
        ? field('Deferred', 'The API budget ran out; the next scheduled run resumes from the checkpoint.')
        : [],
    ].flat(); // el() flattens one level: [dt, dd, dt, dd, ...]
  }

  async function renderExecution(id) {
    const detail = await apiJson(`/api/activity/${encodeURIComponent(id)}`);
    const r = detail.execution;
    const back = el('a', { href: '#/activity', className: 'back' }, '← All activity');
    const files = el('div', { className: 'file-buttons' },
      r.errorFile ? fileLink(r.errorFile, `Download error file (${r.errorFile.name})`, 'download-errors button')
        : el('span', { className: 'muted' }, r.kind === 'chain'
          ? 'A chain run has no error file of its own: see its job runs.' : 'No error file: no record failed.'),
      r.successFile ? fileLink(r.successFile, `Download success file (${r.successFile.name})`, 'download-success button')
        : null);

    const counts = el('div', { className: 'counts' },
      [['Read', r.recordsRead], ['Created', r.created], ['Updated', r.updated],
        ['Skipped', r.skipped], ['Failed', r.failed], ['Deleted', r.deleted || 0],
        ['API calls', r.apiCalls], ['Warnings', r.warnings]].map(([label, value]) =>
        el('div', { className: `count ${label === 'Failed' && value > 0 ? 'count-failed' : ''}`.trim() },
          el('div', { className: 'count-value' }, number(value)),
          el('div', { className: 'count-label' }, label))));

    const facts = el('dl', { className: 'facts' },
      field('Execution id', el('span', { className: 'mono' }, r.executionId)),
      field(r.kind === 'chain' ? 'Chain' : 'Job', r.name),
      r.kind === 'job' && r.chain ? field('Chain', r.parentId
        ? el('a', { href: `#/activity/${encodeURIComponent(r.parentId)}` }, r.chain) : r.chain) : [],
      field('Connection', r.connection || ''),
      field('Trigger', r.trigger),
      field('Status', statusBadge(r.status)),
      field('Start', timeValue(r.startTime)),
      field('End', timeValue(r.endTime)),
      field('Duration', r.durationMs === null ? runningFor(r.startTime) : duration(r.durationMs)),
      field('Attempts', String(r.attempts)),
      field('Retried Salesforce calls', String(r.retries || 0)),
      r.outbound && (r.outbound.sent || r.outbound.conflicts)
        ? field('Written back to Salesforce', `sent ${number(r.outbound.sent)}, succeeded ` +
          `${number(r.outbound.succeeded)}, failed ${number(r.outbound.failed)}, conflicts ` +
          `${number(r.outbound.conflicts)}`) : [],
      r.nextAttempt ? field('Next attempt', timeValue(r.nextAttempt)) : [],
      r.kind === 'job' ? replicationFacts(r) : [],
      field('Message', r.message || ''));

    const parts = [back,
      el('section', { className: 'card execution-detail' },
        el('h2', {}, `${r.kind === 'chain' ? 'Chain' : 'Job'} run: ${r.name} `, statusBadge(r.status)),
        counts, facts, files)];
    if (window.sfsyncTriage) parts.push(window.sfsyncTriage.render(r, detail.children, { el, apiJson, fileLink, notify, AuthError }));
    if ((r.targets || []).length > 1) {
      parts.push(el('section', { className: 'card' },
        el('h2', {}, 'Per target'),
        table('executions targets', ['Target', 'Created', 'Updated', 'Skipped', 'Failed'],
          r.targets.map((t) => el('tr', {}, el('td', {}, t.target),
            ...[t.created, t.updated, t.skipped, t.failed].map((v) => el('td', {}, number(v))))),
          '')));
    }
    if (detail.children.length) {
      parts.push(el('section', { className: 'card' },
        el('h2', {}, 'Job runs in this chain execution'),
        table('executions children', EXECUTION_HEADERS, detail.children.map(executionRow), '')));
    }
    return el('div', {}, parts);
  }

  // ---------------------------------------------------------------- update activity

  function diffBlock(diff) {
    const lines = (diff || '').replace(/\n$/, '').split('\n').map((line) => el('span', {
      className: line.startsWith('+') && !line.startsWith('+++') ? 'diff-add'
        : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : 'diff-ctx',
    }, line || ' '));
    return el('pre', { className: 'diff' }, lines);
  }

  async function renderUpdates() {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    const cursor = state.updatesPages[state.updatesPage];
    if (cursor) query.set('cursor', cursor);
    const page = await apiJson(`/api/updates?${query}`);
    if (page.nextCursor) state.updatesPages[state.updatesPage + 1] = page.nextCursor;

    const rows = page.updates.map((u) => el('tr', { className: 'update', dataset: { id: u.id } },
      timeCell(u.time),
      el('td', {}, u.actor),
      el('td', {}, el('span', { className: 'tag' }, u.kind), ' ', u.name || '(settings)'),
      el('td', {}, el('span', { className: `badge action-${u.action}` }, u.action)),
      el('td', { className: 'diff-cell' },
        el('details', { open: page.updates.length <= 5 },
          el('summary', {}, window.sfsyncHistory.diffSummary(u) || u.diff || 'no lines changed'),
          diffBlock(u.diff)))));

    return el('section', { className: 'card' },
      el('h2', {}, 'Update activity'),
      el('p', { className: 'muted' }, 'Every configuration change: what changed, when and by whom.'),
      table('updates', ['When', 'Who', 'What', 'Action', 'Change'], rows,
        'No configuration changes recorded.'),
      el('div', { className: 'pager' },
        el('button', {
          type: 'button',
          disabled: state.updatesPage === 0,
          onclick: () => { state.updatesPage -= 1; route(); },
        }, '← Newer'),
        el('span', { className: 'muted' }, `Page ${state.updatesPage + 1}`),
        el('button', {
          type: 'button',
          disabled: !page.nextCursor,
          onclick: () => { state.updatesPage += 1; route(); },
        }, 'Older →')));
  }

  // ---------------------------------------------------------------- start

  async function showHealth() {
    try {
      const response = await fetch('/health', { cache: 'no-store' });
      const health = await response.json();
      $('#health').textContent = health.startedAt
        ? `up since ${localTime(health.startedAt)}` : `status ${health.status || 'unknown'}`;
    } catch (e) {
      $('#health').textContent = 'daemon unreachable';
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('#timezone').textContent = `times in ${Intl.DateTimeFormat().resolvedOptions().timeZone}`;
    $('#login-form').addEventListener('submit', signIn);
    $('#sign-out').addEventListener('click', () => signOut());
    window.addEventListener('hashchange', () => {
      notify('');
      if (!location.hash.startsWith('#/updates')) {
        state.updatesPages = [''];
        state.updatesPage = 0;
      }
      route();
    });
    showHealth();
    route();
    if (window.sfsyncLive) window.sfsyncLive.start(route); // live.js: events, progress bars
  });
})();
