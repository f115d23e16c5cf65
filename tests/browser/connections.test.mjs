// The connections view and roles (issue 17) in Debian's chromium via playwright-core against
// admin_demo_server --oauth-demo (connection "Web", authFlow web_server, not yet authorised, whose
// Authorize runs the real OAuth web-server flow with PKCE against an in-process Salesforce
// simulator): Authorize goes to the simulator's login page, logging in and allowing access comes
// back through /oauth/callback to the connections view, the connection is active and its OOB jobs
// appear; Test connection shows the API usage; a viewer token sees no run or edit controls and
// gets 403 from the API. axe-core checks the view. Screenshots go to <artifacts>/connections/.
//
// Usage: node connections.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { axeCheck, log, openPage, runBrowserTest, signIn } from './harness.mjs';

const VIEWER_TOKEN = 'viewer-7c1e0a9b3d5f2e8c4a6b1d0f9e3c5a7b';
const OOB_TEMPLATES = resolve('../../conf/oob'); // run-browser-test runs us from tests/browser
// Each signed-in page's context; the viewer's refused requests (403) are expected.
const PAGE = { options: { timezoneId: 'UTC', locale: 'en-US', bypassCSP: true }, ignore: /\((Forbidden)\)/ };

runBrowserTest({
  dir: 'connections', serverArgs: ['--oauth-demo', OOB_TEMPLATES, '--viewer-token', VIEWER_TOKEN],
}, async ({ browser, info, artifacts, problems }) => {
  const a11y = [];
  const { context, page } = await openPage(browser, problems, PAGE);
  await signIn(page, info.url, info.token);
  await page.waitForFunction(() => document.body.dataset.role === 'admin');

  log('the connections view lists Web as unauthorised with an Authorize button');
  await page.click('nav.tabs a[data-view="connections"]');
  const web = page.locator('table.connections-detail tr[data-name="Web"]');
  await web.waitFor();
  assert.equal(await web.getAttribute('data-state'), 'unauthorised');
  assert.match(await web.innerText(), /custom/);
  assert.equal(await page.locator('table.jobs').count(), 0);
  a11y.push(...await axeCheck(page, artifacts, 'connections'));
  await page.screenshot({ path: join(artifacts, 'connections-before.png'), fullPage: true });

  log('Authorize goes to the simulator\'s login page (a real redirect)');
  await web.locator('button', { hasText: 'Authorize' }).click();
  await page.waitForURL(/\/services\/oauth2\/authorize\?/);
  assert.match(page.url(), /code_challenge_method=S256/);
  await page.fill('#username', 'admin@sample.sfsync');
  await page.fill('#password', 'sample-password');
  await page.click('#Login');
  await page.locator('#oaapprove').waitFor();
  await page.screenshot({ path: join(artifacts, 'simulator-consent.png'), fullPage: true });

  log('Allow returns through /oauth/callback to the connections view, authorised');
  await page.click('#oaapprove');
  await page.waitForURL(/#\/connections(\?authorized=Web)?$/);
  await page.locator('#view[data-view="connections"]').waitFor();
  await page.waitForFunction(() =>
    document.querySelector('table.connections-detail tr[data-name="Web"]')?.dataset.state === 'active');
  assert.match(await page.locator('#notice').innerText(), /Web authorised/);
  assert.match(await web.innerText(), /Re-authorize/);

  log('Test connection shows the API usage');
  await web.locator('button', { hasText: 'Test connection' }).click();
  await page.waitForFunction(() => /Web: test OK in \d+ ms; API usage/.test(
    document.querySelector('#notice')?.textContent || ''));
  await page.waitForFunction(() =>
    document.querySelector('table.connections-detail tr[data-name="Web"] meter') !== null);
  await page.screenshot({ path: join(artifacts, 'connections-after.png'), fullPage: true });

  log('its OOB jobs appear on the overview');
  await page.click('nav.tabs a[data-view="overview"]');
  await page.locator('table.jobs tr[data-name="User Sync (Web)"]').waitFor();
  await page.locator('table.jobs tr[data-name="Currency Sync (Web)"]').waitFor();
  await context.close();

  log('a viewer sees no run, pause or edit controls');
  const viewer = await openPage(browser, problems, PAGE);
  await signIn(viewer.page, info.url, VIEWER_TOKEN);
  await viewer.page.waitForFunction(() => document.body.dataset.role === 'viewer');
  const visibleControls = await viewer.page.locator('[data-requires]').evaluateAll(
    (nodes) => nodes.filter((n) => n.offsetParent !== null).map((n) => n.textContent));
  assert.deepEqual(visibleControls, []);
  assert.ok(await viewer.page.locator('table.jobs button[data-action="run"]').count() > 0);
  await viewer.page.click('nav.tabs a[data-view="connections"]');
  await viewer.page.locator('table.connections-detail tr[data-name="Web"]').waitFor();
  const connectionControls = await viewer.page.locator('table.connections-detail button').evaluateAll(
    (nodes) => nodes.filter((n) => n.offsetParent !== null).length);
  assert.equal(connectionControls, 0);
  a11y.push(...await axeCheck(viewer.page, artifacts, 'connections-viewer'));
  await viewer.page.screenshot({ path: join(artifacts, 'viewer.png'), fullPage: true });

  log('the API answers the viewer 403 naming the role needed');
  const refused = await viewer.page.evaluate(async (token) => {
    const r = await fetch('/api/jobs/Company%20Sync/run',
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, body: await r.json() };
  }, VIEWER_TOKEN);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error, /needs the 'operator' role; token 'viewer' has the 'viewer' role/);
  await viewer.context.close();

  assert.deepEqual(a11y, [], 'accessibility violations');
});
