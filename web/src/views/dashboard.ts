import { h, replace, label } from '../dom';
import { dayLabel, hours, localDayKey, timeZone } from '../format';
import type { View } from '../context';
import { SETTLED, type RequestResource } from '../types';
import { loading, empty, problemBox } from './common';
import { dueAt, fetchAll } from './manager';

/** Counts by status and category, SLA breaches, and the median time to resolution per day, from the latest requests. */
export const dashboardView: View = (ctx, root) => {
  const body = h('div', {}, loading('Counting…'));
  replace(root, h('h1', {}, 'Dashboard'), body);
  fetchAll(ctx, {}, 1000).then(items => replace(body, items.length === 0 ? empty('No requests yet.') : dashboard(items)),
    err => replace(body, problemBox(err)));
};

function countBy(items: RequestResource[], key: (r: RequestResource) => string | undefined): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of items) {
    const k = key(r);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function dashboard(items: RequestResource[]): HTMLElement {
  const now = Date.now();
  const breaches = items.filter(r => {
    const due = dueAt(r);
    if (!due) return false;
    const end = r.resolution ? new Date(r.resolution.resolvedAt).getTime() : SETTLED.has(r.status) ? null : now;
    return end !== null && end > due.getTime();
  });
  const open = items.filter(r => !SETTLED.has(r.status));
  const resolved = items.filter(r => r.resolution);
  const perDay = new Map<string, { date: Date; hours: number[] }>();
  for (const r of resolved) {
    const at = new Date(r.resolution!.resolvedAt);
    const key = localDayKey(at);
    const entry = perDay.get(key) ?? { date: at, hours: [] };
    entry.hours.push((at.getTime() - new Date(r.createdAt).getTime()) / 3_600_000);
    perDay.set(key, entry);
  }
  const series = [...perDay.entries()].sort((a, b) => a[0].localeCompare(b[0])).slice(-30)
    .map(([, v]) => ({ date: v.date, p50: median(v.hours), n: v.hours.length }));

  return h('div', { class: 'dashboard' },
    h('div', { class: 'tiles' },
      tile('Requests', items.length), tile('Open', open.length), tile('Resolved', resolved.length),
      tile('SLA breaches', breaches.length, breaches.length > 0 ? 'warn' : '')),
    h('div', { class: 'grid2' },
      countTable('By status', countBy(items, r => r.status)),
      countTable('By category', countBy(items, r => r.classification?.category))),
    h('section', { class: 'card', 'aria-labelledby': 'ttr-h' },
      h('h2', { id: 'ttr-h' }, 'Median time to resolution per day'),
      series.length === 0 ? empty('No request has been resolved yet.') : chart(series),
      h('p', { class: 'muted small' }, `Days in ${timeZone}; from the latest ${items.length} requests.`)),
    breaches.length > 0 ? h('section', { class: 'card', 'aria-labelledby': 'br-h' }, h('h2', { id: 'br-h' }, 'SLA breaches'),
      h('ul', {}, breaches.slice(0, 20).map(r => h('li', {}, h('a', { href: `#/requests/${encodeURIComponent(r.id)}` }, `${r.building} ${r.unit}: ${r.message.slice(0, 60)}`), ` — ${label(r.status)}`)))) : null);
}

function tile(name: string, value: number, cls = ''): HTMLElement {
  return h('div', { class: `card tile ${cls}` }, h('span', { class: 'tile-value' }, String(value)), h('span', { class: 'tile-label' }, name));
}

function countTable(title: string, rows: [string, number][]): HTMLElement {
  const max = Math.max(1, ...rows.map(r => r[1]));
  return h('section', { class: 'card' }, h('h2', {}, title),
    h('table', { class: 'counts' }, h('tbody', {}, rows.map(([k, n]) => h('tr', {},
      h('th', { scope: 'row' }, label(k)), h('td', {}, String(n)),
      h('td', { class: 'bar-cell', 'aria-hidden': 'true' }, bar(n / max)))))));
}

/** A bar whose width is set through the CSSOM (the page's content security policy forbids inline style attributes). */
function bar(fraction: number): HTMLElement {
  const el = h('span', { class: 'bar' });
  el.style.width = `${Math.round(fraction * 100)}%`;
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A bar chart (SVG) with the same figures as a table for screen readers. */
function chart(series: { date: Date; p50: number; n: number }[]): HTMLElement {
  const width = 640, height = 220, left = 48, bottom = 28, top = 12;
  const max = Math.max(...series.map(s => s.p50), 1 / 3600) * 1.1;
  const step = (width - left - 8) / series.length;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Median hours to resolution per day', class: 'chart' });
  for (const f of [0, 0.5, 1]) {
    const y = top + (1 - f) * (height - top - bottom);
    root.append(svg('line', { x1: left, x2: width - 4, y1: y, y2: y, class: 'grid' }), svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, hours(max * f)));
  }
  series.forEach((s, i) => {
    const barH = (s.p50 / max) * (height - top - bottom);
    const x = left + i * step + step * 0.15;
    const bar = svg('rect', { x, y: height - bottom - barH, width: Math.max(2, step * 0.7), height: Math.max(1, barH), class: 'bar' });
    bar.append(svg('title', {}, `${dayLabel(s.date)}: ${hours(s.p50)} (${s.n} resolved)`));
    root.append(bar);
    if (series.length <= 10 || i % Math.ceil(series.length / 10) === 0) {
      root.append(svg('text', { x: x + step * 0.35, y: height - 8, 'text-anchor': 'middle' }, dayLabel(s.date)));
    }
  });
  const table = h('table', { class: 'sr-only' }, h('caption', {}, 'Median time to resolution per day'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Median'), h('th', { scope: 'col' }, 'Resolved'))),
    h('tbody', {}, series.map(s => h('tr', {}, h('td', {}, dayLabel(s.date)), h('td', {}, hours(s.p50)), h('td', {}, String(s.n))))));
  const figure = h('figure', { class: 'chart-figure' });
  figure.append(root, table);
  return figure;
}
