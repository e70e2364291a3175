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
  let account: AccountInfo | null = redirect?.account ?? app.getAllAccounts()[0] ?? null;
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
  const roles = (account.idTokenClaims?.roles as string[] | undefined) ?? [];
  const role: 'resident' | 'admin' = roles.includes('admin') ? 'admin' : 'resident';
  const subject = (account.idTokenClaims?.oid as string | undefined) ?? account.localAccountId;
  const expiresAt = new Date(((account.idTokenClaims?.exp as number | undefined) ?? Date.now() / 1000 + 3600) * 1000).toISOString();
  return { token, role, subject, expiresAt, signOut: () => app.logoutRedirect({ account: account! }) };
}
