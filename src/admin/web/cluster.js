// sfsync admin page: the cluster view (issue 12), #/cluster. Several sfsyncd may share one
// PostgreSQL store; GET /api/cluster lists every daemon with the age of its last heartbeat and the
// runs claimed right now (which daemon runs what, the lease, whether it was taken over from a
// stopped daemon). A daemon alone on its store (SQLite) shows itself only. app.js routes here and
// passes its helpers; data is only ever inserted as text.
'use strict';

window.sfsyncCluster = (() => {
  // A heartbeat older than two leases means the daemon stopped (its runs are taken over).
  function beatState(d, lease) {
    if (!lease) return ['alive', 'flag-active'];
    return d.heartbeatAgeSeconds > 2 * lease ? ['silent', 'flag-disconnected'] : ['alive', 'flag-active'];
  }

  function daemonRow(h, d, lease) {
    const el = h.el;
    const [state, cls] = beatState(d, lease);
    return el('tr', { dataset: { daemon: d.id } },
      el('th', { scope: 'row' }, d.id, d.self ? el('span', { className: 'muted' }, ' (this daemon)') : null),
      el('td', {}, d.host),
      el('td', { className: 'num' }, String(d.pid)),
      el('td', { title: d.startedAt }, h.localTime(d.startedAt)),
      el('td', { className: 'num', title: d.heartbeatAt }, `${d.heartbeatAgeSeconds} s ago`),
      el('td', {}, el('span', { className: `badge ${cls}` }, state)));
  }

  function runRow(h, r) {
    const el = h.el;
    return el('tr', { dataset: { run: r.key } },
      el('th', { scope: 'row' }, r.name),
      el('td', {}, r.kind),
      el('td', {}, r.trigger, r.slot ? el('div', { className: 'muted' }, h.localTime(r.slot)) : null),
      el('td', {}, r.daemon),
      el('td', { title: r.claimedAt }, h.localTime(r.claimedAt)),
      el('td', { title: r.leaseUntil },
        r.expired ? el('span', { className: 'badge flag-disconnected' }, 'expired') : h.localTime(r.leaseUntil)),
      el('td', { className: 'num' }, String(r.adoptions)));
  }

  function table(h, className, headers, rows, emptyText) {
    const el = h.el;
    return el('div', { className: 'table-wrap' },
      el('table', { className: `entries ${className}` },
        el('thead', {}, el('tr', {}, headers.map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, rows.length ? rows
          : el('tr', {}, el('td', { colspan: headers.length, className: 'empty' }, emptyText)))));
  }

  // h: {apiJson, el, localTime}
  async function render(h) {
    const c = await h.apiJson('/api/cluster');
    const el = h.el;
    const intro = c.clustered
      ? `${c.daemons.length} daemon(s) share this store; a run whose daemon stops renewing its ` +
        `${c.leaseSeconds} s lease is resumed by another daemon.`
      : 'This daemon runs alone on its store (SQLite): there is no cluster.';
    return el('div', { className: 'cluster-view' },
      el('section', { className: 'card' },
        el('h2', {}, 'Daemons'),
        el('p', { className: 'muted' }, intro),
        table(h, 'cluster-daemons', ['Daemon', 'Host', 'PID', 'Started', 'Heartbeat', 'State'],
          c.daemons.map((d) => daemonRow(h, d, c.leaseSeconds)), 'No daemon has reported.')),
      el('section', { className: 'card' },
        el('h2', {}, 'Running now'),
        table(h, 'cluster-runs', ['Job or chain', 'Kind', 'Trigger / slot', 'Daemon', 'Claimed',
          'Lease until', 'Taken over'],
        c.running.map((r) => runRow(h, r)), 'Nothing is running.')));
  }

  return { render };
})();
