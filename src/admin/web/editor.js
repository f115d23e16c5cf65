// sfsync admin page: the job and chain editor (issue 17), #/edit, #/edit/job/<name>,
// #/edit/chain/<name> (#/edit/job and #/edit/chain create new ones). app.js routes here and passes
// its helpers; this file builds the views. The form and the JSON beside it edit one definition
// object: typing in the form rewrites the JSON, editing the JSON (when it parses) rebuilds the form.
// Every change is validated by the daemon's own loader (debounced POST /api/validate) and each
// problem is shown at the control whose JSON path it names. Save is PUT with If-Match (the ETag the
// definition was loaded with; If-None-Match: * for a new one): 412 = changed by someone else (offer
// to reload), 422 = problems (shown); without an ETag Save is disabled. Delete is in the edit view
// only and sends the ETag the definition was loaded with (428 / 412 like PUT). Every editing control carries data-requires="admin" (the page
// hides them for tokens without that role). Data is only ever inserted as text.
'use strict';

window.sfsyncEditor = (() => {
  const MAX_MATCH_PAIRS = 6;
  const COLUMN_TYPES = ['', 'text', 'integer', 'real', 'boolean', 'date', 'datetime'];
  const CONDITIONS = ['successOrPartial', 'success', 'always'];
  const SCHEDULE_KINDS = ['none', 'every', 'daily', 'weekdays', 'cron', 'other'];
  const VALIDATE_DELAY_MS = 400;
  let h = null; // app.js helpers: el, api, apiJson, AuthError, notify
  let s = null; // the open editing session
  let pendingNotice = ''; // shown by the next render (a hash change clears the notice)
  let fresh = false; // the next render reloads the open definition (Reload, after a save)
  let loading = null; // { key, view: Promise } of the edit view being loaded
  let loads = 0; // edit views started: only the newest one keeps the session

  const ADMIN = { 'data-requires': 'admin' };
  let idCounter = 0;
  const nextId = () => `ed-${++idCounter}`;

  // ------------------------------------------------------------------ entry point

  async function render(parts, helpers) {
    h = helpers;
    if (pendingNotice) {
      h.notify(pendingNotice, 'ok');
      pendingNotice = '';
    }
    const kind = parts[1];
    if (kind === 'job' || kind === 'chain') {
      // Live events re-render the view (a run finished, a reload): keep the open form and its
      // unsaved edits instead of loading the definition again. A re-render while the form is
      // still loading waits for that load instead of starting a second one: two loads would
      // each take over the open session, and the buttons of the view on screen would then
      // edit a form that is not.
      const key = `${kind}/${parts[2] || ''}`;
      if (!fresh && loading && loading.key === key) return loading.view;
      if (!fresh && s && s.key === key && s.view && s.view.isConnected) {
        supersedeLoads(); // back on this form while another one loads: that load must not take over
        return s.view;
      }
      fresh = false;
      const mine = { key, view: editView(kind, parts[2] || '', key) };
      loading = mine;
      try {
        return await mine.view;
      } finally {
        if (loading === mine) loading = null;
      }
    }
    supersedeLoads();
    return listView();
  }

  // An edit view still loading will not be shown: it must leave the open session alone.
  function supersedeLoads() {
    loads += 1;
    loading = null;
  }

  function rerender() {
    fresh = true;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }

  // ------------------------------------------------------------------ list

  async function listView() {
    const el = h.el;
    const [jobs, chains] = await Promise.all([h.apiJson('/api/jobs'), h.apiJson('/api/chains')]);
    const rows = (kind, items) => items.map((item) => el('tr', { dataset: { name: item.name } },
      el('th', { scope: 'row' }, el('a', {
        href: `#/edit/${kind}/${encodeURIComponent(item.name)}`, className: 'editor-edit-link',
      }, item.name)),
      el('td', {}, kind === 'job' ? (item.connection || '—') : item.members.join(' → ')),
      // Delete is in the edit view only: it sends the ETag of the text the admin has seen.
      el('td', { className: 'actions' }, el('a', {
        href: `#/edit/${kind}/${encodeURIComponent(item.name)}`, className: 'button small', ...ADMIN,
      }, 'Edit'))));
    const section = (title, kind, items, headers) => el('section', { className: 'card' },
      el('h2', {}, title),
      el('p', {}, el('a', { href: `#/edit/${kind}`, className: 'button primary', ...ADMIN },
        `New ${kind}`)),
      el('div', { className: 'table-wrap' }, el('table', { className: `editor-list ${kind}s` },
        el('thead', {}, el('tr', {}, headers.map((x) => el('th', { scope: 'col' }, x)))),
        el('tbody', {}, rows(kind, items)))));
    return el('div', { className: 'editor-home' },
      el('p', { id: 'editor-list-message', className: 'error-text', role: 'alert', hidden: true }),
      section('Jobs', 'job', jobs.jobs, ['Job', 'Connection', 'Actions']),
      section('Chains', 'chain', chains.chains, ['Chain', 'Jobs', 'Actions']));
  }

  // DELETE with the ETag of the text the edit view loaded (never a fresh one: a change made by
  // someone else meanwhile must give 412, not be deleted unseen); a 409 (a chain still names the
  // job) names the chains.
  async function removeDefinition(kind, name, etag) {
    if (!etag) {
      showMessage('This definition has no ETag (it could not be read): reload the page.');
      return;
    }
    if (!window.confirm(`Delete the ${kind} '${name}'? Its file is removed.`)) return;
    const family = `${kind}s`;
    const path = `/api/${family}/${encodeURIComponent(name)}`;
    try {
      const response = await h.api(path, { method: 'DELETE', headers: { 'If-Match': etag } });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const message = `Cannot delete ${kind} '${name}': ${body.error || response.status}`;
        const box = document.querySelector('#editor-list-message, #editor-message');
        if (box) { box.textContent = message; box.hidden = false; } else h.notify(message, 'error');
        return;
      }
      pendingNotice = `Deleted ${kind} '${name}'.`;
      if (location.hash === '#/edit') rerender(); else location.hash = '#/edit';
    } catch (e) {
      if (!(e instanceof h.AuthError)) h.notify(e.message, 'error');
    }
  }

  // ------------------------------------------------------------------ edit view

  function emptyDefinition(kind, connections) {
    if (kind === 'chain') return { name: '', jobs: [], dependencies: [] };
    return {
      name: '',
      connection: connections[0] ? connections[0].name : '',
      source: { object: '' },
      target: { object: '' },
      mappings: [],
      derivedMappings: [],
      operation: 'upsert',
    };
  }

  // Loads everything first and only then takes over `s`, in one synchronous step: an edit view
  // of another definition still loading meanwhile cannot mix its session into this one.
  async function editView(kind, name, key) {
    const el = h.el;
    const seq = ++loads;
    const [connections, jobs] = await Promise.all([
      h.apiJson('/api/connections'), h.apiJson('/api/jobs')]);
    const jobNames = jobs.jobs.map((j) => j.name);
    const body = name ? await h.apiJson(`/api/${kind}s/${encodeURIComponent(name)}`) : null;
    // Without "dependencies" a chain's edges come from its jobs' dependsOn: drawn dashed.
    const dependsOn = kind === 'chain' ? new Map(await Promise.all(jobNames.map((j) =>
      h.apiJson(`/api/jobs/${encodeURIComponent(j)}`)
        .then((b) => [j, (b.job.definition && b.job.definition.dependsOn) || []])
        .catch(() => [j, []])))) : undefined;
    const previous = s;
    s = {
      key, kind, originalName: name, isNew: !name, etag: '', def: null, jsonError: '',
      connections: connections.connections, jobs: jobNames, dependsOn,
      problems: [], timer: null, validation: 0, describe: { key: '', fields: null, error: '' },
      objects: [],
    };
    let text = '';
    if (body) {
      s.etag = body.etag || '';
      text = body.text || JSON.stringify(body[kind].definition || {}, null, 2);
      try { s.def = JSON.parse(text); } catch (e) { s.def = {}; s.jsonError = e.message; }
    } else {
      s.def = emptyDefinition(kind, s.connections);
      text = toText(s.def);
    }
    s.form = el('div', { className: 'editor-form', id: 'editor-form' });
    s.json = el('textarea', {
      id: 'editor-json', className: 'editor-json mono', spellcheck: 'false', rows: 30, ...ADMIN,
      oninput: onJsonInput,
    });
    s.json.value = text;
    s.jsonStatus = el('p', { id: 'editor-json-status', className: 'muted', 'aria-live': 'polite' });
    s.summary = el('div', { id: 'editor-problems', className: 'editor-problems', role: 'status',
      'aria-live': 'polite' });
    s.message = el('div', { id: 'editor-message', className: 'editor-message', role: 'alert',
      hidden: true });
    const title = name ? `Edit ${kind} '${name}'` : `New ${kind}`;
    const view = el('div', { className: 'editor', dataset: { kind } },
      el('p', {}, el('a', { href: '#/edit', className: 'back' }, '← Jobs and chains')),
      el('div', { className: 'editor-head' },
        el('h1', {}, title),
        el('div', { className: 'actions' },
          el('button', { type: 'button', className: 'primary', id: 'editor-save', ...ADMIN,
            disabled: Boolean(name) && !s.etag, onclick: save }, 'Save'),
          name ? el('button', { type: 'button', className: 'danger', id: 'editor-delete', ...ADMIN,
            onclick: () => removeDefinition(kind, s.originalName, s.etag) }, 'Delete') : null)),
      s.message, s.summary,
      el('div', { className: 'editor-columns' },
        el('section', { className: 'card' }, el('h2', {}, 'Form'), s.form),
        el('section', { className: 'card editor-json-card' },
          el('h2', {}, el('label', { for: 'editor-json' }, 'JSON (the file it writes)')),
          s.json, s.jsonStatus)));
    s.view = view;
    renderForm();
    if (seq !== loads) { // a newer navigation won: its view, not this one, owns the session
      s = previous;
      return view;
    }
    if (kind === 'job') loadObjects();
    scheduleValidate(0);
    return view;
  }

  const toText = (def) => `${JSON.stringify(def, null, 2)}\n`;

  // The form changed `s.def`: rewrite the JSON; `structural` rebuilds the form (rows added...).
  function changed(structural) {
    s.jsonError = '';
    s.json.value = toText(s.def);
    s.jsonStatus.textContent = '';
    if (structural) renderForm();
    scheduleValidate();
  }

  function onJsonInput() {
    try {
      const parsed = JSON.parse(s.json.value);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('the definition must be a JSON object');
      }
      s.def = parsed;
      s.jsonError = '';
      s.jsonStatus.textContent = '';
      renderForm();
    } catch (e) {
      s.jsonError = e.message;
      s.jsonStatus.textContent = `Not valid JSON yet: ${e.message}`;
    }
    scheduleValidate();
  }

  // ------------------------------------------------------------------ validation

  function scheduleValidate(delay = VALIDATE_DELAY_MS) {
    clearTimeout(s.timer);
    s.timer = setTimeout(validate, delay);
  }

  function requestBody() {
    const body = { kind: s.kind, name: s.originalName };
    if (s.jsonError) body.text = s.json.value; else body.definition = s.def;
    return JSON.stringify(body);
  }

  async function validate() {
    const mine = ++s.validation;
    const session = s;
    try {
      const response = await h.api('/api/validate', {
        method: 'POST', body: requestBody(), headers: { 'Content-Type': 'application/json' },
      });
      const body = await response.json();
      if (session !== s || mine !== s.validation) return; // a newer edit or view won
      if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
      showProblems(body.problems);
    } catch (e) {
      if (e instanceof h.AuthError || session !== s) return;
      s.summary.replaceChildren(h.el('p', { className: 'error-text' },
        `Validation failed: ${e.message}`));
    }
  }

  // The form control for `path`, trying shorter paths ("a.b[2].c" -> "a.b[2]" -> "a.b" -> "a").
  function controlFor(path) {
    let p = path;
    while (p) {
      const found = s.form.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (found) return found;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    return null;
  }

  function showProblems(problems) {
    const el = h.el;
    s.problems = problems;
    for (const old of s.form.querySelectorAll('.editor-problem')) old.remove();
    for (const marked of s.form.querySelectorAll('[aria-invalid]')) {
      marked.removeAttribute('aria-invalid');
    }
    const listed = [];
    for (const p of problems) {
      const control = p.inDefinition ? controlFor(p.path) : null;
      const where = p.inDefinition ? p.path : `${p.file || 'configuration'}: ${p.path}`;
      listed.push(el('li', { className: `severity-${p.severity}`, dataset: { listedPath: p.path } },
        el('span', { className: 'badge' }, p.severity), ' ', el('code', {}, where || '$'), ' ',
        p.message));
      if (!control) continue;
      if (p.severity === 'error' && /^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) {
        control.setAttribute('aria-invalid', 'true');
      }
      const note = el('p', { className: `editor-problem severity-${p.severity}`,
        dataset: { problemPath: p.path } }, p.message);
      if (control.tagName === 'TR') {
        control.lastElementChild.append(note);
      } else {
        (control.closest('td, .editor-field, fieldset') || control.parentNode).append(note);
      }
    }
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    s.summary.replaceChildren(
      el('p', { id: 'editor-validity', className: errors ? 'error-text' : 'editor-valid',
        dataset: { errors: String(errors) } },
      errors ? `${errors} problem(s) to fix before saving${warnings ? `, ${warnings} warning(s)` : ''}`
        : `Valid${warnings ? ` (${warnings} warning(s))` : ''}`),
      ...(listed.length ? [el('ul', { className: 'editor-problem-list' }, listed)] : []));
  }

  // ------------------------------------------------------------------ save

  async function save() {
    const el = h.el;
    const name = s.isNew ? (s.def.name || '') : s.originalName;
    if (!name) {
      showMessage('Give it a name first.');
      return;
    }
    if (!s.isNew && !s.etag) {  // a PUT without the ETag it was edited from would be refused
      showMessage('This definition has no ETag (it could not be read): reload the page.');
      return;
    }
    const headers = { 'Content-Type': 'application/json' };
    if (s.isNew) headers['If-None-Match'] = '*'; else headers['If-Match'] = s.etag;
    const text = s.jsonError ? s.json.value : toText(s.def);
    try {
      const response = await h.api(`/api/${s.kind}s/${encodeURIComponent(name)}`,
        { method: 'PUT', body: text, headers });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        s.etag = response.headers.get('ETag') || body.etag || '';
        showMessage('');
        if (s.isNew) {
          pendingNotice = `Saved ${s.kind} '${name}'.`;
          location.hash = `#/edit/${s.kind}/${encodeURIComponent(name)}`;
        } else {
          h.notify(`Saved ${s.kind} '${name}'.`, 'ok');
        }
        return;
      }
      if (response.status === 412 && !s.isNew) {
        showMessage(`This ${s.kind} was changed by someone else since you opened it. `,
          el('button', { type: 'button', className: 'small', id: 'editor-reload',
            onclick: rerender }, 'Reload it (your changes are lost)'));
        return;
      }
      if (body.problems) showProblems(body.problems);
      showMessage(`Not saved: ${body.error || `HTTP ${response.status}`}`);
    } catch (e) {
      if (!(e instanceof h.AuthError)) showMessage(`Not saved: ${e.message}`);
    }
  }

  function showMessage(...content) {
    s.message.replaceChildren(...content.filter(Boolean));
    s.message.hidden = !content.some(Boolean);
  }

  // ------------------------------------------------------------------ form building blocks

  function field(label, control, path, hint) {
    const el = h.el;
    if (!control.id) control.id = nextId();
    return el('div', { className: 'editor-field', dataset: path ? { fieldPath: path } : {} },
      el('label', { for: control.id }, label), control,
      hint ? el('p', { className: 'muted small-text' }, hint) : null);
  }

  // A text input bound to get()/set(); `structural` rebuilds the form after a change.
  function textInput(path, value, set, props = {}) {
    return h.el('input', {
      type: 'text', value: value ?? '', 'data-path': path, ...ADMIN, ...props,
      oninput: (e) => { set(e.target.value); changed(false); },
    });
  }

  function selectInput(path, value, options, set, props = {}) {
    const el = h.el;
    const select = el('select', { 'data-path': path, ...ADMIN, ...props,
      onchange: (e) => { set(e.target.value); changed(true); } },
    options.map(([v, label]) => el('option', { value: v }, label)));
    select.value = value ?? options[0][0];
    return select;
  }

  function checkbox(path, checked, set, props = {}) {
    const box = h.el('input', { type: 'checkbox', 'data-path': path, ...ADMIN, ...props,
      onchange: (e) => { set(e.target.checked); changed(false); } });
    box.checked = !!checked;
    return box;
  }

  function button(label, onclick, props = {}) {
    return h.el('button', { type: 'button', className: 'small', ...ADMIN, ...props,
      onclick: () => { onclick(); changed(true); } }, label);
  }

  function setOrDelete(object, key, value) {
    if (value === '' || value === undefined || value === null) delete object[key];
    else object[key] = value;
  }

  function renderForm() {
    const focused = document.activeElement && s.form.contains(document.activeElement)
      ? document.activeElement.dataset.path : null;
    s.form.replaceChildren(...(s.kind === 'job' ? jobForm() : chainForm()));
    if (focused) {
      const again = s.form.querySelector(`[data-path="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
    if (s.problems.length) showProblems(s.problems);
  }

  // ------------------------------------------------------------------ job form

  function jobForm() {
    const el = h.el;
    const d = s.def;
    d.source = d.source && typeof d.source === 'object' ? d.source : {};
    return [
      el('fieldset', { className: 'editor-group' }, el('legend', {}, 'Job'),
        field('Name', textInput('name', d.name, (v) => { d.name = v; }), 'name'),
        field('Connection', selectInput('connection', d.connection,
          s.connections.map((c) => [c.name, c.name]), (v) => { d.connection = v; }), 'connection'),
        field('Operation', selectInput('operation', d.operation || 'upsert',
          [['upsert', 'upsert (create and update)'], ['update', 'update only']],
          (v) => { d.operation = v; }), 'operation'),
        field('Enabled', checkbox('enabled', d.enabled !== false, (v) => {
          if (v) delete d.enabled; else d.enabled = false;
        }), 'enabled')),
      sourceGroup(d),
      ...targetsOf(d).map((t) => targetGroup(t)),
      el('div', { className: 'actions' }, button('Add target', () => addTarget(d),
        { id: 'editor-add-target', disabled: targetsOf(d).length >= 5,
          title: 'up to 5 targets, written in order for each record' })),
      scheduleGroup(d),
      notificationsGroup(d),
      el('p', { className: 'muted editor-direction' },
        'Direction per field: every mapping reads from Salesforce into the store ',
        '(fromSalesforce). sfsync has no write-back yet, so toSalesforce and twoWay are not offered.'),
    ];
  }

  function sourceGroup(d) {
    const el = h.el;
    const src = d.source;
    const listId = nextId();
    const objectInput = textInput('source.object', src.object, (v) => {
      src.object = v;
      loadDescribe();
    }, { list: listId, autocomplete: 'off' });
    const filter = h.el('textarea', { 'data-path': 'source.filter', rows: 2, ...ADMIN,
      oninput: (e) => { setOrDelete(src, 'filter', e.target.value); changed(false); } });
    filter.value = src.filter || '';
    const extra = Array.isArray(src.fields) ? src.fields : [];
    return el('fieldset', { className: 'editor-group' }, el('legend', {}, 'Source'),
      field('Salesforce object', objectInput, 'source.object'),
      el('datalist', { id: listId }, s.objects.map((o) => el('option', { value: o }))),
      field('Filter (SOQL WHERE, without WHERE)', filter, 'source.filter'),
      el('div', { className: 'editor-field', 'data-path': 'source.fields' },
        el('span', { className: 'editor-label' }, 'Extra fields read'),
        extra.length ? el('ul', { className: 'editor-chips' }, extra.map((f, i) =>
          el('li', { 'data-path': `source.fields[${i}]` }, f, ' ', button('Remove', () => {
            extra.splice(i, 1);
            if (!extra.length) delete src.fields;
          }, { className: 'link-button', 'aria-label': `Remove extra field ${f}` }))))
          : el('p', { className: 'muted' }, 'none')),
      fieldPicker(d));
  }

  // The cached describe of the source object, with a search box: pick a field to map it.
  function fieldPicker(d) {
    const el = h.el;
    const box = el('div', { className: 'editor-picker', id: 'editor-picker' });
    const search = el('input', { type: 'search', id: 'editor-field-search',
      placeholder: 'Search fields', 'aria-label': 'Search the source object\'s fields',
      value: s.pickerQuery || '',
      oninput: () => { s.pickerQuery = search.value; fillPicker(list, search.value, d); } });
    const list = el('div', { className: 'editor-picker-list', id: 'editor-picker-list' });
    box.append(el('span', { className: 'editor-label' }, 'Fields (from the cached describe)'),
      search, list);
    fillPicker(list, s.pickerQuery || '', d);
    if (s.describe.key !== describeKey()) loadDescribe();
    return box;
  }

  function describeKey() {
    return `${s.def.connection || ''}/${(s.def.source && s.def.source.object) || ''}`;
  }

  function fillPicker(list, query, d) {
    const el = h.el;
    if (s.describe.error) {
      list.replaceChildren(el('p', { className: 'muted', id: 'editor-describe-missing' },
        s.describe.error));
      return;
    }
    if (!s.describe.fields) {
      list.replaceChildren(el('p', { className: 'muted' }, 'Pick a Salesforce object.'));
      return;
    }
    const q = query.trim().toLowerCase();
    const matches = s.describe.fields.filter((f) => !q || f.name.toLowerCase().includes(q) ||
      (f.label || '').toLowerCase().includes(q)).slice(0, 50);
    const targets = targetsOf(d);
    list.replaceChildren(el('table', { className: 'editor-fields' },
      el('thead', {}, el('tr', {}, ['Field', 'Type', 'Updateable', ''].map((x) =>
        el('th', { scope: 'col' }, x)))),
      el('tbody', {}, matches.map((f) => el('tr', { dataset: { field: f.name } },
        el('th', { scope: 'row' }, f.name, el('span', { className: 'muted' }, ` ${f.label || ''}`)),
        el('td', {}, f.type + (f.calculated ? ' (calculated)' : '')),
        el('td', {}, f.updateable ? 'yes' : 'no'),
        el('td', { className: 'actions' },
          button('Map', () => {
            const t = targets[targets.length - 1].holder;
            t.mappings = Array.isArray(t.mappings) ? t.mappings : [];
            t.mappings.push({ source: f.name, target: f.name });
          }, { 'aria-label': `Map ${f.name}`, dataset: { mapField: f.name } }),
          button('Read', () => {
            d.source.fields = Array.isArray(d.source.fields) ? d.source.fields : [];
            if (!d.source.fields.includes(f.name)) d.source.fields.push(f.name);
          }, { 'aria-label': `Read ${f.name} as an extra field` })))))));
  }

  async function loadObjects() {
    const connection = s.def.connection;
    if (!connection) return;
    try {
      const body = await h.apiJson(`/api/connections/${encodeURIComponent(connection)}/describe`);
      s.objects = body.objects.map((o) => o.name);
      renderForm();
    } catch (e) { /* no cache yet: the object is typed by hand */ }
  }

  async function loadDescribe() {
    const key = describeKey();
    s.describe = { key, fields: null, error: '' };
    const object = s.def.source && s.def.source.object;
    if (!s.def.connection || !object) return;
    try {
      const body = await h.apiJson(`/api/connections/${encodeURIComponent(s.def.connection)}` +
        `/describe/${encodeURIComponent(object)}`);
      if (s.describe.key !== key) return;
      s.describe.fields = body.fields;
    } catch (e) {
      if (e instanceof h.AuthError || s.describe.key !== key) return;
      s.describe.error = e.message;
    }
    const list = document.getElementById('editor-picker-list');
    const search = document.getElementById('editor-field-search');
    if (list) fillPicker(list, search ? search.value : '', s.def);
  }

  // The job's targets: "targets": [...] or the single-target form at the top level.
  function targetsOf(d) {
    if (Array.isArray(d.targets)) {
      return d.targets.map((t, i) => ({ holder: t, prefix: `targets[${i}].`, index: i,
        objectPath: `targets[${i}].object`, objectOf: () => t, label: `Target ${i + 1}` }));
    }
    d.target = d.target && typeof d.target === 'object' ? d.target : { object: '' };
    return [{ holder: d, prefix: '', objectPath: 'target.object', objectOf: () => d.target,
      label: 'Target' }];
  }

  // A second target turns the single-target form into "targets": [...].
  function addTarget(d) {
    if (!Array.isArray(d.targets)) {
      const first = { object: (d.target && d.target.object) || '', mappings: d.mappings || [] };
      if (d.derivedMappings && d.derivedMappings.length) first.derivedMappings = d.derivedMappings;
      delete d.target; delete d.mappings; delete d.derivedMappings;
      d.targets = [first];
    }
    d.targets.push({ object: '', mappings: [] });
  }

  function removeTarget(d, index) {
    d.targets.splice(index, 1);
    if (d.targets.length === 1) { // back to the single-target form
      const [only] = d.targets;
      delete d.targets;
      d.target = { object: only.object || '' };
      d.mappings = only.mappings || [];
      if (only.derivedMappings) d.derivedMappings = only.derivedMappings;
    }
  }

  function targetGroup(t) {
    const el = h.el;
    const holder = t.holder;
    holder.mappings = Array.isArray(holder.mappings) ? holder.mappings : [];
    const derived = Array.isArray(holder.derivedMappings) ? holder.derivedMappings : [];
    return el('fieldset', { className: 'editor-group', 'data-path': t.prefix.replace(/\.$/, '') || 'target' },
      el('legend', {}, t.label),
      field('Target object', textInput(t.objectPath, t.objectOf().object,
        (v) => { t.objectOf().object = v; }), t.objectPath),
      mappingsTable(holder, t.prefix),
      el('div', { className: 'actions' },
        button('Add field mapping', () => holder.mappings.push({ source: '', target: '' })),
        button('Add constant', () => holder.mappings.push({ target: '', constant: '' }))),
      el('h3', {}, 'Derived mappings (lookups)'),
      derived.map((m, i) => derivedGroup(holder, derived, m, `${t.prefix}derivedMappings[${i}]`)),
      t.index !== undefined ? el('div', { className: 'actions' }, button(`Remove ${t.label.toLowerCase()}`,
        () => removeTarget(s.def, t.index))) : null,
      el('div', { className: 'actions' }, button('Add derived mapping', () => {
        holder.derivedMappings = derived;
        derived.push({ target: '', lookup: '', match: [{ source: '', target: '' }],
          onMultipleMatches: 'error', onNoMatch: 'null' });
      }, { id: t.prefix ? undefined : 'editor-add-derived' })));
  }

  function mappingKind(m) {
    if ('constant' in m) return 'constant';
    if ('fromTarget' in m) return 'fromTarget';
    return 'source';
  }

  function mappingsTable(holder, prefix) {
    const el = h.el;
    const rows = holder.mappings.map((m, i) => {
      const p = `${prefix}mappings[${i}]`;
      const kind = mappingKind(m);
      const kindSelect = selectInput(`${p}.kind`, kind,
        [['source', 'Field'], ['constant', 'Constant'], ['fromTarget', 'From target']], (v) => {
          const value = m[kind] ?? '';
          delete m.source; delete m.constant; delete m.fromTarget;
          m[v] = String(value);
        }, { 'aria-label': `Mapping ${i + 1} kind` });
      const value = textInput(`${p}.${kind}`, m[kind] === undefined ? '' : String(m[kind]),
        (v) => { m[kind] = v; }, { 'aria-label': `Mapping ${i + 1} ${kind}` });
      return el('tr', { 'data-path': p },
        el('td', {}, kindSelect),
        el('td', {}, value),
        el('td', {}, textInput(`${p}.target`, m.target, (v) => { m.target = v; },
          { 'aria-label': `Mapping ${i + 1} target column` })),
        el('td', {}, selectInput(`${p}.type`, m.type || '', COLUMN_TYPES.map((x) =>
          [x, x || 'natural']), (v) => setOrDelete(m, 'type', v),
        { 'aria-label': `Mapping ${i + 1} column type` })),
        el('td', {}, checkbox(`${p}.upsertKey`, m.upsertKey, (v) => setOrDelete(m, 'upsertKey', v || ''),
          { 'aria-label': `Mapping ${i + 1} is an upsert key` })),
        el('td', { className: 'muted' }, kind === 'source' ? 'fromSalesforce' : '—'),
        el('td', {}, button('Remove', () => holder.mappings.splice(i, 1),
          { 'aria-label': `Remove mapping ${i + 1}` })));
    });
    return el('div', { className: 'table-wrap', 'data-path': `${prefix}mappings` },
      el('table', { className: 'editor-mappings' },
        el('thead', {}, el('tr', {}, ['Kind', 'Source / value', 'Target column', 'Type',
          'Upsert key', 'Direction', ''].map((x) => el('th', { scope: 'col' }, x)))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 7, className: 'empty' },
          'No mappings yet: pick fields above or add one.')))));
  }

  function derivedGroup(holder, derived, m, p) {
    const el = h.el;
    m.match = Array.isArray(m.match) ? m.match : [];
    const pairs = m.match.map((pair, k) => el('tr', { 'data-path': `${p}.match[${k}]` },
      el('td', {}, textInput(`${p}.match[${k}].source`, pair.source, (v) => { pair.source = v; },
        { 'aria-label': `Match pair ${k + 1} source field` })),
      el('td', {}, textInput(`${p}.match[${k}].target`, pair.target, (v) => { pair.target = v; },
        { 'aria-label': `Match pair ${k + 1} lookup column` })),
      el('td', {}, button('Remove', () => m.match.splice(k, 1),
        { 'aria-label': `Remove match pair ${k + 1}` }))));
    return el('fieldset', { className: 'editor-derived', 'data-path': p },
      el('legend', {}, `Derived mapping ${p.match(/\[(\d+)\]$/)[1] * 1 + 1}`),
      field('Target column', textInput(`${p}.target`, m.target, (v) => { m.target = v; }),
        `${p}.target`),
      field('Lookup object', textInput(`${p}.lookup`, m.lookup, (v) => { m.lookup = v; }),
        `${p}.lookup`),
      el('div', { className: 'table-wrap', 'data-path': `${p}.match` },
        el('table', { className: 'editor-match' },
          el('thead', {}, el('tr', {}, ['Source field', 'Lookup column', ''].map((x) =>
            el('th', { scope: 'col' }, x)))),
          el('tbody', {}, pairs))),
      button('Add match pair', () => m.match.push({ source: '', target: '' }),
        { disabled: m.match.length >= MAX_MATCH_PAIRS,
          title: `up to ${MAX_MATCH_PAIRS} pairs, ANDed` }),
      field('Several rows match', selectInput(`${p}.onMultipleMatches`, m.onMultipleMatches || 'error',
        [['error', 'error (reject the record)'], ['useAny', 'useAny (the smallest gsid)']],
        (v) => { m.onMultipleMatches = v; }), `${p}.onMultipleMatches`),
      field('No row matches', selectInput(`${p}.onNoMatch`, m.onNoMatch || 'null',
        [['null', 'null'], ['reject', 'reject'], ['default', 'default']],
        (v) => { m.onNoMatch = v; if (v !== 'default') delete m.default; }), `${p}.onNoMatch`),
      m.onNoMatch === 'default' ? field('Default', textInput(`${p}.default`, m.default,
        (v) => { m.default = v; }), `${p}.default`) : null,
      field('Upsert key', checkbox(`${p}.upsertKey`, m.upsertKey,
        (v) => setOrDelete(m, 'upsertKey', v || '')), `${p}.upsertKey`),
      button('Remove derived mapping', () => {
        derived.splice(derived.indexOf(m), 1);
        if (!derived.length) delete holder.derivedMappings;
      }));
  }

  // ------------------------------------------------------------------ shared groups

  function scheduleKind(schedule) {
    if (!schedule) return 'none';
    const keys = Object.keys(schedule).filter((k) => k !== 'timeZone' && k !== 'misfire');
    if (keys.length === 1 && ['daily', 'weekdays', 'cron'].includes(keys[0])) return keys[0];
    if (keys.includes('every')) return 'every';
    return 'other';
  }

  function scheduleGroup(d) {
    const el = h.el;
    const kind = scheduleKind(d.schedule);
    const sch = d.schedule || {};
    const defaults = { every: '1h', daily: '06:00', weekdays: '06:00', cron: '0 6 * * *' };
    const kindSelect = selectInput('schedule', kind, SCHEDULE_KINDS.map((k) => [k,
      { none: 'not scheduled', every: 'every N hours', daily: 'daily', weekdays: 'weekdays',
        cron: 'cron', other: 'other (edit in JSON)' }[k]]), (v) => {
      if (v === 'none') { delete d.schedule; return; }
      if (v === 'other') return;
      d.schedule = { [v]: defaults[v], ...(sch.timeZone ? { timeZone: sch.timeZone } : {}) };
    });
    const valueKey = kind === 'every' ? 'every' : kind;
    return el('fieldset', { className: 'editor-group' }, el('legend', {}, 'Schedule'),
      field('Runs', kindSelect, 'schedule', s.kind === 'chain' ? null
        : 'A job inside a chain ignores its own schedule.'),
      ['every', 'daily', 'weekdays', 'cron'].includes(kind) ? field(
        kind === 'every' ? 'Every (1h, 2h, 3h, 4h, 8h, 12h)' : kind === 'cron' ? 'Cron (m h dom mon dow)'
          : 'At (HH:MM)',
        textInput(`schedule.${valueKey}`, sch[valueKey], (v) => { sch[valueKey] = v; }),
        `schedule.${valueKey}`) : null,
      kind !== 'none' ? field('Time zone (IANA, default UTC)', textInput('schedule.timeZone',
        sch.timeZone, (v) => setOrDelete(sch, 'timeZone', v)), 'schedule.timeZone') : null);
  }

  const splitList = (text) => text.split(',').map((x) => x.trim()).filter(Boolean);

  function notificationsGroup(d) {
    const el = h.el;
    const onFailure = (d.notifications && d.notifications.onFailure) || {};
    const set = (key, text) => {
      const list = splitList(text);
      const n = d.notifications || {};
      const f = n.onFailure || {};
      if (list.length) f[key] = list; else delete f[key];
      if (Object.keys(f).length) n.onFailure = f; else delete n.onFailure;
      if (Object.keys(n).length) d.notifications = n; else delete d.notifications;
    };
    return el('fieldset', { className: 'editor-group', 'data-path': 'notifications' },
      el('legend', {}, 'Notifications on failure'),
      field('E-mail addresses (comma-separated)', textInput('notifications.onFailure.emails',
        (onFailure.emails || []).join(', '), (v) => set('emails', v)),
      'notifications.onFailure.emails'),
      field('Webhook URLs (comma-separated)', textInput('notifications.onFailure.webhooks',
        (onFailure.webhooks || []).join(', '), (v) => set('webhooks', v)),
      'notifications.onFailure.webhooks'));
  }

  // ------------------------------------------------------------------ chain form

  function chainForm() {
    const el = h.el;
    const d = s.def;
    d.jobs = Array.isArray(d.jobs) ? d.jobs : [];
    const deps = Array.isArray(d.dependencies) ? d.dependencies : null;
    const others = s.jobs.filter((j) => !d.jobs.includes(j));
    const addSelect = el('select', { id: nextId(), 'aria-label': 'Job to add', ...ADMIN },
      others.map((j) => el('option', { value: j }, j)));
    const jobRows = d.jobs.map((j, i) => el('li', { 'data-path': `jobs[${i}]`, dataset: { job: j } },
      j, ' ',
      button('Up', () => d.jobs.splice(i - 1, 0, d.jobs.splice(i, 1)[0]),
        { disabled: i === 0, 'aria-label': `Move ${j} up` }),
      button('Down', () => d.jobs.splice(i + 1, 0, d.jobs.splice(i, 1)[0]),
        { disabled: i === d.jobs.length - 1, 'aria-label': `Move ${j} down` }),
      button('Remove', () => d.jobs.splice(i, 1), { 'aria-label': `Remove ${j}` })));
    return [
      el('fieldset', { className: 'editor-group' }, el('legend', {}, 'Chain'),
        field('Name', textInput('name', d.name, (v) => { d.name = v; }), 'name'),
        field('Jobs at once (maxParallel, 1-16)', textInput('maxParallel', d.maxParallel ?? '',
          (v) => setOrDelete(d, 'maxParallel', v === '' ? '' : Number(v)),
          { type: 'number', min: 1, max: 16 }), 'maxParallel'),
        field('Pipelined', checkbox('pipelined', d.pipelined !== false, (v) => {
          if (v) delete d.pipelined; else d.pipelined = false;
        }), 'pipelined'),
        field('Run-now while running', selectInput('overlap', d.overlap || 'refuse',
          [['refuse', 'refuse'], ['queue', 'queue once']], (v) => { d.overlap = v; }), 'overlap')),
      el('fieldset', { className: 'editor-group', 'data-path': 'jobs' }, el('legend', {}, 'Jobs (in order)'),
        el('ol', { className: 'editor-chain-jobs', id: 'editor-chain-jobs' }, jobRows),
        others.length ? el('div', { className: 'actions' }, addSelect,
          button('Add job', () => { if (addSelect.value) d.jobs.push(addSelect.value); })) : null),
      dependenciesGroup(d, deps),
      el('section', { className: 'editor-group' }, el('h3', {}, 'Graph'), dagSvg(d)),
      scheduleGroup(d),
    ];
  }

  function dependenciesGroup(d, deps) {
    const el = h.el;
    const jobOptions = d.jobs.map((j) => [j, j]);
    const rows = (deps || []).map((dep, i) => {
      const p = `dependencies[${i}]`;
      return el('tr', { 'data-path': p },
        el('td', {}, selectInput(`${p}.job`, dep.job, jobOptions.length ? jobOptions : [['', '—']],
          (v) => { dep.job = v; }, { 'aria-label': `Dependency ${i + 1}: job` })),
        el('td', {}, selectInput(`${p}.after`, dep.after, jobOptions.length ? jobOptions : [['', '—']],
          (v) => { dep.after = v; }, { 'aria-label': `Dependency ${i + 1}: runs after` })),
        el('td', {}, selectInput(`${p}.condition`, dep.condition || 'successOrPartial',
          CONDITIONS.map((c) => [c, c]), (v) => { dep.condition = v; },
          { 'aria-label': `Dependency ${i + 1}: condition` })),
        el('td', {}, button('Remove', () => deps.splice(i, 1),
          { 'aria-label': `Remove dependency ${i + 1}` })));
    });
    return el('fieldset', { className: 'editor-group', 'data-path': 'dependencies' },
      el('legend', {}, 'Dependencies'),
      deps ? null : el('p', { className: 'muted' },
        'None given: the edges come from the jobs\' dependsOn.'),
      el('div', { className: 'table-wrap' }, el('table', { className: 'editor-dependencies' },
        el('thead', {}, el('tr', {}, ['Job', 'Runs after', 'Condition', ''].map((x) =>
          el('th', { scope: 'col' }, x)))),
        el('tbody', {}, rows))),
      button('Add dependency', () => {
        d.dependencies = deps || [];
        d.dependencies.push({ job: d.jobs[1] || d.jobs[0] || '', after: d.jobs[0] || '',
          condition: 'successOrPartial' });
      }, { disabled: d.jobs.length < 2 }));
  }

  // The chain as a left-to-right DAG: a job's column is the longest path to it.
  function dagSvg(d) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = (tag, attrs, ...children) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
      for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c));
      return node;
    };
    const explicit = Array.isArray(d.dependencies);
    const derived = [];
    if (!explicit && s.dependsOn) {
      for (const j of d.jobs) {
        for (const after of s.dependsOn.get(j) || []) derived.push({ job: j, after, derived: true });
      }
    }
    const edges = (explicit ? d.dependencies : derived)
      .filter((e) => d.jobs.includes(e.job) && d.jobs.includes(e.after));
    const level = new Map(d.jobs.map((j) => [j, 0]));
    for (let round = 0; round < d.jobs.length; ++round) { // a cycle stops after n rounds
      for (const e of edges) level.set(e.job, Math.max(level.get(e.job), level.get(e.after) + 1));
    }
    const rows = new Map();
    const pos = new Map();
    const W = 170; const H = 36; const GX = 60; const GY = 18;
    for (const j of d.jobs) {
      const col = Math.min(level.get(j), d.jobs.length);
      const row = rows.get(col) || 0;
      rows.set(col, row + 1);
      pos.set(j, { x: 10 + col * (W + GX), y: 10 + row * (H + GY) });
    }
    const width = 20 + (Math.max(0, ...[...pos.values()].map((p) => p.x)) + W);
    const height = 20 + (Math.max(0, ...[...pos.values()].map((p) => p.y)) + H);
    const label = `Chain graph: ${d.jobs.join(', ') || 'no jobs'}; ${edges.map((e) =>
      `${e.job} after ${e.after} (${e.condition || 'successOrPartial'})`).join('; ') || 'no dependencies'}`;
    const root = svg('svg', { id: 'editor-dag', class: 'editor-dag', role: 'img', width, height,
      viewBox: `0 0 ${width} ${height}`, 'aria-label': label },
    svg('defs', {}, svg('marker', { id: 'editor-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
      markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' },
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'editor-dag-arrow' }))));
    for (const e of edges) {
      const a = pos.get(e.after); const b = pos.get(e.job);
      const x1 = a.x + W; const y1 = a.y + H / 2; const x2 = b.x; const y2 = b.y + H / 2;
      root.append(svg('g', { 'data-edge': `${e.after}->${e.job}` },
        svg('line', { x1, y1, x2, y2, class: `editor-dag-edge${e.derived ? ' editor-dag-derived' : ''}`,
          'marker-end': 'url(#editor-arrow)' }),
        svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, class: 'editor-dag-condition',
          'text-anchor': 'middle' }, e.derived ? 'dependsOn' : (e.condition || 'successOrPartial'))));
    }
    d.jobs.forEach((j, i) => {
      const p = pos.get(j);
      const name = j.length > 22 ? `${j.slice(0, 21)}…` : j;
      root.append(svg('g', { 'data-node': j, 'data-order': i + 1 },
        svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6, class: 'editor-dag-node' }),
        svg('text', { x: p.x + 10, y: p.y + H / 2 + 5, class: 'editor-dag-label' }, `${i + 1}. ${name}`)));
    });
    return root;
  }

  return { render };
})();
