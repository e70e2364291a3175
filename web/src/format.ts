/** Times in the viewer's own time zone (the browser's), amounts and durations in plain words. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function dayLabel(d: Date): string {
  return day.format(d);
}

/** A local calendar day key (yyyy-mm-dd in the viewer's zone). */
export function localDayKey(d: Date): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${dd}`;
}

export function hours(h: number): string {
  if (!Number.isFinite(h)) return '—';
  if (h <= 0) return '0 min';
  if (h < 1 / 60) return `${Math.max(1, Math.round(h * 3600))} s`;
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;
  return `${(h / 24).toFixed(1)} days`;
}

export function usd(n: number): string {
  return money.format(n);
}

export function pct(p: number): string {
  return percent.format(p);
}

/** "04:00:00" or "1.00:00:00" (.NET TimeSpan) → milliseconds. */
export function timeSpanMs(span: string | null | undefined): number | null {
  if (!span) return null;
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(span);
  if (!m) return null;
  const [, neg, d, hh, mm, ss] = m;
  const ms = (((Number(d ?? 0) * 24 + Number(hh)) * 60 + Number(mm)) * 60 + Number(ss)) * 1000;
  return neg ? -ms : ms;
}

/** "in 3 h" / "2 h ago". */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const diffH = (new Date(iso).getTime() - now) / 3_600_000;
  return diffH >= 0 ? `in ${hours(diffH)}` : `${hours(-diffH)} ago`;
}
