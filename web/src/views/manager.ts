import { h, replace, field, options, label, type Field } from '../dom';
import { when, relative, pct, timeSpanMs, timeZone } from '../format';
import type { Ctx, View } from '../context';
import { poll } from '../context';
import { requestStatuses } from '../capabilities';
import { CATEGORIES, URGENCIES, SETTLED, type RequestResource } from '../types';
import { statusBadge, urgencyBadge, loading, empty, problemBox, busy } from './common';

/** When the request's SLA falls due: the API's own field where it has one, else filed time + the decided response SLA. */
export function dueAt(r: RequestResource): Date | null {
  if (r.slaDueAt) return new Date(r.slaDueAt);
  const ms = timeSpanMs(r.decision?.responseSla);
  return ms === null ? null : new Date(new Date(r.createdAt).getTime() + ms);
}

/** Up to `max` requests matching the filters, following continuation tokens. */
export async function fetchAll(ctx: Ctx, filters: Record<string, string>, max = 500): Promise<RequestResource[]> {
  const items: RequestResource[] = [];
  let token: string | null = null;
  do {
    const page = await ctx.api.listRequests({ ...filters, limit: '100' }, token);
    items.push(...page.items);
    token = page.continuationToken;
  } while (token && items.length < max);
  return items;
}

function byDue(a: RequestResource, b: RequestResource): number {
  const da = dueAt(a)?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = dueAt(b)?.getTime() ?? Number.POSITIVE_INFINITY;
  return da - db || a.createdAt.localeCompare(b.createdAt);
}

/** Every request, filtered by status, urgency, category, building and SLA due time, soonest due first. */
export const queueView: View = (ctx, root) => {
  const status = field('Status', h('select', { name: 'status' }, options(requestStatuses(), undefined, 'Any')));
  const urgency = field('Urgency', h('select', { name: 'urgency' }, options(URGENCIES, undefined, 'Any')));
  const category = field('Category', h('select', { name: 'category' }, options(CATEGORIES, undefined, 'Any')));
  const building = field('Building', h('input', { name: 'building', type: 'text', maxlength: 100 }));
  const dueBefore = field(`Due before (${timeZone})`, h('input', { name: 'dueBefore', type: 'datetime-local' }));
  const fields: Record<string, Field> = { status, urgency, category, building, dueBefore };
  const results = h('div', { 'aria-live': 'polite' }, loading());
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Filter the queue' },
    Object.values(fields).map(f => f.wrapper), h('button', { type: 'submit' }, 'Apply'));
  replace(root, h('h1', {}, 'Queue'), form, results);

  let last: string | null = null;
  const refresh = async (): Promise<boolean | 'changed'> => {
    try {
      const filters = { status: status.control.value, urgency: urgency.control.value, category: category.control.value, building: building.control.value.trim() };
      const before = dueBefore.control.value ? new Date(dueBefore.control.value).getTime() : null;
      const items = (await fetchAll(ctx, filters, 300))
        .filter(r => before === null || (dueAt(r)?.getTime() ?? Number.POSITIVE_INFINITY) <= before)
        .sort(byDue);
      const key = items.map(r => `${r.id}:${r.updatedAt}`).join(',');
      if (key === last) return true;
      last = key;
      replace(results, items.length === 0 ? empty('No request matches these filters.') : queueTable(items));
      return 'changed';
    } catch (err) {
      replace(results, problemBox(err));
      return true;
    }
  };
  form.addEventListener('submit', e => {
    e.preventDefault();
    last = null;
    replace(results, loading());
    void refresh();
  });
  void refresh();
  return poll(refresh, 5000, 60000);
};

function queueTable(items: RequestResource[]): HTMLElement {
  const now = Date.now();
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Requests, soonest due first' },
    h('table', { class: 'queue' },
      h('caption', {}, `${items.length} request${items.length === 1 ? '' : 's'}, soonest due first`),
      h('thead', {}, h('tr', {}, ['Due', 'Status', 'Urgency', 'Category', 'Where', 'Message'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map(r => {
        const due = dueAt(r);
        const late = due !== null && due.getTime() < now && !SETTLED.has(r.status);
        return h('tr', { 'data-request-id': r.id, class: late ? 'late' : '' },
          h('td', {}, due ? [when(due.toISOString()), h('br', {}), dueNote(r, due, now)] : '—'),
          h('td', {}, statusBadge(r.status)),
          h('td', {}, urgencyBadge(r.classification?.urgency) ?? '—'),
          h('td', {}, r.classification ? label(r.classification.category) : '—'),
          h('td', {}, `${r.building} ${r.unit}`),
          h('td', {}, h('a', { href: `#/requests/${encodeURIComponent(r.id)}` }, r.message.length > 70 ? `${r.message.slice(0, 70)}…` : r.message)));
      }))));
}

/** "in 3 h" / "overdue 2 h" while open; once settled, whether the SLA was met. */
function dueNote(r: RequestResource, due: Date, now: number): HTMLElement {
  if (SETTLED.has(r.status)) {
    const end = r.resolution ? new Date(r.resolution.resolvedAt).getTime() : new Date(r.updatedAt).getTime();
    return end <= due.getTime() ? h('span', { class: 'muted' }, 'SLA met') : h('span', { class: 'warn' }, 'SLA missed');
  }
  return due.getTime() < now
    ? h('span', { class: 'warn' }, `overdue ${relative(due.toISOString(), now).replace(' ago', '')}`)
    : h('span', { class: 'muted' }, relative(due.toISOString(), now));
}

/** Requests awaiting a manager's approval, with what a manager needs to decide, soonest due first. */
export const approvalsView: View = (ctx, root) => {
  const list = h('div', { 'aria-live': 'polite' }, loading());
  replace(root, h('h1', {}, 'Approvals'), list);
  let last: string | null = null;
  const refresh = async (): Promise<boolean | 'changed'> => {
    try {
      // An approval or rejection is recorded at once; the workflow moves the status on a moment later.
      const items = (await fetchAll(ctx, { status: 'awaiting_manager_approval' }, 200)).filter(r => !decidedByManager(r)).sort(byDue);
      const key = items.map(r => `${r.id}:${r.updatedAt}`).join(',');
      if (key === last) return true;
      last = key;
      replace(list, items.length === 0 ? empty('Nothing awaits your approval.') : h('ul', { class: 'inbox' }, items.map(r => h('li', {}, approvalCard(ctx, r, () => { last = null; void refresh(); })))));
      return 'changed';
    } catch (err) {
      replace(list, problemBox(err));
      return true;
    }
  };
  void refresh();
  return poll(refresh, 4000, 60000);
};

/** True once a manager approved or rejected since the request last started waiting for approval. */
export function decidedByManager(r: RequestResource): boolean {
  const waitingSince = r.history.map(e => e.to).lastIndexOf('awaiting_manager_approval');
  return r.history.slice(waitingSince + 1).some(e => e.event === 'manager_approved' || e.event === 'manager_rejected');
}

function approvalCard(ctx: Ctx, r: RequestResource, reload: () => void): HTMLElement {
  const d = r.decision;
  const option = r.options.find(o => o.id === (r.selectedOptionId ?? d?.recommendedOptionId));
  const score = d?.ranking.find(s => s.optionId === option?.id);
  const due = dueAt(r);
  const alert = h('div', { hidden: true });
  const reason = field('Reason (to reject or escalate)', h('input', { name: 'reason', type: 'text', maxlength: 2000 }));
  const approve = h('button', { type: 'button', class: 'primary' }, 'Approve');
  const reject = h('button', { type: 'button', class: 'danger' }, 'Reject');
  const escalate = h('button', { type: 'button' }, 'Escalate');
  const act = (button: HTMLButtonElement, action: string, body: () => unknown, done: string) =>
    button.addEventListener('click', () => void busy(button, async () => {
      alert.hidden = true;
      try {
        await ctx.api.act(r.id, action, body());
        ctx.announce(done);
        reload();
      } catch (err) {
        const messages = err && typeof err === 'object' && 'fieldErrors' in err ? (err as { fieldErrors: (n: string) => string[] | undefined }).fieldErrors('reason') : undefined;
        reason.error.textContent = messages?.join(' ') ?? '';
        reason.error.hidden = !messages;
        if (messages) reason.control.focus();
        replace(alert, problemBox(err));
        alert.hidden = false;
      }
    }));
  act(approve, 'approve', () => ({ optionId: option?.id ?? null, note: null }), `Approved: ${option?.title ?? 'the option'}.`);
  act(reject, 'reject', () => ({ reason: reason.control.value }), 'Rejected.');
  act(escalate, 'escalate', () => ({ reason: reason.control.value }), 'Escalated.');
  const headingId = `appr-${r.id}`;
  return h('article', { class: 'card approval', 'data-request-id': r.id, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, h('a', { href: `#/requests/${encodeURIComponent(r.id)}` }, `${r.building} ${r.unit}: ${option?.title ?? 'decision pending'}`)),
    h('p', { class: 'message' }, r.message),
    h('p', {}, urgencyBadge(r.classification?.urgency), ' ', r.classification ? label(r.classification.category) : '',
      due ? h('span', { class: 'muted' }, ` · approve by ${when(due.toISOString())} (${relative(due.toISOString())})`) : null),
    h('div', { class: 'grid2' },
      h('div', {}, h('h3', {}, `Risk ${r.risk ? `${pct(r.risk.probability)} (${r.risk.level})` : '—'}`),
        h('ul', { class: 'factors' }, (r.risk?.factors ?? []).slice(0, 5).map(f => h('li', {}, label(f.name), f.value ? `: ${f.value}` : '',
          h('span', { class: f.contribution >= 0 ? 'up' : 'down' }, ` ${f.contribution >= 0 ? '▲' : '▼'} ${Math.abs(f.contribution).toFixed(2)}`))))),
      h('div', {}, h('h3', {}, `Score ${score ? score.total.toFixed(3) : '—'}`),
        h('ul', { class: 'breakdown' }, Object.entries(score?.breakdown ?? {}).map(([k, v]) => h('li', {}, `${label(k)}: ${v.toFixed(3)}`))),
        score && score.violatedConstraints.length > 0 ? h('p', { class: 'warn' }, `Constraints: ${score.violatedConstraints.join(', ')}`) : null)),
    d && d.citations.length > 0 ? h('details', {}, h('summary', {}, `Cited policies (${d.citations.length})`),
      h('ul', { class: 'citations' }, d.citations.map(c => h('li', {}, h('span', { class: 'doc' }, `${c.documentId} § ${c.section}`), ` ${c.title}`)))) : null,
    d ? h('p', { class: 'reasoning' }, d.reasoning) : null,
    reason.wrapper, alert,
    h('div', { class: 'actions' }, approve, reject, escalate));
}
