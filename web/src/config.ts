/**
 * Where the API is and how to sign in. The single-node host serves no config.json: the app then talks to its own
 * origin and uses the development sign-in. The Azure Static Web App ships a config.json written at deployment:
 * { "apiBaseUrl": "https://<apim>.azure-api.net", "auth": "msal", "clientId": "…", "authority": "https://login.microsoftonline.com/<tenant>", "apiScope": "api://…/access_as_user" }
 */
export interface AppConfig {
  apiBaseUrl: string;
  auth: 'dev' | 'msal';
  clientId?: string;
  authority?: string;
  apiScope?: string;
}

export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const c = (await response.json()) as Partial<AppConfig>;
      return {
        apiBaseUrl: (c.apiBaseUrl ?? '').replace(/\/+$/, ''),
        auth: c.auth === 'msal' ? 'msal' : 'dev',
        ...(c.clientId ? { clientId: c.clientId } : {}),
        ...(c.authority ? { authority: c.authority } : {}),
        ...(c.apiScope ? { apiScope: c.apiScope } : {}),
      };
    }
  } catch {
    /* no config.json: single node */
  }
  return { apiBaseUrl: '', auth: 'dev' };
}
