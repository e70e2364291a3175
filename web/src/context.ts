import type { Api } from './api';
import type { AppConfig } from './config';
import type { Session } from './auth';

/** What every view gets. A view returns a clean-up function (stops its polling) or nothing. */
export interface Ctx {
  api: Api;
  config: AppConfig;
  session: Session;
  navigate: (hash: string) => void;
  /** A polite announcement for screen readers (and a visible toast). */
  announce: (message: string) => void;
}

export type View = (ctx: Ctx, root: HTMLElement, params: string[]) => (() => void) | void;

/**
 * Polls with backoff: fast while something changes, slower (to `max`) while nothing does; stops when told or when
 * `tick` answers false. Resumes at once when the tab becomes visible again.
 */
export function poll(tick: () => Promise<boolean | 'changed'>, start = 1500, max = 30000): () => void {
  let delay = start;
  let stopped = false;
  let timer: number | undefined;
  const run = async () => {
    timer = undefined;
    if (stopped) return;
    let next: boolean | 'changed' = true;
    try {
      next = await tick();
    } catch {
      next = true; // transient failure: keep trying, slower
    }
    if (stopped || next === false) return;
    delay = next === 'changed' ? start : Math.min(max, Math.round(delay * 1.6));
    timer = window.setTimeout(run, delay);
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible' && timer !== undefined) {
      window.clearTimeout(timer);
      delay = start;
      void run();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  timer = window.setTimeout(run, start);
  return () => {
    stopped = true;
    if (timer !== undefined) window.clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
