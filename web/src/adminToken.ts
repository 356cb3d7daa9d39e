import { api } from './api';
import { el } from './dom';

// The admin token a person types on a write page (add an event, add an instrument): kept in this tab's
// sessionStorage so that the next write page of the tab has it, never in localStorage or a cookie.
const TOKEN_KEY = 'aftershock.adminToken';

export function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return ''; // storage disabled: the user types it each time
  }
}

export function keepToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    /* storage disabled */
  }
}

/**
 * Says up front, above the form, when the server has its write routes off (no ADMIN_TOKEN set), and disables
 * `controls` (the token field, the buttons that write), instead of letting a typed token meet a 403.
 */
export async function announceWritesOff(form: HTMLFormElement, controls: readonly (HTMLInputElement | HTMLButtonElement)[]): Promise<void> {
  let enabled: boolean;
  try {
    enabled = (await api.status()).adminWrites.enabled;
  } catch {
    return; // the status cannot be read: the write itself will say what is wrong
  }
  if (enabled) return;
  for (const c of controls) c.disabled = true;
  form.before(
    el(
      'p',
      { className: 'state state-error writes-off', attrs: { id: 'writes-off', role: 'status' } },
      el('strong', { text: 'Writes are off on this server: ' }),
      'it has no admin token set, so nothing can be added from this page. Whoever runs the server can turn them on by setting ADMIN_TOKEN (16 characters or more) and restarting it.',
    ),
  );
}
