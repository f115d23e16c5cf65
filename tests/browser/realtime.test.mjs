// The real-time view (issue 18) in Debian's chromium via playwright-core against
// admin_demo_server --realtime-demo 1 (two real-time jobs whose numbers the server changes every
// 200 ms and publishes as "realtime" live events, as the daemon does once a second): signed in
// with a VIEWER token (reading real-time numbers is viewer), the Real-time tab lists both jobs
// with their state (connected / reconnecting), lag p50 / p99, events/s, last replay id and the
// hour's counts; without any reload the numbers advance (the page applies the live events);
// GET /api/realtime answers the viewer. axe-core checks the view. Screenshots go to
// <artifacts>/realtime/.
//
// Usage: node realtime.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axeCheck, log, openPage, runBrowserTest, signIn } from './harness.mjs';

const VIEWER_TOKEN = 'viewer-4d2b9e7a1c3f5a8e0b6d2c4f9a1e3b5d';
const ROW = 'table.realtime-jobs tr[data-job="Company Sync"]';

async function eventsShown(page) {
  return Number(await page.locator(ROW).getAttribute('data-events'));
}

runBrowserTest({
  dir: 'realtime', serverArgs: ['--realtime-demo', '1', '--viewer-token', VIEWER_TOKEN],
}, async ({ browser, info, artifacts, problems }) => {
  const a11y = [];
  const { context, page } = await openPage(browser, problems,
    { options: { timezoneId: 'UTC', locale: 'en-US', bypassCSP: true }, timeout: 20000 });

  log('sign in as a viewer; the live indicator comes up');
  await signIn(page, info.url, VIEWER_TOKEN);
  await page.locator('#live-status[data-state="up"]').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });

  log('the Real-time tab lists both jobs with their state and numbers');
  await page.click('nav.tabs a[data-view="realtime"]');
  await page.locator(ROW).waitFor();
  const person = page.locator('table.realtime-jobs tr[data-job="Person Sync"]');
  assert.equal(await page.locator(`${ROW} .rt-state`).innerText(), 'connected');
  assert.equal(await person.locator('.rt-state').innerText(), 'reconnecting');
  assert.match(await page.locator(`${ROW} .rt-lag`).innerText(), /^\d+ ms \/ \d+ ms$/);
  assert.equal(await page.locator(`${ROW} .rt-rate`).innerText(), '125.0');
  assert.match(await page.locator(`${ROW} .rt-replay`).innerText(), /^0+\d+$/);
  assert.match(await page.locator(`${ROW} .rt-last-event`).innerText(), /2026/);
  a11y.push(...await axeCheck(page, artifacts, 'realtime'));
  await page.screenshot({ path: join(artifacts, 'realtime.png'), fullPage: true });

  log('without a reload the numbers advance (live "realtime" events)');
  const first = await eventsShown(page);
  await page.waitForFunction(([s, n]) => {
    const row = document.querySelector(s);
    return row && Number(row.dataset.events) > n;
  }, [ROW, first]);
  const later = await eventsShown(page);
  assert.ok(later > first);
  assert.equal(Number((await page.locator(`${ROW} .rt-read`).innerText()).replace(/\D/g, '')), later);
  assert.ok(Number(await page.locator('section.realtime').getAttribute('data-updates')) > 0);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  await page.screenshot({ path: join(artifacts, 'realtime-live.png'), fullPage: true });

  log('GET /api/realtime answers the viewer');
  const api = await page.evaluate(async (token) => {
    const r = await fetch('/api/realtime', { headers: { Authorization: `Bearer ${token}` } });
    return { status: r.status, body: await r.json() };
  }, VIEWER_TOKEN);
  assert.equal(api.status, 200);
  assert.deepEqual(api.body.jobs.map((j) => j.job), ['Company Sync', 'Person Sync']);
  assert.equal(api.body.jobs[0].state, 'connected');
  await context.close();

  assert.deepEqual(a11y, [], 'accessibility violations');
});
