import type { RequestList, RequestResource, WorkflowView, QueueDepth, QueuedMessage } from './types';

/** An API answer that was not 2xx, read from its problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Record<string, string[]>,
    readonly correlationId: string | null,
  ) {
    super(detail || title);
  }

  /** The messages for one field; matching is case-insensitive since the API names fields as it reads them. */
  fieldErrors(name: string): string[] | undefined {
    const key = Object.keys(this.errors).find(k => k.toLowerCase() === name.toLowerCase());
    return key ? this.errors[key] : undefined;
  }
}

export type TokenSource = () => Promise<string | null>;

/** The HTTP API client. The bearer token only ever travels in the Authorization header. */
export class Api {
  constructor(private readonly baseUrl: string, private readonly token: TokenSource, private readonly onUnauthorized: () => void) {}

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = await this.token();
    const init: RequestInit = {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : null,
      cache: 'no-store',
    };
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, init);
    } catch {
      throw new ApiError(0, 'Network error', 'The service could not be reached. Check your connection and try again.', {}, null);
    }
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw await readProblem(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  createRequest(body: { building: string; unit: string; message: string; channel: string }, idempotencyKey: string) {
    return this.call<RequestResource>('POST', '/api/v1/requests', body, { 'Idempotency-Key': idempotencyKey });
  }
  getRequest(id: string) { return this.call<RequestResource>('GET', `/api/v1/requests/${encodeURIComponent(id)}`); }
  workflow(id: string) { return this.call<WorkflowView>('GET', `/api/v1/requests/${encodeURIComponent(id)}/workflow`); }
  residentRequests(residentId: string, limit = 50) {
    return this.call<RequestList>('GET', `/api/v1/residents/${encodeURIComponent(residentId)}/requests?limit=${limit}`);
  }
  listRequests(filters: Record<string, string>, continuationToken?: string | null) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    if (continuationToken) q.set('continuationToken', continuationToken);
    return this.call<RequestList>('GET', `/api/v1/requests?${q.toString()}`);
  }
  /** POST /api/v1/requests/{id}/{action} (select-option, approve, reject, escalate, resolve, and lifecycle routes as they land). */
  act(id: string, action: string, body: unknown = {}) {
    return this.call<RequestResource>('POST', `/api/v1/requests/${encodeURIComponent(id)}/${action}`, body);
  }
  queueDepths() { return this.call<QueueDepth[]>('GET', '/api/v1/admin/queues'); }
  deadLetters(queue: string) { return this.call<QueuedMessage[]>('GET', `/api/v1/admin/queues/${encodeURIComponent(queue)}/dead-letters?limit=50`); }
  redrive(queue: string, messageId?: string) {
    return this.call<{ queue: string; redriven: number }>('POST', `/api/v1/admin/queues/${encodeURIComponent(queue)}/dead-letters/redrive`, messageId ? { messageId } : {});
  }
}

export async function readProblem(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    /* not JSON: fall back to the status text */
  }
  const errors = (body.errors && typeof body.errors === 'object' ? body.errors : {}) as Record<string, string[]>;
  return new ApiError(
    response.status,
    typeof body.title === 'string' ? body.title : response.statusText || `HTTP ${response.status}`,
    typeof body.detail === 'string' ? body.detail : `The service answered ${response.status}.`,
    errors,
    typeof body.correlationId === 'string' ? body.correlationId : response.headers.get('x-correlation-id'),
  );
}
