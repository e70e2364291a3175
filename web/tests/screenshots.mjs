// Takes the README's screenshots (web/screenshots/*.png) from the real host with a few seeded requests:
//   node tests/screenshots.mjs
import { mkdir } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost, startBrowser, signIn } from './harness.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
await mkdir(out, { recursive: true });
const host = await startHost();
const browser = await startBrowser();
try {
  const resident = await host.token('resident-42', 'resident');
  const choice = await host.fileDecided(resident, 'Can I get a copy of my lease renewal?', '4B');
  await host.fileDecided(resident, 'Water is pouring from under my kitchen sink', '4B');
  const other = await host.token('resident-17', 'resident');
  await host.fileAwaitingApproval(other, '2A');
  await host.fileDecided(other, 'My rent charge looks wrong this month', '2A');
  await host.fileDecided(await host.token('resident-8', 'resident'), 'sparks from the outlet in the kitchen and a burning smell', '8D');

  const shoot = async (viewport, role, subject, hash, waitFor, name) => {
    const context = await browser.newContext({ viewport, timezoneId: 'America/Chicago', locale: 'en-US', deviceScaleFactor: 1 });
    const page = await context.newPage();
    await signIn(page, host.baseUrl, role, subject);
    await page.goto(`${host.baseUrl}/${hash}`);
    await page.locator(waitFor).first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, name), fullPage: true });
    await context.close();
    console.log(`screenshots: ${name}`);
  };
  await shoot({ width: 1200, height: 900 }, 'resident', 'resident-42', `#/requests/${choice.id}`, 'article.option', 'resident-request.png');
  await shoot({ width: 390, height: 844 }, 'resident', 'resident-42', '#/requests', '.request-item', 'resident-phone.png');
  await shoot({ width: 1200, height: 900 }, 'admin', 'manager-1', '#/manager/approvals', 'article.approval', 'manager-approvals.png');
  await shoot({ width: 1200, height: 800 }, 'admin', 'manager-1', '#/manager/queue', 'table.queue', 'manager-queue.png');
  await shoot({ width: 1200, height: 900 }, 'admin', 'manager-1', '#/manager/dashboard', '.tiles', 'manager-dashboard.png');
} finally {
  await browser.close();
  await host.stop();
}
