// "Email alerts": the subscribe form of the home, instrument and event pages. An address and the terms
// (./subscriptionTerms) go to POST /api/subscriptions; the API's 400s appear next to the field they name, its 429
// in words, and a success says what happened: a confirmation email sent (check the inbox), or, with email off on
// the server, the subscription recorded and no email sent.
import type { SubscribeResponse } from '../../src/subscriptions/subscriptionContract';
import { apiRequest, ApiError, type Instrument } from './api';
import { el, loading, replaceChildren } from './dom';
import { clearFieldErrors, failureBox, showFieldErrors } from './formErrors';
import { termsFields } from './subscriptionTerms';

export interface SubscribeFormOptions {
  /** every tracked instrument (the page loads them anyway) */
  instruments: Promise<Instrument[]>;
  /** the instruments of this page, ticked in advance (an instrument page's own, an event's) */
  symbols?: Promise<string[]> | string[];
}

/** Fills `section` (an empty <section id="subscribe">) with the form. */
export function mountSubscribeForm(section: HTMLElement, opts: SubscribeFormOptions): void {
  const p = 'subscribe';
  const terms = termsFields(p, opts.instruments);
  const email = el('input', {
    attrs: {
      id: `${p}-email`,
      name: 'email',
      type: 'email',
      autocomplete: 'email',
      maxlength: '254',
      'aria-describedby': `${p}-email-error`,
    },
  });
  const emailError = el('p', { className: 'field-error', attrs: { id: `${p}-email-error`, role: 'alert' } });
  const button = el('button', { className: 'button', attrs: { type: 'submit', id: `${p}-submit` }, text: 'Subscribe' });
  const result = el('div', { attrs: { id: `${p}-result`, 'aria-live': 'polite' } });
  const form = el(
    'form',
    { className: 'event-form subscribe-form', attrs: { id: `${p}-form`, novalidate: '' } },
    el('div', { className: 'field' }, el('label', { attrs: { for: `${p}-email` }, text: 'Email address' }), email, emailError),
    ...terms.nodes,
    el('div', { className: 'form-actions' }, button),
    result,
  );
  const errors = { email: { input: email, message: emailError }, ...terms.errors };
  clearFieldErrors(errors);
  section.replaceChildren(
    el('h2', { attrs: { id: `${p}-title` }, text: 'Email alerts' }),
    el('p', {
      className: 'hint',
      text: 'An email when an instrument you follow moves more than your threshold, with the news behind it. We first send a confirmation link; nothing else is sent until you follow it.',
    }),
    form,
  );
  section.setAttribute('aria-labelledby', `${p}-title`);
  void Promise.resolve(opts.symbols ?? []).then(
    (symbols) => terms.preselect(symbols),
    () => undefined,
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      clearFieldErrors(errors);
      button.disabled = true;
      replaceChildren(result, loading('Sending…'));
      try {
        const answer = await apiRequest<SubscribeResponse>('/api/subscriptions', {
          method: 'POST',
          body: { email: email.value, ...terms.read() },
        });
        replaceChildren(result, subscribedNote(p, answer, email.value.trim()));
      } catch (err) {
        const shown = err instanceof ApiError && showFieldErrors(errors, err);
        replaceChildren(result, failureBox('Not subscribed', err, shown));
      } finally {
        button.disabled = false;
      }
    })();
  });
}

/** What became of the subscription: the API says whether a confirmation email went out (email may be off). */
function subscribedNote(p: string, answer: SubscribeResponse, address: string): HTMLElement {
  if (answer.confirmation === 'not_sent')
    return el(
      'div',
      { className: 'state state-warn', attrs: { role: 'status', id: `${p}-done` }, dataset: { confirmation: 'not_sent' } },
      el('strong', { text: 'Recorded. ' }),
      `No email server is configured, so no confirmation email was sent to ${address}: the subscription starts when its confirmation link is followed, once this server can send email.`,
    );
  return el(
    'div',
    { className: 'state state-ok', attrs: { role: 'status', id: `${p}-done` }, dataset: { confirmation: 'queued' } },
    el('strong', { text: 'Check your inbox. ' }),
    `We sent a confirmation email to ${address}: the subscription starts when you follow its link.`,
  );
}
