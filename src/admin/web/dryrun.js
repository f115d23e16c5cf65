// sfsync admin page: the dry-run view (issue 16), #/dry-run/<job>. app.js routes here and passes
// its helpers; this file only builds the view. "Start dry run" posts
// /api/jobs/<job>/dry-run[?maxRecords=N] - the daemon extracts, maps, resolves and compares with
// the store, writing nothing - and shows the counts, per-column changed counts, the field-level
// diff sample (old -> new) and the rejected records, with a download of the JSON report. Data is
// only ever inserted as text.
'use strict';

window.sfsyncDryRun = (() => {
  const COUNTS = [
    ['wouldCreate', 'Would create'],
    ['wouldUpdate', 'Would update'],
    ['unchanged', 'Unchanged'],
    ['skipped', 'Skipped'],
    ['rejected', 'Rejected'],
  ];

  function valueText(el, value) {
    return value === null || value === undefined
      ? el('span', { className: 'dryrun-null' }, 'null')
      : el('span', { className: 'dryrun-value' }, String(value));
  }

  function tableOf(el, className, headers, rows, emptyText) {
    return el('div', { className: 'table-wrap' },
      el('table', { className },
        el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows.length ? rows
          : el('tr', {}, el('td', { colspan: headers.length, className: 'empty' }, emptyText)))));
  }

  function tiles(el, report) {
    return el('div', { className: 'dryrun-tiles' }, COUNTS.map(([key, label]) =>
      el('div', { className: `dryrun-tile dryrun-${key}`, dataset: { count: key } },
        el('div', { className: 'dryrun-tile-value' }, String(report[key] ?? 0)),
        el('div', { className: 'dryrun-tile-label' }, label))));
  }

  function targetsTable(el, report) {
    const rows = report.targets.map((t) => el('tr', {},
      el('th', { scope: 'row' }, t.target),
      COUNTS.map(([key]) => el('td', { className: 'num' }, String(t[key] ?? 0))),
      el('td', { className: 'dryrun-columns' },
        Object.entries(t.changedColumns).map(([column, n]) =>
          el('span', { className: 'dryrun-column', dataset: { column } }, `${column}: ${n}`)))));
    return tableOf(el, 'dryrun-targets',
      ['Target', ...COUNTS.map(([, label]) => label), 'Changed columns'], rows, 'No targets.');
  }

  function samplesTable(el, report) {
    const rows = [];
    for (const s of report.samples) {
      for (const c of s.changes) {
        rows.push(el('tr', { dataset: { action: s.action } },
          el('td', { className: 'mono' }, s.recordId || s.gsid),
          el('td', {}, s.target),
          el('td', {}, s.action),
          el('td', {}, c.column),
          el('td', { className: 'dryrun-old' }, valueText(el, c.old)),
          el('td', { className: 'dryrun-new' }, valueText(el, c.new))));
      }
    }
    return tableOf(el, 'dryrun-samples', ['Record', 'Target', 'Action', 'Column', 'Old', 'New'],
      rows, 'No record would change.');
  }

  function rejectionsTable(el, report) {
    const rows = report.rejections.map((r) => el('tr', {},
      el('td', { className: 'mono' }, r.recordId),
      el('td', {}, r.target),
      el('td', { className: 'mono' }, r.reasonCode),
      el('td', {}, r.message)));
    return tableOf(el, 'dryrun-rejections', ['Record', 'Target', 'Reason', 'Message'], rows,
      'No record would be rejected.');
  }

  function downloadButton(el, job, text) {
    return el('button', {
      type: 'button',
      className: 'small dryrun-download',
      onclick: () => {
        const href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const slug = job.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'job';
        const link = el('a', { href, download: `dry-run-${slug}.json`, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60000);
      },
    }, 'Download JSON');
  }

  function result(el, job, report, text) {
    const reasons = Object.entries(report.rejectedByReason || {})
      .map(([code, n]) => `${code}: ${n}`).join(', ');
    return el('div', { className: 'dryrun-result' },
      el('p', { className: 'dryrun-summary' },
        `${report.recordsRead} record(s) read${report.truncated
          ? ` (stopped at ${report.maxRecords}; the source has more)` : ''}; nothing was written.`,
        ' ', downloadButton(el, job, text)),
      tiles(el, report),
      reasons ? el('p', { className: 'muted' }, `Rejected by reason: ${reasons}`) : null,
      el('h3', {}, 'Per target'),
      targetsTable(el, report),
      el('h3', {}, `Changes (first ${report.samples.length} record(s))`),
      samplesTable(el, report),
      el('h3', {}, 'Rejected records'),
      rejectionsTable(el, report),
      (report.notes || []).map((n) => el('p', { className: 'muted dryrun-note' }, n)));
  }

  async function start(ctx, job, form, output) {
    const { el, api, AuthError } = ctx;
    const max = form.querySelector('input').value.trim();
    const button = form.querySelector('button');
    button.disabled = true;
    output.replaceChildren(el('p', { className: 'muted', role: 'status' }, 'Dry run in progress…'));
    try {
      const query = max ? `?maxRecords=${encodeURIComponent(max)}` : '';
      const response = await api(`/api/jobs/${encodeURIComponent(job)}/dry-run${query}`,
        { method: 'POST' });
      const text = await response.text();
      let body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status}`);
      output.replaceChildren(result(el, job, body, text));
    } catch (e) {
      if (e instanceof AuthError) return;
      output.replaceChildren(el('p', { className: 'error-text dryrun-error', role: 'alert' },
        `Dry run failed: ${e.message}`));
    } finally {
      button.disabled = false;
    }
  }

  // ctx: {el, api, AuthError} from app.js. Returns the view's node.
  function render(job, ctx) {
    const { el } = ctx;
    const output = el('div', { className: 'dryrun-output' });
    const form = el('form', { className: 'dryrun-form' },
      el('label', { for: 'dryrun-max' }, 'Records at most'),
      el('input', { id: 'dryrun-max', type: 'number', min: 1, max: 1000000,
        placeholder: 'job default', inputmode: 'numeric' }),
      el('button', { type: 'submit', className: 'primary', 'data-requires': 'operator' }, 'Start dry run'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      start(ctx, job, form, output);
    });
    return el('section', { className: 'card dryrun' },
      el('h2', {}, `Dry run: ${job}`),
      el('p', { className: 'muted' }, 'Reads the job\'s records from Salesforce, maps them and ' +
        'compares them with the store without writing anything: no target rows, cursor, ' +
        'queue or activity change.'),
      form,
      output);
  }

  return { render };
})();
