// sfsync admin page: the connections view (issue 17), #/connections, and the role hook. app.js
// routes here and passes its helpers; this file only builds the view. Per connection: org type,
// login host / instance URL, user, API version, last authorisation, metadata age, API usage
// against the daily limit (the last /limits seen; "Test connection" refreshes it) and state;
// actions Test connection, Refresh metadata, Pause/Resume, Disconnect/Reconnect and
// Authorize/Re-authorize (OAuth web-server flow with PKCE: the daemon answers the login host's
// authorize URL and the browser goes there; Salesforce sends it back to /oauth/callback, which
// redirects to #/connections?authorized=<name>).
// Roles: session() reads GET /api/session once per token and sets document.body.dataset.role;
// connections.css hides every [data-requires] control the role may not use. Data is only ever
// inserted as text.
'use strict';

window.sfsyncConnections = (() => {
  let sessionFor = null; // the token the role below belongs to
  let sessionPromise = null;

  // Sets <body data-role> for this token (once per token); the CSS does the hiding.
  function session(apiJson, token) {
    if (sessionFor === token && sessionPromise) return sessionPromise;
    sessionFor = token;
    sessionPromise = apiJson('/api/session').then((s) => {
      document.body.dataset.role = s.role;
      return s;
    }).catch(() => {
      sessionPromise = null;
      return null;
    });
    return sessionPromise;
  }

  function age(iso, now = Date.now()) {
    if (!iso) return '—';
    const hours = Math.max(0, (now - Date.parse(iso)) / 3600000);
    if (hours < 1) return 'less than an hour';
    if (hours < 48) return `${Math.floor(hours)} h`;
    return `${Math.floor(hours / 24)} days`;
  }

  function usage(el, c) {
    if (c.apiMax === null || c.apiMax === undefined) return el('span', { className: 'muted' }, 'not checked yet');
    const percent = c.apiMax > 0 ? Math.round((100 * c.apiUsed) / c.apiMax) : 0;
    return el('span', { className: 'conn-usage', title: c.apiCheckedAt ? `checked ${c.apiCheckedAt}` : null },
      el('meter', { min: 0, max: c.apiMax, value: c.apiUsed, 'aria-label': `API usage of ${c.name}` }),
      ` ${c.apiUsed.toLocaleString()} / ${c.apiMax.toLocaleString()} (${percent}%)`);
  }

  const STATE_CLASS = {
    active: 'flag-active', paused: 'flag-paused', disconnected: 'flag-disconnected',
    unauthorised: 'flag-disconnected',
  };

  function button(el, label, requires, onclick, extraClass) {
    return el('button', {
      type: 'button', className: `small ${extraClass || ''}`.trim(), dataset: { requires }, onclick,
    }, label);
  }

  async function post(h, path) {
    return h.apiJson(path, { method: 'POST' });
  }

  function actions(h, c, output) {
    const path = `/api/connections/${encodeURIComponent(c.name)}`;
    // The outcome goes to the page's notice: the view is re-rendered (this row replaced) after it.
    const run = (label, fn) => async () => {
      output.textContent = `${label}…`;
      try {
        const [message, ok] = await fn();
        h.notify(`${c.name}: ${message}`, ok === false ? 'error' : 'ok');
      } catch (e) {
        if (e instanceof h.AuthError) return;
        output.textContent = '';
        h.notify(`${c.name}: ${label} failed: ${e.message}`, 'error');
      }
    };
    const control = (action) => run(action, async () => {
      const body = await post(h, `${path}/${action}`);
      h.rerender();
      return [body.message];
    });
    const webFlow = c.authFlow === 'web_server';
    return [
      button(h.el, 'Test connection', 'admin', run('Test', async () => {
        const t = await post(h, `${path}/test`);
        h.rerender();
        return t.ok ? [`test OK in ${t.latencyMs} ms; API usage ${t.apiUsed} / ${t.apiMax}`]
          : [`test failed after ${t.latencyMs} ms: ${t.error}`, false];
      })),
      button(h.el, 'Refresh metadata', 'admin', control('refresh-metadata')),
      c.paused ? button(h.el, 'Resume', 'operator', control('resume'))
        : button(h.el, 'Pause', 'operator', control('pause')),
      c.disconnected ? button(h.el, 'Reconnect', 'admin', control('reconnect'))
        : button(h.el, 'Disconnect', 'admin', () => {
          if (window.confirm(`Disconnect ${c.name}? Its jobs stop running until it is reconnected.`)) {
            control('disconnect')();
          }
        }, 'danger'),
      webFlow ? button(h.el, c.authorized ? 'Re-authorize' : 'Authorize', 'admin',
        run('Authorize', async () => {
          const start = await post(h, `${path}/authorize`);
          window.location.assign(start.authorizeUrl); // the org's login page
          return ['opening the Salesforce login…'];
        }), c.authorized ? null : 'primary') : null,
    ];
  }

  function row(h, c) {
    const el = h.el;
    const output = el('output', { className: 'conn-output', 'aria-live': 'polite' });
    return el('tr', { dataset: { name: c.name, state: c.state || '' } },
      el('th', { scope: 'row' }, c.name),
      el('td', {}, c.orgType || '—', c.loginUrl ? el('div', { className: 'muted small-text' }, c.loginUrl) : null),
      el('td', {}, c.instanceUrl || '—'),
      el('td', {}, c.username || (c.authFlow === 'web_server' ? 'the authorising user' : '—')),
      el('td', {}, c.apiVersion || '—'),
      el('td', { title: c.authorizedAt || null }, c.authorizedAt ? h.localTime(c.authorizedAt) : 'never'),
      el('td', { title: c.metadataFetchedAt || null }, age(c.metadataFetchedAt)),
      el('td', {}, usage(el, c)),
      el('td', {}, el('span', { className: `badge ${STATE_CLASS[c.state] || ''}` }, c.state || '—')),
      el('td', { className: 'actions' },
        el('div', { className: 'conn-buttons' }, actions(h, c, output)), output));
  }

  // h: {apiJson, el, notify, AuthError, localTime, params, rerender}
  async function render(h) {
    const body = await h.apiJson('/api/connections');
    const authorized = h.params.get('authorized');
    if (authorized) {
      h.notify(`Connection ${authorized} authorised.`, 'ok');
      window.history.replaceState(null, '', '#/connections'); // said once, not on every re-render
    }
    const el = h.el;
    const headers = ['Connection', 'Org type', 'Instance URL', 'User', 'API version',
      'Last authorised', 'Metadata age', 'API usage (daily)', 'State', 'Actions'];
    return el('div', { className: 'connections-view' },
      el('section', { className: 'card' },
        el('h2', {}, 'Connections'),
        el('div', { className: 'table-wrap' },
          el('table', { className: 'entries connections-detail' },
            el('thead', {}, el('tr', {}, headers.map((t) => el('th', { scope: 'col' }, t)))),
            el('tbody', {}, body.connections.length ? body.connections.map((c) => row(h, c))
              : el('tr', {}, el('td', { colspan: headers.length, className: 'empty' },
                'No connections configured.')))))));
  }

  return { render, session };
})();
