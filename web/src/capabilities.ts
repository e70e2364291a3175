import type { AppConfig } from './config';
import { STATUSES } from './types';

/**
 * Which routes the API offers, read from its OpenAPI document, so the app shows an action (reopen, reply to a
 * question, complete …) only once the API has it. Where the document cannot be read, the routes every deployment has.
 */
const BASELINE = [
  'post /api/v1/requests/{id}/select-option', 'post /api/v1/requests/{id}/resolve', 'post /api/v1/requests/{id}/approve',
  'post /api/v1/requests/{id}/reject', 'post /api/v1/requests/{id}/escalate',
];

let routes = new Set<string>(BASELINE);
let statuses: readonly string[] = STATUSES;

export async function loadCapabilities(config: AppConfig): Promise<void> {
  const urls = config.apiBaseUrl ? [`${config.apiBaseUrl}/openapi/apim.json`] : ['/openapi/v1.json'];
  for (const url of urls) {
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok) continue;
      const doc = (await response.json()) as {
        paths?: Record<string, Record<string, unknown>>;
        components?: { schemas?: Record<string, { enum?: unknown[] }> };
      };
      const known = doc.components?.schemas?.RequestStatus?.enum?.filter((v): v is string => typeof v === 'string');
      if (known && known.length > 0) statuses = known;
      const found = new Set<string>();
      for (const [path, methods] of Object.entries(doc.paths ?? {})) {
        for (const method of Object.keys(methods)) found.add(`${method.toLowerCase()} ${path.replace(/\{[^}]+\}/g, '{id}')}`);
      }
      if (found.size > 0) routes = found;
      return;
    } catch {
      /* keep the baseline */
    }
  }
}

/** True when the API offers POST /api/v1/requests/{id}/{action}. */
export function offers(action: string): boolean {
  return routes.has(`post /api/v1/requests/{id}/${action}`);
}

export function offersRoute(method: string, path: string): boolean {
  return routes.has(`${method.toLowerCase()} ${path}`);
}

/** The request statuses the API knows (its OpenAPI enum), for filters. */
export function requestStatuses(): readonly string[] {
  return statuses;
}
