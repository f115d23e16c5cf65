// The cluster view (issue 12) in Debian's chromium via playwright-core against admin_demo_server
// (FakeAdminControl's three-daemon cluster: two alive, one silent whose run another daemon took
// over): the Cluster tab lists every daemon with its heartbeat age and state, marks this daemon,
// and shows which daemon runs what (lease, takeovers). axe-core checks the view. Screenshots go to
// <artifacts>/cluster/.
//
// Usage: node cluster.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axeCheck, log, openPage, runBrowserTest, signIn } from './harness.mjs';

runBrowserTest({ dir: 'cluster' }, async ({ browser, info, artifacts, problems }) => {
  const { context, page } = await openPage(browser, problems,
    { options: { timezoneId: 'UTC', locale: 'en-US', bypassCSP: true } });
  await signIn(page, info.url, info.token);

  log('the Cluster tab lists the three daemons with their heartbeats');
  await page.click('nav.tabs a[data-view="cluster"]');
  const daemons = page.locator('table.cluster-daemons tbody tr');
  await daemons.first().waitFor();
  assert.equal(await daemons.count(), 3);
  const self = page.locator('tr[data-daemon="a1b2c3d4@sync-1:4101"]');
  assert.match(await self.innerText(), /this daemon/);
  assert.match(await self.innerText(), /3 s ago/);
  assert.match(await self.innerText(), /alive/);
  const silent = page.locator('tr[data-daemon="c9d0e1f2@sync-3:4103"]');
  assert.match(await silent.innerText(), /128 s ago/);
  assert.match(await silent.innerText(), /silent/);

  log('which daemon runs what');
  const run = page.locator('table.cluster-runs tbody tr');
  assert.equal(await run.count(), 1);
  const text = await run.first().innerText();
  assert.match(text, /Renewal Sync/);
  assert.match(text, /e5f6a7b8@sync-2:4102/);
  assert.match(text, /schedule/);
  assert.match(await run.first().locator('td').last().innerText(), /^1$/);
  assert.match(await page.locator('.cluster-view').innerText(), /3 daemon\(s\) share this store/);
  await page.screenshot({ path: join(artifacts, 'cluster.png'), fullPage: true });
  const a11y = await axeCheck(page, artifacts, 'cluster');

  log('GET /api/cluster answers the same view as JSON');
  const body = await page.evaluate(async (token) => {
    const r = await fetch('/api/cluster', { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, json: await r.json() };
  }, info.token);
  assert.equal(body.status, 200);
  assert.equal(body.json.clustered, true);
  assert.equal(body.json.self, 'a1b2c3d4@sync-1:4101');
  assert.equal(body.json.running[0].adoptions, 1);
  await context.close();

  assert.deepEqual(a11y, [], 'accessibility violations');
});
