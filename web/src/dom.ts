// Building the page from data without innerHTML: every string lands in the DOM as text, so a title such as
// `<img src=x onerror=alert(1)>` is shown, never run.
import { ApiError } from './api';

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string | undefined>;
  dataset?: Record<string, string>;
}

/** A new element; children given as strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  opts: ElementOptions | string = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const o = typeof opts === 'string' ? { className: opts } : opts;
  if (o.className) node.className = o.className;
  if (o.text !== undefined) node.textContent = o.text;
  for (const [name, value] of Object.entries(o.attrs ?? {})) if (value !== undefined) node.setAttribute(name, value);
  for (const [name, value] of Object.entries(o.dataset ?? {})) node.dataset[name] = value;
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** The element with this id; a page whose HTML lacks it is a bug worth failing loudly on. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** A form's controls by id, as the interface that names them says: byIds<{ go: HTMLButtonElement }>({ go: 'go-button' }). */
export function byIds<T extends Record<keyof T, HTMLElement>>(ids: { [K in keyof T]: string }): T {
  return Object.fromEntries(Object.entries<string>(ids).map(([name, id]) => [name, byId(id)])) as T;
}

/** Only http(s) links from data become hrefs: a `javascript:` URL in a news row must not be clickable. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link to another site: new tab, no referrer, no window.opener. Text only when the URL is not http(s). */
export function externalLink(url: string, text: string, className?: string): HTMLElement {
  const href = safeHttpUrl(url);
  if (!href) return el('span', { className, text });
  return el('a', { className, text, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } });
}

/** A symbol as a link to its instrument page. */
export function instrumentLink(symbol: string): HTMLElement {
  return el('a', { text: symbol, attrs: { href: `/instruments/${encodeURIComponent(symbol)}` } });
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** A "loading..." line for a section that waits for the API. */
export function loading(text = 'Loading…'): HTMLElement {
  return el('p', { className: 'state state-loading', text, attrs: { role: 'status' } });
}

/** An "empty" line: the API answered, there is nothing to show. */
export function empty(text: string): HTMLElement {
  return el('p', { className: 'state state-empty', text });
}

/**
 * An API error, shown where the data would be: the API's message in words, then the way forward when there is one.
 * The HTTP status and error code are kept on the box (data-status, data-code) for tests and tools, not shown.
 */
export function errorBox(what: string, err: unknown, wayForward?: Child): HTMLElement {
  const box = el('div', { className: 'state state-error', attrs: { role: 'alert' } });
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ApiError) {
    box.dataset.status = String(err.status);
    box.dataset.code = err.code;
  }
  box.append(el('strong', { text: `${what}: ` }), document.createTextNode(message));
  const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { param?: string; message?: string }[]) : [];
  if (details.length > 0) {
    box.append(el('ul', {}, ...details.map((d) => el('li', { text: [d.param, d.message].filter(Boolean).join(': ') }))));
  }
  if (wayForward) box.append(el('p', { className: 'way-forward' }, wayForward));
  return box;
}

/** Reports an unexpected failure of page code in the page itself, not only the console. */
export function showFatal(err: unknown): void {
  const main = document.querySelector('main') ?? document.body;
  main.prepend(errorBox('Something went wrong', err));
}

/** "up", "down" or "flat" for colouring a signed figure. */
export function direction(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return 'flat';
  return value > 0 ? 'up' : 'down';
}
