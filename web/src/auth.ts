import type { AppConfig } from './config';
import { readProblem } from './api';

/** Who is signed in. The token lives in this tab's sessionStorage only: never in a URL, never logged. */
export interface Session {
  subject: string;
  role: 'resident' | 'admin';
  expiresAt: string;
}

const KEY = 'apartment-manager.session';

interface Stored extends Session { token: string }

let current: Stored | null = null;
let msal: { token: () => Promise<string | null>; signOut: () => Promise<void> } | null = null;

export function session(): Session | null {
  if (!current) {
    const raw = sessionStorage.getItem(KEY);
    if (raw) {
      try {
        current = JSON.parse(raw) as Stored;
      } catch {
        sessionStorage.removeItem(KEY);
      }
    }
  }
  if (current && new Date(current.expiresAt).getTime() <= Date.now()) {
    signOutLocal();
  }
  return current ? { subject: current.subject, role: current.role, expiresAt: current.expiresAt } : null;
}

export async function token(): Promise<string | null> {
  if (msal) return msal.token();
  session();
  return current?.token ?? null;
}

function keep(stored: Stored): void {
  current = stored;
  sessionStorage.setItem(KEY, JSON.stringify(stored));
}

function signOutLocal(): void {
  current = null;
  sessionStorage.removeItem(KEY);
}

export async function signOut(): Promise<void> {
  signOutLocal();
  if (msal) await msal.signOut();
}

/** Single node: POST /dev/token (development sign-in; the host offers it only on loopback unless configured). */
export async function devSignIn(config: AppConfig, subject: string, role: 'resident' | 'admin'): Promise<Session> {
  const response = await fetch(`${config.apiBaseUrl}/dev/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ subject, role }),
    cache: 'no-store',
  });
  if (!response.ok) throw await readProblem(response);
  const answer = (await response.json()) as { accessToken: string; subject: string; role: 'resident' | 'admin'; expiresAt: string };
  keep({ token: answer.accessToken, subject: answer.subject, role: answer.role, expiresAt: answer.expiresAt });
  return session()!;
}

/** Azure: Entra ID through MSAL (loaded only in that mode, so the single-node bundle stays small). */
export async function msalSignIn(config: AppConfig, interactive: boolean): Promise<Session | null> {
  const { startMsal } = await import('./msal');
  const result = await startMsal(config, interactive);
  if (!result) return null;
  msal = { token: result.token, signOut: result.signOut };
  keep({ token: '', subject: result.subject, role: result.role, expiresAt: result.expiresAt });
  return session();
}
