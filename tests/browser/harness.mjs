// Shared by the admin page's browser tests (*.test.mjs, run by run-browser-test): the command-line
// arguments, admin_demo_server started as a child process, Debian's chromium launched headless
// through playwright-core, the step log that names where a test failed, the frame every test runs
// in (runBrowserTest), a page that collects the errors it logs (openPage), the sign-in (signIn) and
// the axe-core check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const CHROMIUM = process.env.SFSYNC_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage',
];

export function argument(name) {
  const i = process.argv.indexOf(name);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[i + 1];
}

// Starts admin_demo_server with `args`; `info` resolves with the JSON line it prints (url, token...).
export function startServer(path, args = []) {
  const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`admin_demo_server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  return { child, info };
}

// Headless chromium; a clear error when it cannot start (missing package).
export async function launchChromium() {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  } catch (e) {
    throw new Error(`chromium (${CHROMIUM}) did not start - install it with scripts/install-deps: ${e.message}`);
  }
}

let step = 'start';
// Prints a step and remembers it, so a failure says where it happened (currentStep()).
export function log(message) {
  step = message;
  console.log(`- ${message}`);
}
export function currentStep() {
  return step;
}

// Runs axe-core on the page (injected once), writes every violation to <artifacts>/axe-<label>.json
// and returns the serious and critical ones as readable lines (a test asserts the list is empty).
export async function axeCheck(page, artifacts, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  writeFileSync(join(artifacts, `axe-${label}.json`), JSON.stringify(results, null, 2));
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`);
}

// The frame of one test file: creates the artifacts directory (<--artifacts>/<dir>, or --artifacts
// itself when dir is empty), starts admin_demo_server (--server) with serverArgs, launches chromium
// and runs body({ browser, info, artifacts, problems }) (info: the server's JSON line; problems: the
// errors openPage collects). Then asserts problems is empty, closes chromium and ends the server's
// stdin (in a finally) and prints "PASS; <kept> in <artifacts>". Any error prints
// FAIL at "<currentStep()>": <stack> and exits 1.
export function runBrowserTest({ dir = '', serverArgs = [], kept = 'screenshots' }, body) {
  async function main() {
    const artifacts = dir ? join(argument('--artifacts'), dir) : argument('--artifacts');
    mkdirSync(artifacts, { recursive: true });
    const server = startServer(argument('--server'), serverArgs);
    const info = await server.info;
    log(`server at ${info.url}`);
    const browser = await launchChromium();
    const problems = [];
    try {
      await body({ browser, info, artifacts, problems });
      assert.deepEqual(problems, [], 'the page logged errors');
    } finally {
      await browser.close();
      server.child.stdin.end();
    }
    console.log(`PASS; ${kept} in ${artifacts}`);
  }
  return main().catch((e) => {
    console.error(`FAIL at "${currentStep()}": ${e.stack || e}`);
    process.exit(1);
  });
}

// A page in a new browser context made with `options`: default timeout `timeout` ms; its page
// errors and console errors go to `problems`, except console errors whose text matches `ignore`;
// with acceptDialogs, confirm() and alert() dialogs are accepted. Returns { context, page }.
export async function openPage(browser, problems,
  { options = {}, timeout = 15000, ignore, acceptDialogs = false } = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  if (acceptDialogs) page.on('dialog', (d) => d.accept());
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(ignore && ignore.test(m.text()))) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  return { context, page };
}

// Signs in: opens url, enters token in the sign-in form, submits it and waits for `ready` (by
// default the first row of the overview's jobs table).
export async function signIn(page, url, token, ready = page.locator('table.jobs tbody tr').first()) {
  await page.goto(url);
  await page.fill('#token-input', token);
  await page.click('#login-form button[type=submit]');
  await ready.waitFor();
}
