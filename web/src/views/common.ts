import { h, label, type Child, type Field, setFieldError } from '../dom';
import { ApiError } from '../api';

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}` }, label(status));
}

export function urgencyBadge(urgency: string | undefined): HTMLElement | null {
  return urgency ? h('span', { class: `badge urgency-${urgency}` }, label(urgency)) : null;
}

export function loading(text = 'Loading…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function empty(text: string, ...more: Child[]): HTMLElement {
  return h('div', { class: 'empty' }, h('p', {}, text), ...more);
}

/** A problem+json answer as a readable message (its detail, and the correlation id to quote). */
export function problemBox(error: unknown): HTMLElement {
  const e = error instanceof ApiError ? error : null;
  const message = e ? e.detail : error instanceof Error ? error.message : String(error);
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, e ? `${e.title}: ` : 'Something went wrong: '), message,
    e?.correlationId ? h('span', { class: 'correlation' }, ` (reference ${e.correlationId})`) : null);
}

/**
 * Shows an error from a form submission: each field's messages beside that field, the rest in the form's alert.
 * Returns true when at least one field got a message.
 */
export function showFormError(error: unknown, fields: Record<string, Field>, alert: HTMLElement): void {
  let placed = false;
  for (const [name, f] of Object.entries(fields)) {
    const messages = error instanceof ApiError ? error.fieldErrors(name) : undefined;
    setFieldError(f, messages);
    if (messages) {
      if (!placed) f.control.focus();
      placed = true;
    }
  }
  alert.replaceChildren(problemBox(error));
  alert.hidden = false;
}

export function clearFormError(fields: Record<string, Field>, alert: HTMLElement): void {
  for (const f of Object.values(fields)) setFieldError(f, undefined);
  alert.replaceChildren();
  alert.hidden = true;
}

/** Disables a button while its action runs. */
export async function busy<T>(button: HTMLButtonElement, action: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
