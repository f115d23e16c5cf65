// sfsync admin page, triage (issue 16): on an execution page, the error and warnings summaries
// (counts by reason code and by mapping, with sample rows), a paged preview with a reason-code
// filter, the downloads, and "Re-run failed records". app.js calls
// window.sfsyncTriage.render(execution, children, ui) once per execution page and inserts the
// returned node; `ui` lends app.js's helpers ({el, apiJson, fileLink, notify, AuthError}). Data is
// only ever inserted as text.
'use strict';

window.sfsyncTriage = (() => {
  const PREVIEW_ROWS = 20;

  function render(r, children, ui) {
    const { el } = ui;
    const root = el('div', { className: 'triage' });
    if (r.kind === 'chain') {
      root.append(chainFiles(children, ui));
      return root;
    }
    if (r.rerunOf) {
      root.append(el('p', { className: 'triage-link' }, 'Re-run of the failed records of ',
        el('a', { href: `#/activity/${encodeURIComponent(r.rerunOf)}` }, r.rerunOf), '.'));
    }
    if (r.errorFile) root.append(fileSection(r, 'errors', 'Failed records', ui));
    if (r.warningFile) root.append(fileSection(r, 'warnings', 'Warnings', ui));
    return root;
  }

  // A chain has no file of its own: its job runs' files, each with its own triage page.
  function chainFiles(children, ui) {
    const { el } = ui;
    const withFiles = children.filter((c) => c.errorFile || c.warningFile);
    return el('section', { className: 'card triage-chain' },
      el('h2', {}, 'Error files of the job runs'),
      withFiles.length === 0
        ? el('p', { className: 'muted' }, 'No job run of this chain execution has an error or warnings file.')
        : el('ul', {}, withFiles.map((c) => el('li', {},
          el('a', { href: `#/activity/${encodeURIComponent(c.executionId)}` }, c.name), ': ',
          c.errorFile ? `${c.failed} failed record(s)` : null,
          c.errorFile && c.warningFile ? ', ' : null,
          c.warningFile ? `${c.warnings} warning(s)` : null))));
  }

  function fileSection(r, kind, title, ui) {
    const { el } = ui;
    const base = `/api/activity/${encodeURIComponent(r.executionId)}/${kind}`;
    const file = kind === 'errors' ? r.errorFile : r.warningFile;
    const summaryBox = el('div', { className: 'triage-summary' }, el('p', { className: 'muted' }, 'Loading…'));
    const preview = el('div', { className: 'triage-preview' });
    const filter = el('select', { className: `triage-filter triage-filter-${kind}`, 'aria-label': `${title}: reason code` },
      el('option', { value: '' }, 'All reason codes'));
    const actions = el('div', { className: 'triage-actions' },
      ui.fileLink(file, `Download (${file.name})`, `download-${kind} button`));
    if (kind === 'errors' && r.kind === 'job' && r.endTime) {
      actions.append(el('button', {
        type: 'button', className: 'primary triage-rerun', 'data-requires': 'operator',
        onclick: (event) => rerun(r, event.target, ui),
      }, 'Re-run failed records'));
    }
    const section = el('section', { className: `card triage-section triage-${kind}` },
      el('h2', {}, title), actions, summaryBox,
      el('div', { className: 'triage-preview-head' }, el('h3', {}, 'Preview'), filter), preview);
    let offset = 0;
    const load = () => loadPage(base, filter.value, offset, preview, ui, (next) => { offset = next; load(); });
    filter.addEventListener('change', () => { offset = 0; load(); });
    loadSummary(base, summaryBox, filter, ui);
    load();
    return section;
  }

  async function loadSummary(base, box, filter, ui) {
    const { el } = ui;
    try {
      const s = await ui.apiJson(`${base}/summary`);
      box.replaceChildren(
        el('p', {}, `${s.rows} row(s)${s.truncated ? ' (the file is larger than the part read)' : ''}.`),
        el('div', { className: 'triage-groups' },
          groupTable('By reason code', s.byReason, s.header, ui),
          groupTable('By mapping', s.byMapping, s.header, ui)));
      for (const g of s.byReason) filter.append(el('option', { value: g.key }, `${g.key} (${g.count})`));
    } catch (e) {
      if (!(e instanceof ui.AuthError)) box.replaceChildren(el('p', { className: 'error-text' }, e.message));
    }
  }

  function groupTable(title, groups, header, ui) {
    const { el } = ui;
    const messageAt = header.indexOf('message');
    return el('div', { className: 'triage-group' }, el('h3', {}, title),
      el('table', { className: 'triage-counts' },
        el('thead', {}, el('tr', {}, el('th', {}, title.replace('By ', '')), el('th', {}, 'Rows'), el('th', {}, 'Sample'))),
        el('tbody', {}, groups.map((g) => el('tr', {},
          el('td', { className: 'mono' }, g.key || '(none)'),
          el('td', { className: 'num' }, String(g.count)),
          el('td', { className: 'triage-sample' },
            g.samples.length && messageAt >= 0 ? g.samples[0][messageAt] : ''))))));
  }

  async function loadPage(base, reason, offset, box, ui, goTo) {
    const { el } = ui;
    const query = new URLSearchParams({ offset: String(offset), limit: String(PREVIEW_ROWS) });
    if (reason) query.set('reason', reason);
    try {
      const page = await ui.apiJson(`${base}?${query}`);
      const from = page.rows.length ? offset + 1 : 0;
      const to = offset + page.rows.length;
      box.replaceChildren(
        el('div', { className: 'triage-scroll' }, el('table', { className: 'triage-rows' },
          el('thead', {}, el('tr', {}, page.header.map((h) => el('th', {}, h)))),
          el('tbody', {}, page.rows.map((row) => el('tr', {}, row.map((v) => el('td', {}, v))))))),
        el('div', { className: 'pager' },
          el('span', { className: 'muted triage-range' }, `${from}–${to} of ${page.matched}`),
          el('button', { type: 'button', className: 'small triage-prev', disabled: offset === 0,
            onclick: () => goTo(Math.max(0, offset - PREVIEW_ROWS)) }, 'Previous'),
          el('button', { type: 'button', className: 'small triage-next', disabled: to >= page.matched,
            onclick: () => goTo(offset + PREVIEW_ROWS) }, 'Next')));
    } catch (e) {
      if (!(e instanceof ui.AuthError)) box.replaceChildren(el('p', { className: 'error-text' }, e.message));
    }
  }

  async function rerun(r, button, ui) {
    if (!window.confirm(`Re-run the ${r.failed} failed record(s) of ${r.name} as a new execution?`)) return;
    button.disabled = true;
    try {
      const body = await ui.apiJson(
        `/api/activity/${encodeURIComponent(r.executionId)}/rerun-failed`, { method: 'POST' });
      ui.notify(`${r.name}: ${body.message}`, 'ok');
      await showRerun(r, button, ui);
    } catch (e) {
      if (!(e instanceof ui.AuthError)) ui.notify(`${r.name}: ${e.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  // Links the new execution once it is in the activity (the run may be queued).
  async function showRerun(r, button, ui) {
    const query = new URLSearchParams({ job: r.name, limit: '10' });
    const page = await ui.apiJson(`/api/activity?${query}`);
    const linked = page.executions.find((e) => e.rerunOf === r.executionId);
    if (!linked) return;
    button.after(ui.el('a', { href: `#/activity/${encodeURIComponent(linked.executionId)}`, className: 'triage-rerun-link' },
      'Open the re-run'));
  }

  return { render };
})();
