// Issue 16, triage in a real browser (Debian's chromium via playwright-core) against
// admin_demo_server: an execution with failures shows the error summary (by reason code and by
// mapping), a paged preview with a reason-code filter and the download; "Re-run failed records"
// produces a new execution linked to the first with only those records; a chain execution lists its
// job runs' error files. Screenshots are kept as test artifacts.
//
// Usage: node triage.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { log, openPage, runBrowserTest, signIn } from './harness.mjs';

runBrowserTest({}, async ({ browser, info, artifacts, problems }) => {
  const { context, page } = await openPage(browser, problems, {
    options: { viewport: { width: 1366, height: 900 }, locale: 'en-US' },
    ignore: /401 \(Unauthorized\)/,
    acceptDialogs: true,
  });

  log('sign in');
  await signIn(page, info.url, info.token);

  const id = info.errorFile.executionId;
  log('the execution page shows the error summary by reason code and by mapping');
  await page.goto(`${info.url}/#/activity/${id}`);
  const errors = page.locator('.triage-errors');
  await errors.locator('.triage-counts tbody tr').first().waitFor();
  const [byReason, byMapping] = [errors.locator('.triage-group').nth(0), errors.locator('.triage-group').nth(1)];
  assert.equal(await byReason.locator('tbody tr').count(), 3);
  assert.match(await byReason.innerText(), /TYPE_CONVERSION/);
  assert.match(await byReason.innerText(), /LOOKUP_MULTIPLE_MATCHES/);
  assert.match(await byMapping.innerText(), /Parent\s+2/);
  assert.match(await errors.locator('.triage-summary').innerText(), /3 row\(s\)/);
  assert.match(await page.locator('.execution-detail').innerText(), /3 record\(s\) failed|Partial Success/);

  log('the preview pages the rows and filters by reason code');
  await errors.locator('.triage-rows tbody tr').first().waitFor();
  assert.equal(await errors.locator('.triage-rows tbody tr').count(), 3);
  assert.match(await errors.locator('.triage-range').innerText(), /1–3 of 3/);
  await errors.locator('select.triage-filter-errors option[value="LOOKUP_NO_MATCH"]').waitFor({ state: 'attached' });
  await errors.locator('select.triage-filter-errors').selectOption('LOOKUP_NO_MATCH');
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('.triage-errors .triage-rows tbody tr');
    return rows.length === 1 && rows[0].innerText.includes('001A000002');
  });
  assert.ok(await errors.locator('a.download-errors').isVisible(), 'download link missing');
  await page.screenshot({ path: join(artifacts, 'triage-execution.png'), fullPage: true });

  log('re-run failed records produces a linked execution with only those records');
  await errors.locator('button.triage-rerun').click();
  await page.locator('#notice').filter({ hasText: 're-run of 3 failed record(s)' }).waitFor();
  await page.locator('a.triage-rerun-link').click();
  await page.locator('.triage-link').waitFor();
  assert.match(await page.locator('.triage-link').innerText(), new RegExp(id));
  const rerun = await page.locator('.execution-detail').innerText();
  assert.match(rerun, /3\s*Read/);
  assert.match(rerun, /Company Sync/);
  await page.screenshot({ path: join(artifacts, 'triage-rerun.png'), fullPage: true });

  log('a chain execution lists its job runs\' error files');
  await page.goto(`${info.url}/#/activity/${id}`);
  await page.locator('.execution-detail dd a[href^="#/activity/"]').first().click();
  await page.locator('.triage-chain').waitFor();
  assert.match(await page.locator('.triage-chain').innerText(), /Company Sync: 3 failed record\(s\)/);
  assert.doesNotMatch(await page.locator('.execution-detail').innerText(), /no record failed/);
  await page.screenshot({ path: join(artifacts, 'triage-chain.png'), fullPage: true });

  await context.close();
});
