import { h, label, replace, field, options, type Field } from '../dom';
import { hours, usd, pct, when, relative, timeZone } from '../format';
import type { Ctx, View } from '../context';
import { poll } from '../context';
import { offers } from '../capabilities';
import { SETTLED, type RequestResource, type WorkflowView, type ResolutionOption, type PolicyCitation, type OptionScore } from '../types';
import { decidedByManager } from './manager';
import { statusBadge, urgencyBadge, loading, problemBox, showFormError, clearFormError, busy } from './common';

/** One request: status and what it waits for, options, recommendation, actions the API offers now, timeline. */
export const requestView: View = (ctx, root, [id]) => {
  if (!id) return;
  replace(root, loading('Loading the request…'));
  let last: string | null = null;
  const refresh = async (): Promise<boolean | 'changed'> => {
    const [request, workflow] = await Promise.all([ctx.api.getRequest(id), ctx.api.workflow(id).catch(() => null)]);
    const key = `${request.updatedAt}|${request.status}|${workflow?.currentStep ?? ''}|${workflow?.dueAt ?? ''}`;
    if (key !== last) {
      const focused = document.activeElement?.id;
      last = key;
      render(ctx, root, request, workflow, () => void refresh());
      if (focused) document.getElementById(focused)?.focus();
      return SETTLED.has(request.status) ? false : 'changed';
    }
    return !SETTLED.has(request.status);
  };
  let stop: (() => void) | undefined;
  refresh().then(
    more => { if (more !== false) stop = poll(refresh); },
    error => replace(root, h('h1', {}, 'Request'), problemBox(error)));
  return () => stop?.();
};

function render(ctx: Ctx, root: HTMLElement, r: RequestResource, wf: WorkflowView | null, reload: () => void): void {
  const admin = ctx.session.role === 'admin';
  replace(root,
    h('p', { class: 'back' }, h('a', { href: admin ? '#/manager/queue' : '#/requests' }, admin ? '← Queue' : '← My requests')),
    h('h1', {}, `Request ${r.building} ${r.unit}`),
    h('section', { class: 'card summary', 'aria-label': 'Summary' },
      h('p', { class: 'message' }, r.message),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { 'data-testid': 'status' }, statusBadge(r.status)),
        r.classification ? [h('dt', {}, 'Category'), h('dd', {}, label(r.classification.category), ' ', urgencyBadge(r.classification.urgency))] : null,
        h('dt', {}, 'Filed'), h('dd', {}, when(r.createdAt), ` via ${r.channel}`),
        admin ? [h('dt', {}, 'Resident'), h('dd', {}, r.residentId)] : null,
        wf?.awaitedEvent ? [h('dt', {}, 'Waiting for'), h('dd', {}, awaitedText(wf.awaitedEvent, admin))] : null,
        wf?.dueAt ? [h('dt', {}, 'Due'), h('dd', {}, when(wf.dueAt), ' ', h('span', { class: 'muted' }, `(${relative(wf.dueAt)})`))] : null,
        r.risk && admin ? [h('dt', {}, 'Escalation risk'), h('dd', {}, `${pct(r.risk.probability)} (${r.risk.level})`)] : null),
      SETTLED.has(r.status) ? null : h('p', { class: 'muted live' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), 'Updates live')),
    questionSection(ctx, r, reload),
    confirmSection(ctx, r, reload),
    admin ? managerActions(ctx, r, reload) : null,
    r.decision ? recommendation(r) : r.status === 'received' || r.status === 'classified' || r.status === 'risk_assessed' || r.status === 'options_simulated'
      ? h('section', { class: 'card' }, loading('The assistant is working out your options…')) : null,
    r.options.length > 0 ? optionsSection(ctx, r, reload) : null,
    admin && r.risk ? riskSection(r) : null,
    admin && r.decision ? scoreSection(r) : null,
    r.finding ? findingSection(r, admin) : null,
    r.executions.length > 0 ? executionsSection(r) : null,
    r.resolution ? h('section', { class: 'card' }, h('h2', {}, 'Outcome'),
      h('p', {}, r.resolution.outcome), r.resolution.rating ? h('p', {}, `Rating: ${r.resolution.rating} of 5`) : null,
      h('p', { class: 'muted' }, `${when(r.resolution.resolvedAt)} by ${r.resolution.resolvedBy}`)) : null,
    timeline(r),
  );
}

function findingSection(r: RequestResource, admin: boolean): HTMLElement {
  const f = r.finding!;
  return h('section', { class: 'card', 'aria-labelledby': 'finding-h', 'data-testid': 'finding' },
    h('h2', { id: 'finding-h' }, 'Ledger review'),
    h('p', {}, f.summary.charAt(0).toUpperCase() + f.summary.slice(1) + '.'),
    admin && f.note ? h('p', {}, h('strong', {}, 'Note: '), f.note) : null,
    admin ? h('p', { class: 'muted' }, `${when(f.foundAt)} by ${f.foundBy}`) : null);
}

function awaitedText(event: string, admin: boolean): string {
  const known: Record<string, string> = {
    OptionSelected: admin ? 'the resident to choose an option' : 'you to choose an option',
    ManagerApproved: 'a manager to approve',
  };
  return known[event] ?? label(event.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

function recommendation(r: RequestResource): HTMLElement {
  const d = r.decision!;
  const recommended = r.options.find(o => o.id === d.recommendedOptionId);
  const next: Record<string, string> = {
    proceed: 'We are going ahead with this at once.',
    resident_chooses: 'Choose the option that suits you below.',
    manager_approves: 'A manager approves this before it goes ahead.',
  };
  return h('section', { class: 'card recommendation', 'aria-labelledby': 'rec-h' },
    h('h2', { id: 'rec-h' }, 'Recommendation'),
    h('p', {}, h('strong', {}, recommended?.title ?? d.recommendedOptionId), ' — ', next[d.nextStep] ?? label(d.nextStep)),
    h('p', {}, d.reasoning),
    d.citations.length > 0 ? h('details', {}, h('summary', {}, `Policies cited (${d.citations.length})`), citationList(d.citations)) : null,
    h('p', { class: 'muted' }, `Policy ${d.policyVersion}, decided ${when(d.decidedAt)}`));
}

function citationList(citations: PolicyCitation[]): HTMLElement {
  return h('ul', { class: 'citations' }, citations.map(c => h('li', {},
    h('span', { class: 'doc' }, `${c.documentId} § ${c.section}`), ' ', c.title,
    c.text ?? c.passage ? h('blockquote', {}, c.text ?? c.passage ?? '') : null)));
}

function optionsSection(ctx: Ctx, r: RequestResource, reload: () => void): HTMLElement {
  const canChoose = ctx.session.role === 'resident' && r.status === 'awaiting_resident_choice' && offers('select-option');
  const alert = h('div', { hidden: true });
  return h('section', { 'aria-labelledby': 'opt-h' },
    h('h2', { id: 'opt-h' }, canChoose ? 'Choose an option' : 'Options'),
    alert,
    h('ul', { class: 'options' }, r.options.map(o => h('li', {}, optionCard(ctx, r, o, canChoose, alert, reload)))));
}

function optionCard(ctx: Ctx, r: RequestResource, o: ResolutionOption, canChoose: boolean, alert: HTMLElement, reload: () => void): HTMLElement {
  const s = o.simulation;
  const recommended = r.decision?.recommendedOptionId === o.id;
  const selected = r.selectedOptionId === o.id;
  const headingId = `opt-${o.id}`;
  const choose = canChoose ? h('button', { type: 'button', class: recommended ? 'primary' : '', 'aria-describedby': headingId }, 'Choose this option') : null;
  choose?.addEventListener('click', () => void busy(choose, async () => {
    try {
      await ctx.api.act(r.id, 'select-option', { optionId: o.id });
      ctx.announce(`You chose: ${o.title}.`);
      reload();
    } catch (e) {
      alert.replaceChildren(problemBox(e));
      alert.hidden = false;
    }
  }));
  return h('article', { class: `card option${recommended ? ' recommended' : ''}${selected ? ' selected' : ''}`, 'data-option-id': o.id, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, o.title, recommended ? h('span', { class: 'badge rec' }, 'Recommended') : null, selected ? h('span', { class: 'badge chosen' }, 'Chosen') : null),
    h('p', {}, o.description),
    h('dl', { class: 'metrics' },
      h('div', {}, h('dt', {}, 'Typical time'), h('dd', {}, hours(s.p50Hours), h('span', { class: 'muted' }, ` (9 in 10 within ${hours(s.p90Hours)})`))),
      h('div', {}, h('dt', {}, 'Cost'), h('dd', {}, s.expectedCost === 0 && s.costHigh === 0 ? 'No cost' : usd(s.expectedCost),
        s.costHigh > 0 ? h('span', { class: 'muted' }, ` (${usd(s.costLow)}–${usd(s.costHigh)})`) : null)),
      h('div', {}, h('dt', {}, 'Expected satisfaction'), h('dd', {}, pct(s.expectedSatisfaction))),
      h('div', {}, h('dt', {}, 'Chance it escalates'), h('dd', {}, pct(s.escalationProbability)))),
    s.policyNotes.length > 0 || !s.policyCompliant ? h('ul', { class: 'notes', 'aria-label': 'Policy notes' },
      !s.policyCompliant ? h('li', { class: 'warn' }, 'Not within policy') : null,
      s.policyNotes.map(n => h('li', {}, n))) : null,
    o.citations.length > 0 ? h('details', {}, h('summary', {}, `Policy passages (${o.citations.length})`), citationList(o.citations)) : null,
    h('p', { class: 'muted small' }, `Simulated ${s.runs.toLocaleString()} times`),
    choose);
}

function questionSection(ctx: Ctx, r: RequestResource, reload: () => void): HTMLElement | null {
  const q = r.question;
  const text = typeof q === 'string' ? q : q?.text ?? q?.question ?? q?.prompt;
  if (!text || r.status !== 'awaiting_resident_info' || ctx.session.role !== 'resident' || !offers('reply')) return null;
  const answer = field('Your answer', h('textarea', { name: 'message', rows: 3, required: true, maxlength: 4000 }));
  const alert = h('div', { hidden: true });
  const fields: Record<string, Field> = { message: answer };
  const form = h('form', { class: 'card question', 'aria-labelledby': 'q-h' },
    h('h2', { id: 'q-h' }, 'We have a question'), h('p', {}, text), answer.wrapper, alert,
    h('button', { type: 'submit', class: 'primary' }, 'Send answer'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    void busy(form.querySelector('button')!, async () => {
      clearFormError(fields, alert);
      try {
        await ctx.api.act(r.id, 'reply', { message: answer.control.value });
        ctx.announce('Thank you, your answer was sent.');
        reload();
      } catch (err) {
        showFormError(err, fields, alert);
      }
    });
  });
  return form;
}

function confirmSection(ctx: Ctx, r: RequestResource, reload: () => void): HTMLElement | null {
  if (ctx.session.role !== 'resident' || !offers('resolve')) return null;
  const awaiting = r.status === 'awaiting_confirmation' || (r.status === 'executing' && !offers('complete'));
  if (!awaiting) return null;
  const rating = h('fieldset', { class: 'rating' }, h('legend', {}, 'How did it go? (1 = poor, 5 = great)'),
    [1, 2, 3, 4, 5].map(n => h('label', {}, h('input', { type: 'radio', name: 'rating', value: n }), ` ${n}`)));
  const ratingError = h('p', { class: 'field-error', id: 'rating-error', role: 'alert', hidden: true });
  rating.setAttribute('aria-describedby', 'rating-error');
  const outcome = field('Anything to add? (optional)', h('textarea', { name: 'outcome', rows: 2, maxlength: 2000 }));
  const alert = h('div', { hidden: true });
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Yes, it is fixed');
  const form = h('form', { class: 'card confirm', 'aria-labelledby': 'c-h' },
    h('h2', { id: 'c-h' }, 'Is it fixed?'), rating, ratingError, outcome.wrapper, alert, h('div', { class: 'actions' }, confirm));
  form.addEventListener('submit', e => {
    e.preventDefault();
    void busy(confirm, async () => {
      clearFormError({ outcome }, alert);
      ratingError.hidden = true;
      const chosen = form.querySelector<HTMLInputElement>('input[name=rating]:checked');
      try {
        await ctx.api.act(r.id, 'resolve', { outcome: outcome.control.value.trim() || 'Confirmed fixed by the resident', rating: chosen ? Number(chosen.value) : null });
        ctx.announce('Thank you for confirming.');
        reload();
      } catch (err) {
        const ratingMessages = err && typeof err === 'object' && 'fieldErrors' in err ? (err as { fieldErrors: (n: string) => string[] | undefined }).fieldErrors('rating') : undefined;
        if (ratingMessages) {
          ratingError.textContent = ratingMessages.join(' ');
          ratingError.hidden = false;
        }
        showFormError(err, { outcome }, alert);
      }
    });
  });
  if (offers('reopen')) {
    const reason = field('What is still wrong?', h('textarea', { name: 'reason', rows: 2, maxlength: 2000 }));
    const reopen = h('button', { type: 'button' }, 'It is not fixed');
    const reopenAlert = h('div', { hidden: true });
    reopen.addEventListener('click', () => void busy(reopen, async () => {
      clearFormError({ reason }, reopenAlert);
      try {
        await ctx.api.act(r.id, 'reopen', { reason: reason.control.value });
        ctx.announce('We reopened your request.');
        reload();
      } catch (err) {
        showFormError(err, { reason }, reopenAlert);
      }
    }));
    form.append(h('div', { class: 'reopen' }, reason.wrapper, reopenAlert, reopen));
  }
  return form;
}

function managerActions(ctx: Ctx, r: RequestResource, reload: () => void): HTMLElement | null {
  if (SETTLED.has(r.status)) return null;
  const alert = h('div', { hidden: true });
  const forms: HTMLElement[] = [];
  const run = (button: HTMLButtonElement, action: string, body: () => unknown, fields: Record<string, Field>, done: string) =>
    button.addEventListener('click', () => void busy(button, async () => {
      clearFormError(fields, alert);
      try {
        await ctx.api.act(r.id, action, body());
        ctx.announce(done);
        reload();
      } catch (err) {
        showFormError(err, fields, alert);
      }
    }));

  if (r.status === 'awaiting_manager_approval' && decidedByManager(r)) {
    return h('section', { class: 'card', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, 'Actions'),
      loading('A manager has decided; the workflow is carrying it out…'));
  }
  if (r.status === 'awaiting_manager_approval') {
    const option = field('Option to approve', h('select', { name: 'optionId' }, r.options.map(o =>
      h('option', { value: o.id, selected: o.id === (r.selectedOptionId ?? r.decision?.recommendedOptionId) }, o.title))));
    const note = field('Note (optional)', h('input', { name: 'note', type: 'text', maxlength: 2000 }));
    const approve = h('button', { type: 'button', class: 'primary' }, 'Approve');
    run(approve, 'approve', () => ({ optionId: option.control.value, note: note.control.value || null }), { optionId: option, note }, 'Approved.');
    forms.push(h('div', { class: 'action-group' }, option.wrapper, note.wrapper, approve));
  }
  if (r.status === 'awaiting_manager_approval' && offers('reject')) {
    const reason = field('Reason to reject', h('input', { name: 'reason', type: 'text', maxlength: 2000 }));
    const reject = h('button', { type: 'button', class: 'danger' }, 'Reject');
    run(reject, 'reject', () => ({ reason: reason.control.value }), { reason }, 'Rejected.');
    forms.push(h('div', { class: 'action-group' }, reason.wrapper, reject));
  }
  if (offers('complete') && (r.status === 'in_progress' || r.status === 'executing')) {
    const outcome = field('Work done', h('input', { name: 'outcome', type: 'text', maxlength: 2000 }));
    const cost = field('Actual cost (optional)', h('input', { name: 'actualCost', type: 'number', min: 0, step: '0.01', inputmode: 'decimal' }));
    const complete = h('button', { type: 'button', class: 'primary' }, 'Mark work complete');
    if (r.options.find(o => o.id === r.selectedOptionId)?.kind === 'ledger_review') {
      // A ledger review's completion says what it found: a charge found wrong posts a credit of exactly that amount.
      const verdict = field('The charge was', h('select', { name: 'chargeWrong' },
        h('option', { value: 'true' }, 'wrong (credit the amount found)'), h('option', { value: 'false' }, 'right (no credit)')));
      const amount = field('Amount found wrong', h('input', { name: 'amount', type: 'number', min: 0, step: '0.01', inputmode: 'decimal' }));
      const note = field('Internal note (optional, managers only)', h('input', { name: 'note', type: 'text', maxlength: 2000 }));
      run(complete, 'complete', () => ({
        outcome: outcome.control.value,
        finding: {
          chargeWrong: verdict.control.value === 'true',
          amount: amount.control.value ? Number(amount.control.value) : null,
          note: note.control.value || null,
        },
      }), { outcome, finding: verdict, 'finding.amount': amount, 'finding.note': note }, 'Marked complete.');
      forms.push(h('div', { class: 'action-group' }, outcome.wrapper, verdict.wrapper, amount.wrapper, note.wrapper, complete));
    } else {
      run(complete, 'complete', () => ({ outcome: outcome.control.value, actualCost: cost.control.value ? Number(cost.control.value) : null }),
        { outcome, actualCost: cost }, 'Marked complete.');
      forms.push(h('div', { class: 'action-group' }, outcome.wrapper, cost.wrapper, complete));
    }
  }
  if (!offers('complete') && offers('resolve') && r.status === 'executing') {
    // Until the API has a separate "work complete" step, a manager closes the request with its outcome.
    const outcome = field('Outcome', h('input', { name: 'outcome', type: 'text', maxlength: 2000 }));
    const resolve = h('button', { type: 'button', class: 'primary' }, 'Mark work complete');
    run(resolve, 'resolve', () => ({ outcome: outcome.control.value, rating: null }), { outcome }, 'Marked complete.');
    forms.push(h('div', { class: 'action-group' }, outcome.wrapper, resolve));
  }
  if (offers('escalate') && r.status !== 'escalated') {
    const reason = field('Reason to escalate', h('input', { name: 'reason', type: 'text', maxlength: 2000 }));
    const escalate = h('button', { type: 'button' }, 'Escalate');
    run(escalate, 'escalate', () => ({ reason: reason.control.value }), { reason }, 'Escalated.');
    forms.push(h('div', { class: 'action-group' }, reason.wrapper, escalate));
  }
  if (forms.length === 0) return null;
  return h('section', { class: 'card actions-card', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, 'Actions'), alert, forms);
}

function riskSection(r: RequestResource): HTMLElement {
  const risk = r.risk!;
  return h('section', { class: 'card', 'aria-labelledby': 'risk-h' },
    h('h2', { id: 'risk-h' }, `Risk factors — ${pct(risk.probability)} (${risk.level})`),
    h('table', {},
      h('caption', { class: 'sr-only' }, 'What raised or lowered the escalation risk'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Factor'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Effect'))),
      h('tbody', {}, risk.factors.map(f => h('tr', {},
        h('td', {}, label(f.name)), h('td', {}, f.value ?? '—'),
        h('td', { class: f.contribution >= 0 ? 'up' : 'down' }, `${f.contribution >= 0 ? '+' : '−'}${Math.abs(f.contribution).toFixed(3)}`))))),
    h('p', { class: 'muted small' }, `Model ${risk.modelVersion}`));
}

function scoreSection(r: RequestResource): HTMLElement {
  const d = r.decision!;
  const keys = [...new Set(d.ranking.flatMap(s => Object.keys(s.breakdown)))];
  const title = (s: OptionScore) => r.options.find(o => o.id === s.optionId)?.title ?? s.optionId;
  return h('section', { class: 'card', 'aria-labelledby': 'score-h' },
    h('h2', { id: 'score-h' }, 'Score breakdown'),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Score breakdown table' },
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Option'), h('th', { scope: 'col' }, 'Total'), keys.map(k => h('th', { scope: 'col' }, label(k))), h('th', { scope: 'col' }, 'Constraints'))),
        h('tbody', {}, d.ranking.map(s => h('tr', { class: s.optionId === d.recommendedOptionId ? 'recommended' : '' },
          h('th', { scope: 'row' }, title(s)), h('td', {}, s.total.toFixed(3)),
          keys.map(k => h('td', {}, s.breakdown[k] !== undefined ? s.breakdown[k]!.toFixed(3) : '—')),
          h('td', {}, s.violatedConstraints.length ? s.violatedConstraints.join(', ') : 'none')))))));
}

function executionsSection(r: RequestResource): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': 'exec-h' },
    h('h2', { id: 'exec-h' }, 'What was done'),
    h('ul', { class: 'executions' }, r.executions.map(x => h('li', {},
      h('strong', {}, label(x.action)), ` — ${label(x.status)}`, x.externalReference ? ` (${x.externalReference})` : '',
      h('span', { class: 'muted' }, ` ${when(x.completedAt ?? x.startedAt)}`), x.error ? h('span', { class: 'warn' }, ` ${x.error}`) : null))));
}

function timeline(r: RequestResource): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': 'tl-h' },
    h('h2', { id: 'tl-h' }, 'Timeline'),
    h('p', { class: 'muted small' }, `Times in ${timeZone}`),
    h('ol', { class: 'timeline' }, [...r.history].reverse().map(e => h('li', {},
      h('time', { datetime: e.at }, when(e.at)), ' ',
      h('strong', {}, e.to ? label(e.to) : label(e.event)),
      h('span', { class: 'muted' }, ` by ${e.actor}`),
      e.detail ? h('div', { class: 'detail' }, e.detail) : null))));
}

export { options as optionList };
