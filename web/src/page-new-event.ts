// /events/new: add an event (title, a time in an IANA time zone, a part of a day or an interval there, or a date
// only; kind, description, news URLs)
// through POST /api/events with the admin token the user types. The token stays in this tab's sessionStorage.
import { DateTime } from 'luxon';
import { announceWritesOff, keepToken, readToken } from './adminToken';
import { apiRequest, type EventDetail } from './api';
import { byId, byIds, el, errorBox, loading, replaceChildren, safeHttpUrl, showFatal } from './dom';
import { formatInstant } from './format';

/** The form's controls in the page's HTML. */
interface EventForm {
  form: HTMLFormElement;
  title: HTMLInputElement;
  date: HTMLInputElement;
  time: HTMLInputElement;
  timeZone: HTMLInputElement;
  timeField: HTMLElement;
  zoneField: HTMLElement;
  partOfDay: HTMLSelectElement;
  partField: HTMLElement;
  until: HTMLInputElement;
  untilField: HTMLElement;
  kind: HTMLInputElement;
  description: HTMLTextAreaElement;
  newsUrls: HTMLTextAreaElement;
  token: HTMLInputElement;
  preview: HTMLElement;
  result: HTMLElement;
}

function inputs(): EventForm {
  return byIds<EventForm>({
    form: 'event-form',
    title: 'title',
    date: 'date',
    time: 'time',
    timeZone: 'time-zone',
    timeField: 'time-field',
    zoneField: 'zone-field',
    partOfDay: 'part-of-day',
    partField: 'part-field',
    until: 'until',
    untilField: 'until-field',
    kind: 'kind',
    description: 'description',
    newsUrls: 'news-urls',
    token: 'admin-token',
    preview: 'instant-preview',
    result: 'form-result',
  });
}

type Precision = 'instant' | 'part' | 'interval' | 'date';

function precision(): Precision {
  return (document.querySelector<HTMLInputElement>('input[name=when]:checked')?.value ?? 'instant') as Precision;
}

/** The instant the user means, or why it cannot be read. */
function instantOf(f: EventForm): { instant: DateTime } | { problem: string } {
  if (!f.date.value) return { problem: 'Give the date.' };
  if (!f.time.value) return { problem: 'Give the time, or choose "Date only".' };
  const zone = f.timeZone.value.trim();
  if (!zone) return { problem: 'Give the time zone, e.g. Asia/Tokyo or America/New_York.' };
  const local = DateTime.fromISO(`${f.date.value}T${f.time.value}`, { zone });
  if (!local.isValid)
    return {
      problem:
        local.invalidReason === 'unsupported zone'
          ? `"${zone}" is not an IANA time zone.`
          : `The date and time cannot be read (${local.invalidExplanation ?? local.invalidReason}).`,
    };
  return { instant: local };
}

function updateWhen(f: EventForm): void {
  const p = precision();
  const show = (field: HTMLElement, input: HTMLInputElement | HTMLSelectElement, on: boolean) => {
    field.hidden = !on;
    input.disabled = !on;
  };
  show(f.timeField, f.time, p === 'instant' || p === 'interval');
  show(f.zoneField, f.timeZone, p !== 'date');
  show(f.partField, f.partOfDay, p === 'part');
  show(f.untilField, f.until, p === 'interval');
  if (p === 'date') {
    f.preview.textContent = f.date.value ? 'Day 0 will be this date where it is a session, else the next session.' : '';
    return;
  }
  if (p === 'part') {
    f.preview.textContent = 'Day 0 counts from the start of that part of the day, on the hours of the market of the time zone.';
    return;
  }
  const when = instantOf(f);
  f.preview.textContent =
    'instant' in when ? `= ${formatInstant(when.instant.toUTC().toISO(), 'UTC')}` : f.date.value && f.time.value ? when.problem : '';
}

interface Problem {
  field: HTMLElement;
  message: string;
}

function validate(f: EventForm): { body: Record<string, unknown> } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const title = f.title.value.trim();
  if (!title) problems.push({ field: f.title, message: 'Give the title.' });
  const kind = f.kind.value.trim();
  if (!kind) problems.push({ field: f.kind, message: 'Give the kind, e.g. model_release.' });
  else if (!/^[a-z][a-z0-9_]{0,39}$/.test(kind))
    problems.push({ field: f.kind, message: 'The kind is one lowercase word: letters, digits and _ (e.g. model_release).' });
  const body: Record<string, unknown> = { title, kind };
  const p = precision();
  if (p === 'date' || p === 'part') {
    if (!f.date.value) problems.push({ field: f.date, message: 'Give the date.' });
    body.date = f.date.value;
    if (p === 'date') body.dateOnly = true;
    else {
      const zone = f.timeZone.value.trim();
      if (!zone) problems.push({ field: f.timeZone, message: 'Give the time zone, e.g. America/New_York.' });
      body.partOfDay = f.partOfDay.value;
      body.timeZone = zone;
    }
  } else {
    const when = instantOf(f);
    if ('problem' in when) problems.push({ field: f.date.value ? (f.time.value ? f.timeZone : f.time) : f.date, message: when.problem });
    else {
      // the wall-clock time and its zone as typed: the server resolves them (and refuses a time a DST switch skipped)
      body.occurredAt = `${f.date.value}T${f.time.value}`;
      body.timeZone = f.timeZone.value.trim();
      if (p === 'interval') {
        if (!f.until.value) problems.push({ field: f.until, message: 'Give the end of the interval.' });
        body.occurredUntil = f.until.value;
      }
    }
  }
  const description = f.description.value.trim();
  if (description) body.description = description;
  const urls = f.newsUrls.value.split(/\s+/).filter(Boolean);
  const bad = urls.filter((u) => !safeHttpUrl(u) || !/^https?:\/\//i.test(u));
  if (bad.length) problems.push({ field: f.newsUrls, message: `Not an http(s) address: ${bad.join(', ')}` });
  if (urls.length) body.newsUrls = urls;
  if (!f.token.value) problems.push({ field: f.token, message: 'Give the admin token.' });
  return problems.length ? { problems } : { body };
}

async function submit(f: EventForm, button: HTMLButtonElement): Promise<void> {
  const checked = validate(f);
  for (const input of f.form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  if ('problems' in checked) {
    for (const p of checked.problems) p.field.setAttribute('aria-invalid', 'true');
    replaceChildren(
      f.result,
      el(
        'div',
        { className: 'state state-error', attrs: { role: 'alert' } },
        el('strong', { text: 'Please fix: ' }),
        el('ul', {}, ...checked.problems.map((p) => el('li', { text: p.message }))),
      ),
    );
    checked.problems[0].field.focus();
    return;
  }
  const token = f.token.value;
  keepToken(token);
  button.disabled = true;
  replaceChildren(f.result, loading('Saving…'));
  try {
    const answer = await apiRequest<{ event: EventDetail }>('/api/events', { method: 'POST', body: checked.body, token });
    const slug = answer.event.slug;
    replaceChildren(
      f.result,
      el(
        'div',
        { className: 'state state-ok', attrs: { role: 'status' } },
        'Saved: ',
        el('a', { text: answer.event.title, attrs: { href: `/events/${encodeURIComponent(slug)}`, id: 'created-event-link' } }),
      ),
    );
  } catch (err) {
    replaceChildren(f.result, errorBox('The event was not saved', err));
  } finally {
    button.disabled = false;
  }
}

function main(): void {
  const f = inputs();
  f.token.value = readToken();
  const zones =
    typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone')
      : ['UTC', 'Asia/Tokyo', 'America/New_York', 'Europe/London'];
  byId('time-zones').replaceChildren(...zones.map((z) => el('option', { attrs: { value: z } })));
  f.timeZone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  for (const input of [f.date, f.time, f.timeZone, f.until]) input.addEventListener('input', () => updateWhen(f));
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=when]'))
    radio.addEventListener('change', () => updateWhen(f));
  updateWhen(f);
  const button = f.form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  void announceWritesOff(f.form, [f.token, button]);
  f.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit(f, button);
  });
}

try {
  main();
} catch (err) {
  showFatal(err);
}
