// What kind of event a stored event is: one rule for the API's event writes and the folder import.
export const EVENT_KIND = /^[a-z][a-z0-9_]{0,39}$/;

/** A kind the API would accept: a lowercase word (letters, digits, _), so no control characters or markup. */
export const isEventKind = (kind: string): boolean => EVENT_KIND.test(kind);
