// Issue 17, the job and chain editor, in Debian's chromium via playwright-core against
// admin_demo_server --editor 1 (the REAL daemon runtime and editor over a temporary configuration
// and the Salesforce simulator, with Account / Contact / User in the metadata cache): create a
// custom job in the form (fields picked from the cached describe, a derived mapping), see a
// validation error at the match pair's field, fix it, see the JSON follow the form and the form
// follow the JSON, save, run it and see it in the activity; a save over a version someone else
// changed says so and reloads; reorder a chain, add a dependency and see the DAG; deleting a job a
// chain uses names the chain. axe-core checks each editor view. Screenshots in <artifacts>/editor/.
//
// Usage: node editor.test.mjs --server <admin_demo_server> --artifacts <dir>
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axeCheck, log, openPage, runBrowserTest, signIn } from './harness.mjs';

const path = (p) => `#editor-form [data-path="${p}"]`;

runBrowserTest({ dir: 'editor', serverArgs: ['--editor', '1'] }, async ({
  browser, info, artifacts, problems,
}) => {
  const apiCall = (target, options = {}) => fetch(`${info.url}${target}`, {
    ...options, headers: { Authorization: `Bearer ${info.token}`, ...(options.headers || {}) },
  });
  const a11y = [];
  const { context, page } = await openPage(browser, problems, {
    options: { viewport: { width: 1400, height: 900 }, timezoneId: 'UTC', locale: 'en-US', bypassCSP: true },
    timeout: 20000,
    acceptDialogs: true,
    // Refused requests (404 describe of a half-typed object, 409, 412) are answers, not bugs.
    ignore: /status of (404|409|412|422)/,
  });

  log('sign in and open the editor from the navigation');
  await signIn(page, info.url, info.token);
  await page.click('.tabs a[data-view="edit"]');
  await page.locator('table.editor-list.jobs tr[data-name="Companies"]').waitFor();
  assert.equal(await page.locator('.tabs a[data-view="edit"]').getAttribute('data-requires'), 'admin');
  a11y.push(...await axeCheck(page, artifacts, 'list'));

  log('a new job: source object and fields from the cached describe');
  await page.click('a.button:has-text("New job")');
  await page.locator('#editor-form').waitFor();
  await page.fill(path('name'), 'Contacts Sync');
  await page.fill(path('source.object'), 'Contact');
  await page.locator('#editor-picker-list tr[data-field="Email"]').waitFor();
  await page.fill('#editor-field-search', 'mail');
  const emailRow = page.locator('#editor-picker-list tr[data-field="Email"]');
  assert.match(await emailRow.innerText(), /email/);      // the type
  assert.match(await emailRow.innerText(), /yes|no/);     // updateable
  await emailRow.locator('button[data-map-field="Email"]').click();
  await page.fill('#editor-field-search', '');
  await page.locator('#editor-picker-list button[data-map-field="Id"]').click();
  await page.check(path('mappings[1].upsertKey'));
  await page.fill(path('target.object'), 'Person');

  log('a derived mapping with a misspelt match field: the error shows at that field');
  await page.click('#editor-add-derived');
  await page.fill(path('derivedMappings[0].target'), 'CompanyId');
  await page.fill(path('derivedMappings[0].lookup'), 'Company');
  await page.fill(path('derivedMappings[0].match[0].source'), 'AcountId');
  await page.fill(path('derivedMappings[0].match[0].target'), 'SfdcAccountId');
  const matchProblem = page.locator(
    '.editor-problem[data-problem-path="derivedMappings[0].match[0].source"]');
  await matchProblem.waitFor();
  assert.match(await matchProblem.innerText(), /AcountId/);
  assert.equal(await page.locator(path('derivedMappings[0].match[0].source'))
    .getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#editor-validity').getAttribute('data-errors'), '1');
  await page.screenshot({ path: join(artifacts, 'job-problem.png'), fullPage: true });
  a11y.push(...await axeCheck(page, artifacts, 'job-with-problem'));

  log('fix it: the problem goes; the JSON beside the form follows');
  await page.fill(path('derivedMappings[0].match[0].source'), 'AccountId');
  await page.locator('#editor-validity.editor-valid').waitFor();
  assert.equal(await matchProblem.count(), 0);
  const json = JSON.parse(await page.inputValue('#editor-json'));
  assert.equal(json.derivedMappings[0].match[0].source, 'AccountId');
  assert.deepEqual(json.mappings.map((m) => m.source), ['Email', 'Id']);

  log('edit the JSON directly: the form follows');
  const edited = { ...json, derivedMappings: [{ ...json.derivedMappings[0], onNoMatch: 'reject' }] };
  await page.fill('#editor-json', JSON.stringify(edited, null, 2));
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === 'reject',
    path('derivedMappings[0].onNoMatch'));

  log('save: the job is created and reloaded');
  await page.click('#editor-save');
  await page.waitForURL(/#\/edit\/job\/Contacts%20Sync$/);
  await page.locator('#notice').filter({ hasText: "Saved job 'Contacts Sync'" }).waitFor();
  const created = await (await apiCall('/api/jobs/Contacts%20Sync')).json();
  assert.equal(JSON.parse(created.text).derivedMappings[0].onNoMatch, 'reject');

  log('run it from the overview and see it in the activity');
  await page.goto(`${info.url}#/`);
  const row = page.locator('table.jobs tr[data-name="Contacts Sync"]');
  await row.locator('button[data-action="run"]').click();
  await page.goto(`${info.url}#/activity?job=${encodeURIComponent('Contacts Sync')}`);
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('tr.execution');
    if (rows.length && !/Running/.test(rows[0].innerText)) return true;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return false;
  }, null, { polling: 1000, timeout: 60000 });
  assert.match(await page.locator('tr.execution').first().innerText(), /Contacts Sync/);

  log('a save over a version someone else changed: "changed by someone else", then reload');
  await page.goto(`${info.url}#/edit/job/Companies`);
  await page.locator(path('name')).waitFor();
  const current = await (await apiCall('/api/jobs/Companies')).json();
  const theirs = current.text.replace('"Name"}', '"CompanyName"}');
  assert.notEqual(theirs, current.text);
  const put = await apiCall('/api/jobs/Companies', {
    method: 'PUT', body: theirs, headers: { 'If-Match': current.etag },
  });
  assert.equal(put.status, 200);
  await page.fill(path('mappings[1].target'), 'Mine');
  await page.click('#editor-save');
  await page.locator('#editor-message').filter({ hasText: 'changed by someone else' }).waitFor();
  await page.click('#editor-reload');
  await page.waitForFunction((sel) => document.querySelector(sel)?.value === 'CompanyName',
    path('mappings[1].target'));

  log('a chain: its graph from the jobs\' dependsOn, reorder, an explicit dependency, save');
  await page.goto(`${info.url}#/edit/chain/Nightly`);
  await page.locator('#editor-dag').waitFor();
  assert.equal(await page.locator('#editor-dag g[data-node="Users"]').getAttribute('data-order'), '1');
  await page.locator('#editor-dag g[data-edge="Users->Companies"] line.editor-dag-derived')
    .waitFor({ state: 'attached' });
  await page.click('button[aria-label="Move Companies up"]');
  await page.locator('#editor-dag g[data-node="Companies"][data-order="1"]').waitFor();
  await page.click('button:has-text("Add dependency")');
  await page.selectOption(path('dependencies[0].job'), 'Companies');
  await page.selectOption(path('dependencies[0].after'), 'Users');
  await page.selectOption(path('dependencies[0].condition'), 'success');
  const edge = page.locator('#editor-dag g[data-edge="Users->Companies"]');
  await edge.locator('text').filter({ hasText: /^success$/ }).waitFor();
  assert.equal(await edge.locator('line.editor-dag-derived').count(), 0);
  // Companies is drawn right of Users (one level later) although it is first in the order.
  const x = async (name) => Number(await page.locator(`#editor-dag g[data-node="${name}"] rect`)
    .getAttribute('x'));
  assert.ok(await x('Companies') > await x('Users'));
  await page.locator('#editor-validity.editor-valid').waitFor();
  await page.screenshot({ path: join(artifacts, 'chain-dag.png'), fullPage: true });
  a11y.push(...await axeCheck(page, artifacts, 'chain'));
  await page.click('#editor-save');
  await page.locator('#notice').filter({ hasText: "Saved chain 'Nightly'" }).waitFor();
  const chain = await (await apiCall('/api/chains/Nightly')).json();
  assert.deepEqual(JSON.parse(chain.text).jobs, ['Companies', 'Users']);
  assert.deepEqual(JSON.parse(chain.text).dependencies,
    [{ job: 'Companies', after: 'Users', condition: 'success' }]);

  log('deleting a job a chain uses is refused, naming the chain');
  await page.goto(`${info.url}#/edit/job/Companies`);
  await page.locator('#editor-json').waitFor();
  await page.click('#editor-delete');
  await page.locator('#editor-message').filter({ hasText: 'Nightly' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'delete-refused.png'), fullPage: true });

  log('a second target turns the form into "targets"; removing it turns it back');
  await page.goto(`${info.url}#/edit/job`);
  await page.fill(path('target.object'), 'Person');
  await page.click('#editor-add-target');
  await page.locator(path('targets[1].object')).waitFor();
  let draft = JSON.parse(await page.inputValue('#editor-json'));
  assert.deepEqual(draft.targets.map((t) => t.object), ['Person', '']);
  assert.equal(draft.target, undefined);
  await page.click('button:has-text("Remove target 2")');
  await page.locator(path('target.object')).waitFor();
  draft = JSON.parse(await page.inputValue('#editor-json'));
  assert.equal(draft.target.object, 'Person');
  assert.equal(draft.targets, undefined);

  assert.deepEqual(a11y, [], 'accessibility violations');
  await context.close();
});
