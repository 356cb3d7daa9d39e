// /subscriptions/manage?token=…: the page of the manage link in every alert email. Reading it changes nothing
// (GET /api/subscriptions/manage); Save PATCHes the new terms, Unsubscribe POSTs. A forged or broken link gets a
// page that says so and offers a new confirmation email (POST /api/subscriptions/resend, rate-limited).
import type { ResendResponse, Subscription, SubscriptionResponse } from '../../src/subscriptions/subscriptionContract';
import { api, apiRequest, ApiError } from './api';
import { byId, el, errorBox, replaceChildren, showFatal } from './dom';
import { clearFieldErrors, failureBox, showFieldErrors } from './formErrors';
import { termsFields } from './subscriptionTerms';

const STATUS_TEXT: Record<Subscription['status'], string> = {
  pending_confirmation: 'Waiting for confirmation: follow the link in the confirmation email to start the alerts.',
  active: 'Active: alerts are sent to your address.',
  unsubscribed: 'Unsubscribed: no more alerts are sent for this subscription.',
};

const manageUrl = (token: string, suffix = '') => `/api/subscriptions/manage${suffix}?token=${encodeURIComponent(token)}`;

function statusLine(s: Subscription): HTMLElement {
  return el(
    'p',
    { className: `state ${s.status === 'active' ? 'state-ok' : 'state-empty'}`, attrs: { id: 'manage-status', role: 'status' } },
    STATUS_TEXT[s.status],
  );
}

function unsubscribedView(target: HTMLElement, s: Subscription): void {
  replaceChildren(
    target,
    statusLine(s),
    el('p', {}, el('a', { attrs: { href: '/#subscribe' }, text: 'Subscribe again from the dashboard' })),
  );
}

function manageView(target: HTMLElement, token: string, subscription: Subscription): void {
  const terms = termsFields('manage', api.instruments());
  terms.set(subscription);
  const save = el('button', { className: 'button', attrs: { type: 'submit', id: 'manage-save' }, text: 'Save changes' });
  const leave = el('button', {
    className: 'button button-quiet',
    attrs: { type: 'button', id: 'manage-unsubscribe' },
    text: 'Unsubscribe',
  });
  const result = el('div', { attrs: { id: 'manage-result', 'aria-live': 'polite' } });
  const status = statusLine(subscription);
  const form = el(
    'form',
    { className: 'event-form subscribe-form', attrs: { id: 'manage-form', novalidate: '' } },
    ...terms.nodes,
    el('div', { className: 'form-actions' }, save, leave),
    result,
  );
  clearFieldErrors(terms.errors);
  replaceChildren(target, status, form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearFieldErrors(terms.errors);
      save.disabled = true;
      try {
        const { subscription: saved } = await apiRequest<SubscriptionResponse>(manageUrl(token), { method: 'PATCH', body: terms.read() });
        terms.set(saved);
        replaceChildren(
          result,
          el('p', {
            className: 'state state-ok',
            attrs: { role: 'status', id: 'manage-saved' },
            text: 'Saved. The next alerts follow these terms.',
          }),
        );
      } catch (err) {
        const shown = err instanceof ApiError && showFieldErrors(terms.errors, err);
        replaceChildren(result, failureBox('Not saved', err, shown));
      } finally {
        save.disabled = false;
      }
    })();
  });
  leave.addEventListener('click', () => {
    void (async () => {
      leave.disabled = true;
      try {
        const { subscription: ended } = await apiRequest<SubscriptionResponse>(manageUrl(token, '/unsubscribe'), { method: 'POST' });
        unsubscribedView(target, ended);
      } catch (err) {
        replaceChildren(result, failureBox('Not unsubscribed', err));
        leave.disabled = false;
      }
    })();
  });
}

/** A link that does not verify: say so, and offer a new confirmation email. */
function badLinkView(target: HTMLElement, err: ApiError): void {
  const email = el('input', {
    attrs: { id: 'resend-email', type: 'email', autocomplete: 'email', maxlength: '254', 'aria-describedby': 'resend-email-error' },
  });
  const emailError = el('p', { className: 'field-error', attrs: { id: 'resend-email-error', role: 'alert' } });
  const button = el('button', { className: 'button', attrs: { type: 'submit' }, text: 'Send a new confirmation email' });
  const result = el('div', { attrs: { id: 'resend-result', 'aria-live': 'polite' } });
  const form = el(
    'form',
    { className: 'event-form resend-form', attrs: { id: 'resend-form', novalidate: '' } },
    el('div', { className: 'field' }, el('label', { attrs: { for: 'resend-email' }, text: 'Your email address' }), email, emailError),
    el('div', { className: 'form-actions' }, button),
    result,
  );
  const errors = { email: { input: email, message: emailError } };
  clearFieldErrors(errors);
  replaceChildren(
    target,
    el(
      'div',
      { className: 'state state-error', attrs: { role: 'alert', id: 'bad-link' } },
      el('strong', { text: 'This link does not work. ' }),
      `${err.code === 'invalid_token' ? err.message.replace(/:.*$/, '') : 'This link is incomplete'}. Links in our emails are signed; this one is incomplete or was changed.`,
    ),
    el('p', { text: 'If you subscribed and have not confirmed yet, we can send you a new confirmation email with fresh links.' }),
    form,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearFieldErrors(errors);
      button.disabled = true;
      try {
        const answer = await apiRequest<ResendResponse>('/api/subscriptions/resend', { method: 'POST', body: { email: email.value } });
        replaceChildren(result, el('p', { className: 'state state-ok', attrs: { role: 'status' }, text: answer.message }));
      } catch (e2) {
        const shown = e2 instanceof ApiError && showFieldErrors(errors, e2);
        replaceChildren(result, failureBox('Not sent', e2, shown));
      } finally {
        button.disabled = false;
      }
    })();
  });
}

async function main(): Promise<void> {
  const target = byId('manage');
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  try {
    const { subscription } = await apiRequest<SubscriptionResponse>(manageUrl(token));
    if (subscription.status === 'unsubscribed') unsubscribedView(target, subscription);
    else manageView(target, token, subscription);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) badLinkView(target, err);
    else replaceChildren(target, errorBox('Your subscription could not be loaded', err));
  }
}

main().catch(showFatal);
