// Errors of the API shown where they belong: a 400 or 404 (an unknown symbol or group) that names a field next to
// that field's input, a 429 in words with when to try again (from Retry-After), anything else in the form's result area.
import { ApiError } from './api';
import { el } from './dom';

/** field name as the API names it (details[].param) -> the element that shows its message */
export type FieldErrorTargets = Record<string, { input: HTMLElement; message: HTMLElement }>;

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

export function clearFieldErrors(targets: FieldErrorTargets): void {
  for (const { input, message } of Object.values(targets)) {
    input.removeAttribute('aria-invalid');
    message.textContent = '';
    message.hidden = true;
  }
}

function showFieldError(targets: FieldErrorTargets, param: string, text: string): boolean {
  const target = targets[param];
  if (!target) return false;
  target.input.setAttribute('aria-invalid', 'true');
  target.message.textContent = target.message.textContent ? `${target.message.textContent} ${sentence(text)}` : sentence(text);
  target.message.hidden = false;
  return true;
}

/**
 * Puts each field the API named next to its input; true when every problem found its field (the caller then
 * needs to say no more than "see the fields"). Focuses the first field in error.
 */
export function showFieldErrors(targets: FieldErrorTargets, err: ApiError): boolean {
  // 400: a malformed field; 404: a field naming something unknown (unknown_symbol, not_found), also the field's
  if (err.status !== 400 && err.status !== 404) return false;
  const details = err.details;
  let all = true;
  let shown = 0;
  if (Array.isArray(details)) {
    // zod issues: [{param, message}]
    for (const d of details as { param?: string; message?: string }[]) {
      const ok = showFieldError(targets, d.param ?? '', d.message ?? err.message);
      all &&= ok;
      if (ok) shown++;
    }
  } else if (details && typeof details === 'object' && 'param' in details) {
    // a check after parsing (unknown symbols, unknown group): {param, unknown}
    const ok = showFieldError(targets, String((details as { param: unknown }).param), err.message);
    all = ok;
    if (ok) shown++;
  } else all = false;
  const first = Object.values(targets).find((t) => t.input.getAttribute('aria-invalid') === 'true');
  first?.input.focus();
  return all && shown > 0;
}

/** 540 -> "9 minutes" */
function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/** "Too many requests ... try again in 9 minutes (at 01:32)." from a 429's Retry-After. */
function rateLimitText(err: ApiError): string {
  const details = err.details as { retryAfterSeconds?: number } | null;
  const seconds = err.retryAfterSeconds ?? details?.retryAfterSeconds ?? null;
  if (!seconds) return 'Too many requests from this address: please try again later.';
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `Too many requests from this address: please try again in ${inWords(seconds)} (at ${at}).`;
}

/** The message of a failed request for the form's result area. */
export function failureBox(what: string, err: unknown, fieldsShown = false): HTMLElement {
  const text =
    err instanceof ApiError && err.status === 429
      ? rateLimitText(err)
      : fieldsShown
        ? 'please correct the fields marked above.'
        : err instanceof Error
          ? err.message
          : String(err);
  return el('div', { className: 'state state-error', attrs: { role: 'alert' } }, el('strong', { text: `${what}: ` }), text);
}
