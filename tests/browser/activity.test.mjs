// The admin page in a real browser: Debian's chromium (/usr/bin/chromium) driven headless by
// playwright-core against admin_demo_server (a real AdminServer over a seeded SQLite store).
// Checks sign-in, the overview and its run-now button, the activity table (rows, paging, status
// filter, local times), an execution's detail, the error-file and success-file downloads (bytes
// compared with the files on disk) and the update activity; saves screenshots as test artifacts.
// Any failure - including chromium not starting - exits non-zero.
//
// Usage: node activity.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, openPage, runBrowserTest } from './harness.mjs';

const TIME_ZONE = 'Asia/Tokyo'; // UTC+9, no DST: 10:00Z shows as 19:00

runBrowserTest({}, async ({ browser, info, artifacts, problems }) => {
  const { context, page } = await openPage(browser, problems, {
    options: {
      viewport: { width: 1366, height: 768 },
      timezoneId: TIME_ZONE,
      locale: 'en-US',
      acceptDownloads: true,
    },
    ignore: /401 \(Unauthorized\)/,
  });

  log('the page asks for a token; a wrong one is refused');
  await page.goto(info.url);
  await page.locator('#login-form').waitFor();
  assert.equal(await page.title(), 'sfsync admin');
  await page.fill('#token-input', 'wrong-token');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-error').filter({ hasText: 'not accepted' }).waitFor();

  log('sign in; overview lists connections, jobs and chains');
  await page.fill('#token-input', info.token);
  await page.click('#login-form button[type=submit]');
  await page.locator('table.jobs tbody tr').first().waitFor();
  assert.equal(await page.locator('table.connections tbody tr').count(), 2);
  assert.equal(await page.locator('table.jobs tbody tr').count(), 3);
  assert.equal(await page.locator('table.chains tbody tr').count(), 1);
  const renewal = page.locator('table.jobs tbody tr[data-name="Renewal Sync"]');
  assert.match(await renewal.innerText(), /every hour/);
  // nextRun 2026-03-08T11:00:00Z in Tokyo.
  assert.match(await renewal.innerText(), /2026-03-08 20:00:00/);
  assert.match(await page.locator('#timezone').innerText(), /Asia\/Tokyo/);
  await page.screenshot({ path: join(artifacts, 'overview.png'), fullPage: true });

  log('run now calls the control and reports its answer');
  await page.click('table.jobs tr[data-name="Company Sync"] button[data-action="run"]');
  await page.locator('#notice').filter({ hasText: 'Company Sync: started' }).waitFor();
  await page.click('table.jobs tr[data-name="Person Sync"] button[data-action="pause"]');
  await page.locator('table.jobs tr[data-name="Person Sync"] button[data-action="resume"]').waitFor();

  log('the activity table shows the runs, newest first, in the browser time zone');
  await page.click('.tabs a[data-view="activity"]');
  const rows = page.locator('table.executions tbody tr.execution');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 25);
  const newest = rows.first();
  assert.equal(await newest.getAttribute('data-status'), 'Running');
  assert.match(await newest.locator('td.start').innerText(), /^2026-03-08 19:00:00$/);
  assert.match(await newest.innerText(), /Renewal Sync/);
  await page.screenshot({ path: join(artifacts, 'activity.png'), fullPage: true });

  log('paging reaches every run');
  await page.click('#older-page');
  await page.getByText('Page 2').waitFor();
  assert.equal(await rows.count(), info.executions - 25);
  assert.equal(await page.locator('#older-page').isDisabled(), true);
  await page.click('#newer-page');
  await page.getByText('Page 1').waitFor();

  log('filtering by status');
  await page.selectOption('#filter-status', 'Failed');
  await page.waitForFunction((n) => {
    const r = document.querySelectorAll('table.executions tbody tr.execution');
    return r.length === n && [...r].every((x) => x.dataset.status === 'Failed');
  }, info.failed);
  assert.match(page.url(), /status=Failed/);
  await page.screenshot({ path: join(artifacts, 'activity-failed.png'), fullPage: true });
  await page.selectOption('#filter-status', 'Partial Success');
  await page.waitForFunction(() => {
    const r = document.querySelectorAll('table.executions tbody tr.execution');
    return r.length > 0 && [...r].every((x) => x.dataset.status === 'Partial Success');
  });
  await page.selectOption('#filter-status', '');
  await page.selectOption('#filter-job', 'Company Sync');
  await page.waitForFunction(() => {
    const r = document.querySelectorAll('table.executions tbody tr.execution');
    return r.length === 8;
  });

  log('the error-file link downloads the CSV byte for byte');
  const expectedErrors = readFileSync(info.errorFile.path);
  const row = page.locator(`tr[data-execution-id="${info.errorFile.executionId}"]`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.locator('a.download-errors').click(),
  ]);
  assert.equal(download.suggestedFilename(),
    `Company_Sync-${info.errorFile.executionId}.errors.csv`);
  const saved = join(artifacts, 'downloaded-errors.csv');
  await download.saveAs(saved);
  assert.ok(readFileSync(saved).equals(expectedErrors), 'downloaded error file differs');

  log('an execution\'s detail: counts and download buttons');
  await row.locator('td.status').click();
  await page.locator('.execution-detail').waitFor();
  const detail = await page.locator('.execution-detail').innerText();
  assert.match(detail, /Company Sync/);
  assert.match(detail, /Partial Success/);
  assert.match(detail, /492\s*Updated/);
  assert.match(detail, /3\s*Failed/);
  const [again] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.execution-detail a.download-errors').click(),
  ]);
  await again.saveAs(join(artifacts, 'downloaded-errors-detail.csv'));
  assert.ok(readFileSync(join(artifacts, 'downloaded-errors-detail.csv')).equals(expectedErrors));
  await page.screenshot({ path: join(artifacts, 'execution.png'), fullPage: true });

  log('the success file downloads too');
  await page.goto(`${info.url}/#/activity/${info.successFile.executionId}`);
  const [success] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.execution-detail a.download-success').click(),
  ]);
  await success.saveAs(join(artifacts, 'downloaded-success.csv'));
  assert.ok(readFileSync(join(artifacts, 'downloaded-success.csv'))
    .equals(readFileSync(info.successFile.path)), 'downloaded success file differs');

  log('a Deferred run: its badge, filter and replication facts');
  await page.goto(`${info.url}/#/activity?status=Deferred`);
  await page.waitForFunction(() => {
    const r = document.querySelectorAll('table.executions tbody tr.execution');
    return r.length === 1 && r[0].dataset.status === 'Deferred';
  });
  assert.equal(await page.locator('tr.execution.status-row-deferred .badge.status-deferred')
    .innerText(), 'Deferred');
  await page.goto(`${info.url}/#/activity/${info.deferred.executionId}`);
  await page.locator('.execution-detail h2 .badge.status-deferred').waitFor();
  const deferred = await page.locator('.execution-detail').innerText();
  assert.match(deferred, /Account Replica/);
  assert.match(deferred, /12\s*Deleted/);
  assert.match(deferred, /Mode\s*incremental via bulk/);
  assert.match(deferred, /Cursor at start\s*2026-03-06T05:00:00\.000Z\|0015g0000000tvxAAA/);
  assert.match(deferred, /Cursor at end\s*2026-03-06T23:59:59\.000Z\|0015g0000001T5GAAU/);
  assert.match(deferred, /API calls remaining\s*1\D?500/);
  assert.match(deferred, /next scheduled run resumes from the checkpoint/);
  await page.screenshot({ path: join(artifacts, 'execution-deferred.png'), fullPage: true });

  log('update activity; the token survives a reload (sessionStorage)');
  await page.reload();
  await page.click('.tabs a[data-view="updates"]');
  await page.locator('table.updates tbody tr.update').first().waitFor();
  assert.equal(await page.locator('table.updates tbody tr.update').count(), 4);
  assert.match(await page.locator('table.updates').innerText(), /IsDeleted = false/);
  await page.screenshot({ path: join(artifacts, 'updates.png'), fullPage: true });

  log('sign out forgets the token');
  await page.click('#sign-out');
  await page.locator('#login-form').waitFor();
  await page.reload();
  await page.locator('#login-form').waitFor();

  await context.close();
});
