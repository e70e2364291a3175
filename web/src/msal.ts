import { PublicClientApplication, InteractionRequiredAuthError, type AccountInfo } from '@azure/msal-browser';
import type { AppConfig } from './config';

/** Entra ID sign-in for the Azure deployment. App roles 'admin' / 'resident' are the API's own (roles claim). */
export async function startMsal(config: AppConfig, interactive: boolean) {
  if (!config.clientId || !config.authority || !config.apiScope) {
    throw new Error('config.json lacks clientId, authority or apiScope for Entra ID sign-in.');
  }
  const app = new PublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri: window.location.origin + window.location.pathname },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await app.initialize();
  const redirect = await app.handleRedirectPromise();
  const account: AccountInfo | null = redirect?.account ?? app.getAllAccounts()[0] ?? null;
  if (!account) {
    if (interactive) await app.loginRedirect({ scopes: [config.apiScope] });
    return null;
  }
  app.setActiveAccount(account);
  const scopes = [config.apiScope];
  const token = async (): Promise<string | null> => {
    try {
      return (await app.acquireTokenSilent({ scopes, account: account! })).accessToken;
    } catch (e) {
      if (e instanceof InteractionRequiredAuthError) await app.acquireTokenRedirect({ scopes });
      return null;
    }
  };
  // The API knows the caller by the access token's own claims (its 'sub' differs from the ID token's): read them.
  const access = await token();
  if (!access) return null;
  const claims = readClaims(access);
  const roles = (Array.isArray(claims.roles) ? claims.roles : []).map(r => String(r).toLowerCase());
  const role: 'resident' | 'admin' = roles.includes('admin') || roles.includes('manager') ? 'admin' : 'resident';
  const subject = String(claims.sub ?? account.localAccountId);
  const expiresAt = new Date((typeof claims.exp === 'number' ? claims.exp : Date.now() / 1000 + 3600) * 1000).toISOString();
  return { token, role, subject, expiresAt, signOut: () => app.logoutRedirect({ account: account! }) };
}

/** The payload of a JWT (not verified here: the API verifies it; this only tells the page who it is). */
function readClaims(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(json) as Record<string, unknown>;
}
