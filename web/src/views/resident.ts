import { h, replace, field, options, type Field } from '../dom';
import { when } from '../format';
import type { View } from '../context';
import { poll } from '../context';
import { CHANNELS, SETTLED, type RequestResource } from '../types';
import { statusBadge, loading, empty, problemBox, showFormError, clearFormError, busy } from './common';

/** The resident's home: file a request, and the list of their own requests with live status. */
export const residentHome: View = (ctx, root) => {
  const list = h('div', { 'aria-live': 'polite' }, loading('Loading your requests…'));
  const building = field('Building', h('input', { name: 'building', type: 'text', autocomplete: 'off', required: true, maxlength: 100 }), 'For example maple-court');
  const unit = field('Unit', h('input', { name: 'unit', type: 'text', autocomplete: 'off', required: true, maxlength: 20 }));
  const message = field('What is the problem?', h('textarea', { name: 'message', rows: 4, required: true, maxlength: 4000 }),
    'Describe what you see, where, and since when.');
  const channel = field('How should we reach you?', h('select', { name: 'channel' }, options(CHANNELS, 'web')));
  const fields: Record<string, Field> = { building, unit, message, channel };
  const alert = h('div', { hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send request');
  // One key per filled form: pressing Send twice (or a retry after a timeout) files one request, not two.
  let idempotencyKey = crypto.randomUUID();
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-h', novalidate: true },
    h('h2', { id: 'new-h' }, 'Report a problem'),
    h('div', { class: 'row' }, building.wrapper, unit.wrapper), message.wrapper, channel.wrapper, alert, submit);
  form.addEventListener('input', () => { idempotencyKey = crypto.randomUUID(); });
  form.addEventListener('submit', e => {
    e.preventDefault();
    void busy(submit, async () => {
      clearFormError(fields, alert);
      try {
        const created = await ctx.api.createRequest({
          building: building.control.value.trim(), unit: unit.control.value.trim(),
          message: message.control.value, channel: channel.control.value,
        }, idempotencyKey);
        ctx.announce('Your request was sent.');
        ctx.navigate(`#/requests/${encodeURIComponent(created.id)}`);
      } catch (err) {
        showFormError(err, fields, alert);
      }
    });
  });

  replace(root, h('h1', {}, 'My requests'), form, h('section', { 'aria-labelledby': 'list-h' }, h('h2', { id: 'list-h' }, 'Your requests'), list));

  let last: string | null = null;
  const refresh = async (): Promise<boolean | 'changed'> => {
    try {
      const page = await ctx.api.residentRequests(ctx.session.subject);
      const key = page.items.map(r => `${r.id}:${r.status}:${r.updatedAt}`).join(',');
      const live = page.items.some(r => !SETTLED.has(r.status));
      if (key === last) return live;
      last = key;
      replace(list, page.items.length === 0 ? empty('You have not reported anything yet. Use the form above.') : requestTable(page.items));
      return live ? 'changed' : true;
    } catch (err) {
      replace(list, problemBox(err));
      return true;
    }
  };
  void refresh();
  return poll(refresh, 2000, 30000);
};

function requestTable(items: RequestResource[]): HTMLElement {
  return h('ul', { class: 'request-list' }, items.map(r => h('li', { class: 'card request-item', 'data-request-id': r.id },
    h('a', { href: `#/requests/${encodeURIComponent(r.id)}` }, r.message.length > 90 ? `${r.message.slice(0, 90)}…` : r.message),
    h('div', { class: 'meta' }, statusBadge(r.status), h('span', { class: 'muted' }, ` ${r.building} ${r.unit} · ${when(r.createdAt)}`)))));
}
