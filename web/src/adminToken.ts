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
