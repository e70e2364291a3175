import { h, replace, field, type Field } from '../dom';
import type { AppConfig } from '../config';
import { devSignIn, msalSignIn, type Session } from '../auth';
import { showFormError, clearFormError, busy, problemBox } from './common';

/** Development sign-in (single node): act as a resident by id, or as a manager. Azure: Entra ID. */
export function signInView(root: HTMLElement, config: AppConfig, done: (s: Session) => void): void {
  if (config.auth === 'msal') {
    const button = h('button', { type: 'button', class: 'primary' }, 'Sign in with your organisation account');
    const alert = h('div');
    button.addEventListener('click', () => void busy(button, async () => {
      try {
        const s = await msalSignIn(config, true);
        if (s) done(s);
      } catch (e) {
        replace(alert, problemBox(e));
      }
    }));
    replace(root, h('h1', {}, 'Sign in'), h('section', { class: 'card narrow' }, button, alert));
    return;
  }
  const role = h('fieldset', { class: 'roles' }, h('legend', {}, 'Act as'),
    h('label', {}, h('input', { type: 'radio', name: 'role', value: 'resident', checked: true }), ' Resident'),
    h('label', {}, h('input', { type: 'radio', name: 'role', value: 'admin' }), ' Property manager'));
  const subject = field('Your id', h('input', { name: 'subject', type: 'text', value: 'resident-42', autocomplete: 'username', required: true, maxlength: 64 }),
    'Residents see only the requests filed under this id.');
  const fields: Record<string, Field> = { subject };
  const alert = h('div', { hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'si-h', novalidate: true },
    h('h1', { id: 'si-h' }, 'Sign in'),
    h('p', { class: 'notice' }, 'Development sign-in: this host hands out tokens to anyone who can reach it on this machine. In Azure, people sign in with Entra ID.'),
    role, subject.wrapper, alert, submit);
  role.addEventListener('change', () => {
    const admin = form.querySelector<HTMLInputElement>('input[name=role]:checked')?.value === 'admin';
    const input = subject.control as HTMLInputElement;
    if (admin && input.value.startsWith('resident-')) input.value = 'manager-1';
    if (!admin && input.value.startsWith('manager-')) input.value = 'resident-42';
  });
  form.addEventListener('submit', e => {
    e.preventDefault();
    void busy(submit, async () => {
      clearFormError(fields, alert);
      const chosen = (form.querySelector<HTMLInputElement>('input[name=role]:checked')?.value ?? 'resident') as 'resident' | 'admin';
      try {
        done(await devSignIn(config, subject.control.value.trim(), chosen));
      } catch (err) {
        showFormError(err, fields, alert);
      }
    });
  });
  replace(root, form);
  subject.control.focus();
}
