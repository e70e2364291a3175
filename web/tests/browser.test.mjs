// The web app in a real browser against the real single-node host: a handful of fast flows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHost, startBrowser, signIn, seriousViolations } from './harness.mjs';

let host;
let browser;

before(async () => {
  host = await startHost();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await host?.stop();
});

/** A fresh context per test; bypassCSP only so the test can inject axe-core (the app itself runs under its CSP). */
async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, bypassCSP: true, timezoneId: 'America/Chicago', locale: 'en-US' });
  const page = await context.newPage();
  const seen = [];
  page.on('request', r => seen.push(r.url()));
  page.on('console', m => seen.push(`console: ${m.text()}`));
  return { context, page, seen };
}

/**
 * How long a step may take to show up in the page: the pipeline runs in the host and the page polls with backoff.
 * Patience, not a speed check — generous so that a busy build machine does not fail a correct flow.
 */
const PIPELINE_PATIENCE_MS = 120_000;

function assertNoTokenLeak(seen) {
  for (const line of seen) {
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(line), `a token appeared in a URL or the console: ${line.slice(0, 120)}`);
  }
}

test('a resident files a request, sees the simulated options and chooses one (phone width)', async () => {
  const { context, page, seen } = await newPage({ width: 390, height: 844 });
  await signIn(page, host.baseUrl, 'resident', 'resident-web-1');
  await page.getByLabel('Building').fill('maple-court');
  await page.getByLabel('Unit').fill('12C');
  await page.getByLabel('What is the problem?').fill('Can I get a copy of my lease renewal?');
  await page.getByRole('button', { name: 'Send request' }).click();

  // The request page polls until the pipeline has decided; this message lets the resident choose. A lease question's
  // risk is low at any hour and season (the risk model rates winter nights higher: a rattling bathroom fan, now read as
  // HVAC, went to a manager at 02:00 UTC in December and the page never offered a choice).
  await page.getByRole('heading', { name: 'Choose an option' }).waitFor({ timeout: PIPELINE_PATIENCE_MS });
  const cards = page.locator('article.option');
  assert.ok(await cards.count() >= 2, 'at least two options are offered');
  const first = cards.first();
  const text = await first.innerText();
  assert.match(text, /Typical time/);
  assert.match(text, /9 in 10 within/);
  assert.match(text, /Expected satisfaction/);
  await page.getByRole('heading', { name: 'Recommendation' }).waitFor();

  const chosenId = await cards.nth(1).getAttribute('data-option-id');
  await cards.nth(1).getByRole('button', { name: 'Choose this option' }).click();
  await page.locator('article.option.selected').waitFor({ timeout: PIPELINE_PATIENCE_MS });
  assert.equal(await page.locator('article.option.selected').getAttribute('data-option-id'), chosenId);
  await page.waitForFunction(() => !document.querySelector('[data-testid=status]')?.textContent?.includes('Awaiting resident choice'), null, { timeout: PIPELINE_PATIENCE_MS });
  assert.equal(await page.getByRole('button', { name: 'Choose this option' }).count(), 0, 'no choice is offered once chosen');

  // The page fits a phone: nothing wider than the viewport.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone screen`);
  assertNoTokenLeak(seen);
  assert.equal(await page.evaluate(() => window.localStorage.length), 0, 'nothing is kept in localStorage');
  await context.close();
});

test("an invalid submission shows the API's message next to the field", async () => {
  const { context, page } = await newPage();
  await signIn(page, host.baseUrl, 'resident', 'resident-web-2');
  await page.getByText('You have not reported anything yet').waitFor(); // the empty state, not an endless spinner
  await page.getByLabel('Building').fill('maple-court');
  await page.getByLabel('Unit').fill('3A');
  await page.getByLabel('What is the problem?').fill('   ');
  await page.getByRole('button', { name: 'Send request' }).click();

  const message = page.getByLabel('What is the problem?');
  await page.waitForFunction(() => document.querySelector('textarea[name=message]')?.getAttribute('aria-invalid') === 'true');
  const describedBy = (await message.getAttribute('aria-describedby')).split(' ');
  const errorText = await page.locator(`#${describedBy.at(-1)}`).innerText();

  // The same words the API answers for that field.
  const token = await host.token('resident-web-2', 'resident');
  const api = await fetch(`${host.baseUrl}/api/v1/requests`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ building: 'maple-court', unit: '3A', message: '   ', channel: 'web' }),
  });
  assert.equal(api.status, 400);
  assert.equal(api.headers.get('content-type'), 'application/problem+json');
  const problem = await api.json();
  const key = Object.keys(problem.errors).find(k => k.toLowerCase() === 'message');
  assert.ok(key, 'the API names the message field');
  assert.equal(errorText, problem.errors[key].join(' '));
  assert.equal(await page.locator('[role=alert] .problem, .problem').count() > 0, true, 'the detail is shown too');
  assert.equal(await page.locator('.request-item').count(), 0, 'nothing was filed');
  await context.close();
});

test('a manager approves a request awaiting approval and sees it move on', async () => {
  const resident = await host.token('resident-web-3', 'resident');
  const request = await host.fileAwaitingApproval(resident, '7F');

  const { context, page, seen } = await newPage();
  await signIn(page, host.baseUrl, 'admin', 'manager-web');
  await page.getByRole('link', { name: 'Approvals' }).click();
  const card = page.locator(`article.approval[data-request-id="${request.id}"]`);
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /Risk \d+%/);
  assert.match(text, /Score \d/);
  await card.getByRole('button', { name: 'Approve' }).click();
  await card.waitFor({ state: 'detached', timeout: PIPELINE_PATIENCE_MS });

  // In the queue it is no longer awaiting approval.
  await page.getByRole('link', { name: 'Queue' }).click();
  const row = page.locator(`tr[data-request-id="${request.id}"]`);
  await row.waitFor();
  await page.waitForFunction(id => !document.querySelector(`tr[data-request-id="${id}"]`)?.textContent?.includes('Awaiting manager approval'), request.id, { timeout: PIPELINE_PATIENCE_MS });
  // Manager ids are internal: the resident's view names a manager only as 'manager', so read the manager's view.
  const manager = await host.token('manager-web', 'admin');
  const after = await (await fetch(`${host.baseUrl}/api/v1/requests/${request.id}`, { headers: { Authorization: `Bearer ${manager}` } })).json();
  assert.notEqual(after.status, 'awaiting_manager_approval');
  assert.ok(after.history.some(h => h.actor.includes('manager-web')), 'the approval is in the history under the manager');
  assertNoTokenLeak(seen);
  await context.close();
});

test('axe-core finds no serious or critical violation in the main views', async () => {
  const resident = await host.token('resident-web-4', 'resident');
  const choice = await host.fileDecided(resident, 'Can I get a copy of my lease renewal?', '2B');
  const approval = await host.fileAwaitingApproval(resident, '2C');
  const { context, page } = await newPage();
  const found = {};
  await page.goto(`${host.baseUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  found['sign-in'] = await seriousViolations(page);

  // Keyboard only: the sign-in page puts the focus in the id field; Enter submits.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'subject');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('resident-web-4');
  await page.keyboard.press('Enter');
  await page.locator('.request-item').first().waitFor();
  found['resident home'] = await seriousViolations(page);
  await page.goto(`${host.baseUrl}/#/requests/${choice.id}`);
  await page.locator('article.option').first().waitFor();
  found['resident request'] = await seriousViolations(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, host.baseUrl, 'admin', 'manager-a11y');
  await page.locator('table.queue').waitFor();
  found['manager queue'] = await seriousViolations(page);
  await page.goto(`${host.baseUrl}/#/manager/approvals`);
  await page.locator('article.approval').first().waitFor();
  found.approvals = await seriousViolations(page);
  await page.goto(`${host.baseUrl}/#/requests/${approval.id}`);
  await page.getByRole('heading', { name: 'Score breakdown' }).waitFor();
  found['manager request'] = await seriousViolations(page);
  await page.goto(`${host.baseUrl}/#/manager/dashboard`);
  await page.locator('.tiles').waitFor();
  found.dashboard = await seriousViolations(page);
  await page.goto(`${host.baseUrl}/#/manager/dead-letters`);
  await page.getByRole('heading', { name: /Requests intake|Requests-intake/i }).first().waitFor();
  found['dead letters'] = await seriousViolations(page);

  const problems = Object.entries(found).filter(([, v]) => v.length > 0);
  assert.deepEqual(problems, [], JSON.stringify(problems, null, 2));
  await context.close();
});
