import { h, replace, label } from '../dom';
import { when } from '../format';
import type { Ctx, View } from '../context';
import { loading, empty, problemBox, busy } from './common';

/** Queue depths and dead-lettered messages, with re-drive (one message or all of a queue). */
export const deadLettersView: View = (ctx, root) => {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  replace(root, h('h1', {}, 'Dead-letter queues'), body);
  const refresh = async () => {
    try {
      const depths = await ctx.api.queueDepths();
      const sections = await Promise.all(depths.map(async d => section(ctx, d.queue, d, d.deadLettered > 0 ? await ctx.api.deadLetters(d.queue) : [], refresh)));
      replace(body, sections);
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void refresh();
};

function section(ctx: Ctx, queue: string, d: { ready: number; inFlight: number; deadLettered: number; completed: number },
  letters: Awaited<ReturnType<Ctx['api']['deadLetters']>>, reload: () => Promise<void>): HTMLElement {
  const alert = h('div');
  const all = h('button', { type: 'button' }, 'Re-drive all');
  all.addEventListener('click', () => void busy(all, async () => {
    try {
      const answer = await ctx.api.redrive(queue);
      ctx.announce(`${answer.redriven} message(s) put back on ${queue}.`);
      await reload();
    } catch (err) {
      replace(alert, problemBox(err));
    }
  }));
  return h('section', { class: 'card', 'aria-labelledby': `q-${queue}` },
    h('h2', { id: `q-${queue}` }, label(queue)),
    h('p', {}, `Ready ${d.ready} · in flight ${d.inFlight} · dead-lettered ${d.deadLettered} · completed ${d.completed}`),
    alert,
    letters.length === 0 ? empty('No dead letters.') : [
      h('ul', { class: 'letters' }, letters.map(m => {
        const one = h('button', { type: 'button', 'aria-label': `Re-drive message ${m.messageId}` }, 'Re-drive');
        one.addEventListener('click', () => void busy(one, async () => {
          try {
            await ctx.api.redrive(queue, m.messageId);
            ctx.announce(`Message ${m.messageId} put back on ${queue}.`);
            await reload();
          } catch (err) {
            replace(alert, problemBox(err));
          }
        }));
        return h('li', { class: 'letter' },
          h('div', {}, h('code', {}, m.messageId), h('span', { class: 'muted' }, ` · ${m.attempts} attempts · ${when(m.deadLetteredAt ?? m.enqueuedAt)}`)),
          m.lastError ? h('p', { class: 'warn' }, m.lastError) : null,
          h('details', {}, h('summary', {}, 'Body'), h('pre', {}, m.body.slice(0, 2000))),
          one);
      })),
      all,
    ]);
}
