// Live admin page (issue 16) in Debian's chromium (playwright-core) against admin_demo_server
// --simulate-runs 1, where "Run now" on a job simulates a slow run that publishes run.started,
// run.progress and run.finished on the server's EventBus. Checks, all without reloading the page:
// the live indicator comes up (ticket + EventSource); a run's progress bar appears on the overview
// and advances; the execution page shows its own bar and a Read tile that grows; the finished run
// leaves "Running" at once (status badge and the overview's running flag); a stream the server
// ends (its maximum life) is reopened by the page with a new ticket. Screenshots are kept.
//
// Usage: node live.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { log, openPage, runBrowserTest, signIn } from './harness.mjs';

const JOB = 'Person Sync';
const ROW = `table.jobs tr[data-name="${JOB}"]`;

// Waits until the progress bar matched by `selector` shows more records than `than`.
async function recordsAbove(page, selector, than) {
  await page.waitForFunction(([s, n]) => {
    const bar = document.querySelector(s);
    return bar && Number(bar.dataset.records) > n;
  }, [selector, than]);
  return Number(await page.locator(selector).getAttribute('data-records'));
}

runBrowserTest({ serverArgs: ['--simulate-runs', '1'] }, async ({ browser, info, artifacts, problems }) => {
  const { context, page } = await openPage(browser, problems,
    { options: { viewport: { width: 1366, height: 900 }, locale: 'en-US' }, timeout: 20000 });

  log('sign in; the live indicator comes up');
  await signIn(page, info.url, info.token, page.locator(`${ROW}`));
  await page.locator('#live-status[data-state="up"]').waitFor();
  // Set once; a page reload would lose it.
  await page.evaluate(() => { window.__sameDocument = true; });

  log('run now: the overview shows the run\'s progress advancing');
  await page.click(`${ROW} button[data-action="run"]`);
  const overviewBar = `${ROW} .live-progress`;
  const first = await recordsAbove(page, overviewBar, 0);
  const later = await recordsAbove(page, overviewBar, first);
  assert.ok(later > first);
  assert.match(await page.locator(overviewBar).innerText(), /load · [\d,]+ \/ 5,000/);
  const percent = Number(await page.locator(overviewBar).getAttribute('aria-valuenow'));
  assert.ok(percent > 0 && percent <= 100, `aria-valuenow ${percent}`);
  await page.locator(`${ROW} .flag-running`).waitFor();
  await page.screenshot({ path: join(artifacts, 'live-overview.png'), fullPage: true });

  log('the execution page shows the progress and a growing Read tile');
  const running = await page.evaluate(async (job) => {
    const token = sessionStorage.getItem('sfsync.adminToken');
    const r = await fetch(`/api/activity?job=${encodeURIComponent(job)}&status=Running`,
      { headers: { Authorization: `Bearer ${token}` } });
    return (await r.json()).executions[0].executionId;
  }, JOB);
  await page.evaluate((id) => { location.hash = `#/activity/${encodeURIComponent(id)}`; }, running);
  const detailBar = '.execution-detail > .live-progress';
  const onPage = await recordsAbove(page, detailBar, later);
  await page.waitForFunction((n) => {
    const counts = [...document.querySelectorAll('.execution-detail .count')];
    const read = counts.find((c) => c.querySelector('.count-label').textContent === 'Read');
    return read && Number(read.querySelector('.count-value').textContent.replace(/\D/g, '')) >= n;
  }, onPage);
  await page.screenshot({ path: join(artifacts, 'live-execution.png'), fullPage: true });

  log('when it finishes, the page says so at once');
  await page.locator('.execution-detail h2 .badge').filter({ hasText: 'Success' }).waitFor();
  assert.equal(await page.locator(detailBar).count(), 0);
  assert.match(await page.locator('.execution-detail').innerText(), /5,000\s*Read/);
  await page.screenshot({ path: join(artifacts, 'live-execution-finished.png'), fullPage: true });

  log('on the overview, "running" leaves the row when the run ends');
  await page.click('.tabs a[data-view="overview"]');
  await page.click(`${ROW} button[data-action="run"]`);
  await page.locator(`${ROW} .flag-running`).waitFor();
  await page.locator(overviewBar).waitFor();
  await page.locator(`${ROW} .flag-running`).waitFor({ state: 'detached' });
  assert.equal(await page.locator(overviewBar).count(), 0);
  assert.match(await page.locator(ROW).innerText(), /Success/);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');

  log('an ended stream reconnects by itself (new ticket)');
  // --simulate-runs 1 closes streams after 10 s (admin.eventStreamMaxSeconds' minimum).
  await page.waitForFunction(() => Number(document.querySelector('#live-status').dataset.connects) >= 2);
  await page.locator('#live-status[data-state="up"]').waitFor();
  await page.click(`${ROW} button[data-action="run"]`); // and events flow again
  await page.locator(overviewBar).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');

  await context.close();
});
