// Starts the real single-node host (fresh data directory, free loopback port) and a real Chromium (Debian's,
// driven by playwright-core; no browser download). Used by browser.test.mjs and screenshots.mjs.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function findChromium() {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)) {
    try {
      await access(candidate);
      return candidate;
    } catch { /* next */ }
  }
  throw new Error("Chromium not found: install Debian's 'chromium' package (tests/run-tests.sh does) or set CHROMIUM_PATH.");
}

/** The host's build output (web/tests/run.sh builds it); HOST_DLL overrides. */
function hostDll() {
  return process.env.HOST_DLL ?? join(repo, 'functions/ApartmentManager.SingleNode/bin/Debug/net10.0/ApartmentManager.SingleNode.dll');
}

export async function startHost() {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'am-web-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn('dotnet', [hostDll(), '--urls', baseUrl, '--Storage:DataDirectory', dataDirectory, '--Logging:LogLevel:Default', 'Warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', d => output.push(d.toString()));
  child.stderr.on('data', d => output.push(d.toString()));
  let exited = null;
  child.on('exit', code => { exited = code; });
  for (let i = 0; i < 600; i++) {
    if (exited !== null) throw new Error(`the host exited (${exited}):\n${output.join('')}`);
    try {
      const r = await fetch(`${baseUrl}/api/v1/health/ready`);
      if (r.ok) break;
    } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
    if (i === 599) throw new Error(`the host did not become ready:\n${output.join('')}`);
  }
  return {
    baseUrl,
    output,
    async token(subject, role) {
      const r = await fetch(`${baseUrl}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, role }) });
      return (await r.json()).accessToken;
    },
    /** Files a request over the API and waits until the pipeline has decided it. */
    async fileDecided(token, message, unit = '4B') {
      const created = await (await fetch(`${baseUrl}/api/v1/requests`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': `${message}-${unit}` },
        body: JSON.stringify({ building: 'maple-court', unit, message, channel: 'web' }),
      })).json();
      for (let i = 0; i < 300; i++) {
        const r = await (await fetch(`${baseUrl}/api/v1/requests/${created.id}`, { headers: { Authorization: `Bearer ${token}` } })).json();
        if (r.decision && r.status !== 'decided') return r;
        await new Promise(res => setTimeout(res, 100));
      }
      throw new Error(`request ${created.id} was not decided in time`);
    },
    /** Files messages the pipeline usually sends to a manager until one awaits approval (risk depends on history). */
    async fileAwaitingApproval(token, unit) {
      const messages = [
        'The front door lock of the building is broken, anyone can get in',
        'Rats in the kitchen again, third time this month',
        'My neighbour plays loud music every night until 3am',
        'The front door lock of the building is broken again, strangers walk in at night',
      ];
      const seen = [];
      for (const message of messages) {
        const r = await this.fileDecided(token, message, unit);
        if (r.status === 'awaiting_manager_approval') return r;
        seen.push(`${message}: ${r.status}`);
      }
      throw new Error(`no message went to a manager: ${seen.join('; ')}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise(r => (exited !== null ? r() : child.once('exit', r)));
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

export async function startBrowser() {
  return chromium.launch({ executablePath: await findChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Signs in through the page's development sign-in form. */
export async function signIn(page, baseUrl, role, subject) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(role === 'admin' ? 'Property manager' : 'Resident').check();
  await page.getByLabel('Your id').fill(subject);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** axe-core in the page; answers the violations of impact serious or critical. */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: join(repo, 'web/node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')})`);
}
