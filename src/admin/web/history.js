// sfsync admin page: run history (issue 16). Draws, as inline SVG built here (no libraries, no
// network fetches beyond the daemon's own API, so it works offline and on air-gapped servers), the
// last runs of each job and chain from GET /api/{jobs|chains}/{name}/history?limit=N:
//   - overviewCard(): a "Run history" card on the overview with one small chart (duration bars
//     coloured by status) and the success rate per job and chain, each linking to
//   - render(): the #/history/{job|chain}/{name} view - duration, records and failures charts of the
//     last 30 runs, the success rate, and the runs as a table linking to each execution.
// Also diffSummary() for the update activity ("1 removed, 1 added"). app.js calls these through
// window.sfsyncHistory (one call per slot); data is only ever inserted as text.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const OVERVIEW_RUNS = 20;
  const VIEW_RUNS = 30;

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function statusKey(status) {
    return {
      Success: 'success', 'Partial Success': 'partial', Failed: 'failed', Deferred: 'deferred',
      Skipped: 'skipped', Running: 'running', Retrying: 'running',
    }[status] || 'skipped';
  }

  function seconds(ms) {
    if (ms === null || ms === undefined) return 'still running';
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  }

  function rateText(history) {
    if (history.successRate === null || history.successRate === undefined) return 'no finished runs';
    return `${Math.round(history.successRate * 100)}% success (${history.finished} finished)`;
  }

  // A bar chart of runs (oldest left): value(run) sets the height, every bar has a tooltip.
  function barChart({ runs, value, label, width, height, colour, tip }) {
    const max = Math.max(1, ...runs.map((r) => value(r) || 0));
    const gap = 2;
    const bar = Math.max(2, (width - gap * runs.length) / Math.max(runs.length, 1));
    const chart = svg('svg', {
      class: 'history-chart', viewBox: `0 0 ${width} ${height}`, width, height,
      role: 'img', 'aria-label': label, preserveAspectRatio: 'none',
    }, svg('title', {}, label));
    chart.append(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }));
    runs.forEach((r, i) => {
      const v = value(r) || 0;
      const h = v > 0 ? Math.max(2, (v / max) * (height - 4)) : 1;
      chart.append(svg('rect', {
        x: (i * (bar + gap)).toFixed(1), y: (height - h).toFixed(1), width: bar.toFixed(1),
        height: h.toFixed(1), class: `bar ${colour(r)}`, 'data-execution-id': r.executionId,
      }, svg('title', {}, tip(r))));
    });
    return chart;
  }

  function runTip(r) {
    return `${r.startTime}: ${r.status}, ${seconds(r.durationMs)}, ${r.recordsRead} read, ` +
      `${r.failed} failed`;
  }

  async function fetchHistory(apiJson, kind, name, limit) {
    const family = kind === 'job' ? 'jobs' : 'chains';
    const body = await apiJson(`/api/${family}/${encodeURIComponent(name)}/history?limit=${limit}`);
    body.runs = body.runs.slice().reverse(); // oldest first, for the charts
    return body;
  }

  function historyHref(kind, name) {
    return `#/history/${kind}/${encodeURIComponent(name)}`;
  }

  // One row of the overview card; filled when its history arrives.
  async function fillRow(row, apiJson, el, kind, name) {
    try {
      const h = await fetchHistory(apiJson, kind, name, OVERVIEW_RUNS);
      const chart = h.runs.length
        ? barChart({
          runs: h.runs, value: (r) => r.durationMs, width: 220, height: 36,
          label: `${kind} ${name}: duration of the last ${h.runs.length} runs`,
          colour: (r) => `status-${statusKey(r.status)}`, tip: runTip,
        })
        : el('span', { className: 'muted' }, 'never run');
      row.querySelector('.history-spark').replaceChildren(chart);
      row.querySelector('.history-rate').textContent = rateText(h);
    } catch (e) {
      row.querySelector('.history-rate').textContent = `history unavailable: ${e.message}`;
    }
  }

  function overviewCard({ apiJson, el, jobs, chains }) {
    const entries = [...chains.map((c) => ['chain', c.name]), ...jobs.map((j) => ['job', j.name])];
    const rows = entries.map(([kind, name]) => {
      const row = el('li', { className: 'history-row', dataset: { kind, name } },
        el('a', { href: historyHref(kind, name), className: 'history-name' },
          el('span', { className: 'tag' }, kind), ` ${name}`),
        el('span', { className: 'history-spark' }, el('span', { className: 'muted' }, 'loading…')),
        el('span', { className: 'history-rate muted' }, ''));
      fillRow(row, apiJson, el, kind, name);
      return row;
    });
    return el('section', { className: 'card history-card', id: 'history-card' },
      el('h2', {}, 'Run history'),
      rows.length ? el('ul', { className: 'history-list' }, rows)
        : el('p', { className: 'muted' }, 'Nothing configured.'));
  }

  function chartFigure(el, title, chart) {
    return el('figure', { className: 'history-figure' }, el('figcaption', {}, title), chart);
  }

  async function render({ apiJson, el, parts }) {
    const kind = parts[1] === 'chain' ? 'chain' : 'job';
    const name = parts[2] || '';
    const h = await fetchHistory(apiJson, kind, name, VIEW_RUNS);
    const width = 720;
    const charts = h.runs.length ? [
      chartFigure(el, 'Duration', barChart({
        runs: h.runs, value: (r) => r.durationMs, width, height: 120,
        label: `Duration of the last ${h.runs.length} runs`,
        colour: (r) => `status-${statusKey(r.status)}`, tip: runTip,
      })),
      chartFigure(el, 'Records read', barChart({
        runs: h.runs, value: (r) => r.recordsRead, width, height: 80,
        label: `Records read by the last ${h.runs.length} runs`, colour: () => 'records', tip: runTip,
      })),
      chartFigure(el, 'Failed records', barChart({
        runs: h.runs, value: (r) => r.failed, width, height: 60,
        label: `Failed records of the last ${h.runs.length} runs`, colour: () => 'failures', tip: runTip,
      })),
    ] : [el('p', { className: 'muted' }, 'No runs yet.')];
    const rows = h.runs.slice().reverse().map((r) => el('tr', {},
      el('td', {}, el('a', { href: `#/activity/${encodeURIComponent(r.executionId)}` },
        r.startTime.replace('T', ' ').slice(0, 19))),
      el('td', {}, el('span', { className: `badge status-${statusKey(r.status)}` }, r.status)),
      el('td', { className: 'num' }, seconds(r.durationMs)),
      el('td', { className: 'num' }, r.recordsRead.toLocaleString()),
      el('td', { className: `num ${r.failed > 0 ? 'failed-count' : ''}`.trim() },
        r.failed.toLocaleString())));
    return el('div', { className: 'history-view' },
      el('a', { href: '#/', className: 'back' }, '← Overview'),
      el('section', { className: 'card' },
        el('h1', {}, `${kind === 'job' ? 'Job' : 'Chain'} ${name}: run history`),
        el('p', { className: 'history-rate-big' }, rateText(h),
          ` over the last ${h.runs.length} run(s)`),
        el('div', { className: 'history-charts' }, charts)),
      el('section', { className: 'card' },
        el('h2', {}, 'Runs (newest first, UTC)'),
        el('div', { className: 'table-wrap' },
          el('table', { className: 'history-runs' },
            el('thead', {}, el('tr', {}, ['Start', 'Status', 'Duration', 'Read', 'Failed'].map(
              (t, i) => el('th', { scope: 'col', className: i >= 2 ? 'num' : null }, t)))),
            el('tbody', {}, rows)))));
  }

  // "2 removed, 3 added" from an update row's line counts (the API counts "- " / "+ " lines, not
  // the diff's line breaks); "" when the row changed no lines (an admin action).
  function diffSummary(u) {
    const removed = u.linesRemoved || 0;
    const added = u.linesAdded || 0;
    if (!removed && !added) return '';
    return `${removed} line(s) removed, ${added} added`;
  }

  window.sfsyncHistory = { overviewCard, render, diffSummary };
})();
