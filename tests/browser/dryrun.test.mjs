// The dry-run view (issue 16) in Debian's chromium via playwright-core against admin_demo_server
// (a real AdminServer; its FakeAdminControl answers a canned dry-run report): every job row links
// to the view, "Start dry run" shows the counts, per-column changed counts and the old -> new diff,
// the JSON report downloads, and a refused dry run (409: the job runs) says why. Screenshots go to
// <artifacts>/dryrun/. Any failure exits non-zero.
//
// Usage: node dryrun.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, openPage, runBrowserTest, signIn } from './harness.mjs';

const TIME_ZONE = 'Asia/Tokyo'; // UTC+9, no DST: 10:00Z shows as 19:00

runBrowserTest({ dir: 'dryrun' }, async ({ browser, info, artifacts, problems }) => {
  const { context, page } = await openPage(browser, problems, {
    options: {
      viewport: { width: 1366, height: 768 }, timezoneId: TIME_ZONE, locale: 'en-US', acceptDownloads: true,
    },
    ignore: /\((Unauthorized|Conflict)\)/,
  });

  log('sign in; every job row offers a dry run');
  await signIn(page, info.url, info.token);
  assert.equal(await page.locator('table.jobs a.dryrun-link').count(), 3);

  log('the dry-run view of a job shows counts, per-column changes and the old -> new diff');
  await page.click('table.jobs tr[data-name="Person Sync"] a.dryrun-link');
  await page.locator('section.dryrun h2').filter({ hasText: 'Dry run: Person Sync' }).waitFor();
  await page.fill('#dryrun-max', '500');
  await page.click('.dryrun-form button[type=submit]');
  await page.locator('table.dryrun-samples tbody tr').first().waitFor();
  assert.equal(await page.locator('[data-count="wouldCreate"] .dryrun-tile-value').innerText(), '1');
  assert.equal(await page.locator('[data-count="wouldUpdate"] .dryrun-tile-value').innerText(), '1');
  assert.equal(await page.locator('[data-count="unchanged"] .dryrun-tile-value').innerText(), '9');
  assert.equal(await page.locator('[data-count="rejected"] .dryrun-tile-value').innerText(), '1');
  assert.match(await page.locator('table.dryrun-targets').innerText(), /Amount: 1/);
  const update = page.locator('table.dryrun-samples tbody tr[data-action="update"]');
  assert.equal(await update.locator('td.dryrun-old').innerText(), '48000');
  assert.equal(await update.locator('td.dryrun-new').innerText(), '12345.5');
  const created = page.locator('table.dryrun-samples tbody tr[data-action="create"]');
  assert.equal(await created.locator('td.dryrun-old').innerText(), 'null');
  assert.match(await page.locator('table.dryrun-rejections').innerText(), /REQUIRED_MISSING/);
  await page.screenshot({ path: join(artifacts, 'dry-run.png'), fullPage: true });

  log('the report downloads as JSON');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('button.dryrun-download').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'dry-run-person_sync.json');
  const saved = join(artifacts, 'dry-run-person_sync.json');
  await download.saveAs(saved);
  const report = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(report.job, 'Person Sync');
  assert.equal(report.maxRecords, 500);
  assert.equal(report.samples[0].changes[0].new, '12345.5');

  log('a refused dry run (the job runs) says why');
  await page.goto(`${info.url}#/dry-run/${encodeURIComponent('Renewal Sync')}`);
  await page.locator('section.dryrun h2').filter({ hasText: 'Renewal Sync' }).waitFor();
  await page.click('.dryrun-form button[type=submit]');
  await page.locator('.dryrun-error').waitFor();
  assert.match(await page.locator('.dryrun-error').innerText(), /already running/);
  await page.screenshot({ path: join(artifacts, 'dry-run-refused.png'), fullPage: true });

  await context.close();
});
