import { h, replace } from './dom';
import { Api } from './api';
import { loadConfig, type AppConfig } from './config';
import { loadCapabilities } from './capabilities';
import { session, signOut, token, msalSignIn, type Session } from './auth';
import type { Ctx, View } from './context';
import { signInView } from './views/signin';
import { residentHome } from './views/resident';
import { requestView } from './views/request';
import { queueView, approvalsView } from './views/manager';
import { dashboardView } from './views/dashboard';
import { deadLettersView } from './views/deadletters';

interface Route { pattern: RegExp; view: View; role?: 'resident' | 'admin'; nav?: string }

const routes: Route[] = [
  { pattern: /^#\/requests$/, view: residentHome, role: 'resident', nav: 'My requests' },
  { pattern: /^#\/requests\/([^/]+)$/, view: requestView },
  { pattern: /^#\/manager\/queue$/, view: queueView, role: 'admin', nav: 'Queue' },
  { pattern: /^#\/manager\/approvals$/, view: approvalsView, role: 'admin', nav: 'Approvals' },
  { pattern: /^#\/manager\/dashboard$/, view: dashboardView, role: 'admin', nav: 'Dashboard' },
  { pattern: /^#\/manager\/dead-letters$/, view: deadLettersView, role: 'admin', nav: 'Dead letters' },
];
const NAV_HASH: Record<string, string> = {
  'My requests': '#/requests', Queue: '#/manager/queue', Approvals: '#/manager/approvals', Dashboard: '#/manager/dashboard', 'Dead letters': '#/manager/dead-letters',
};

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const live = document.getElementById('live')!;
let cleanup: (() => void) | void;
let config: AppConfig;
let api: Api;

function announce(message: string): void {
  live.textContent = '';
  window.setTimeout(() => { live.textContent = message; }, 50);
}

function home(s: Session): string {
  return s.role === 'admin' ? '#/manager/queue' : '#/requests';
}

function renderNav(s: Session | null): void {
  if (!s) {
    replace(nav);
    return;
  }
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', () => void signOut().then(() => { window.location.hash = '#/sign-in'; route(); }));
  replace(nav,
    h('ul', {}, routes.filter(r => r.nav && r.role === s.role).map(r => h('li', {},
      h('a', { href: NAV_HASH[r.nav!]!, 'aria-current': window.location.hash === NAV_HASH[r.nav!] ? 'page' : null }, r.nav!)))),
    h('span', { class: 'who' }, `${s.role === 'admin' ? 'Manager' : 'Resident'} ${s.subject}`),
    out);
}

function route(): void {
  if (cleanup) cleanup();
  cleanup = undefined;
  const s = session();
  renderNav(s);
  if (!s) {
    document.title = 'Sign in — Apartment Manager';
    signInView(main, config, signedIn => { window.location.hash = home(signedIn); route(); });
    return;
  }
  const hash = window.location.hash || home(s);
  const match = routes.map(r => ({ r, m: r.pattern.exec(hash) })).find(x => x.m);
  if (!match || (match.r.role && match.r.role !== s.role)) {
    window.location.replace(home(s));
    return;
  }
  const ctx: Ctx = {
    api, config, session: s, announce,
    navigate: target => { window.location.hash = target; },
  };
  cleanup = match.r.view(ctx, main, match.m!.slice(1).map(decodeURIComponent));
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'Apartment Manager'} — Apartment Manager`;
  main.focus({ preventScroll: true });
}

async function start(): Promise<void> {
  config = await loadConfig();
  api = new Api(config.apiBaseUrl, token, () => {
    void signOut().then(() => { announce('Your session ended. Please sign in again.'); window.location.hash = '#/sign-in'; });
  });
  await loadCapabilities(config);
  if (config.auth === 'msal') {
    try {
      await msalSignIn(config, false);
    } catch {
      /* shown on the sign-in page */
    }
  }
  window.addEventListener('hashchange', route);
  route();
}

void start();
