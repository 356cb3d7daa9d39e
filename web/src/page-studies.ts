// /studies: the saved studies, and a form that runs one ad hoc on a group and events (/studies/run?...).
import { apiRequest } from './api';
import { byId, el, empty, errorBox, replaceChildren, showFatal } from './dom';
import { addFactorModelChoices } from './modelChoices';
import { formatDate } from './format';

interface GroupItem {
  slug: string;
  title: string;
  symbols: string[];
}
interface EventItem {
  slug: string;
  title: string;
  date: string;
}
interface SavedStudy {
  slug: string;
  title: string;
  description: string | null;
}

/** The query string of the form's study (the same as GET /api/studies/run takes). */
function studyQueryOf(
  group: string,
  events: readonly string[],
  windowFrom: string,
  windowTo: string,
  model: string,
  excludeEvents: string,
): string {
  const query = new URLSearchParams({ events: events.join(','), group, window: `${windowFrom},${windowTo}` });
  if (model !== 'market') query.set('model', model);
  if (excludeEvents !== 'none') query.set('excludeEvents', excludeEvents);
  return query.toString();
}

async function main(): Promise<void> {
  const groupSelect = byId<HTMLSelectElement>('study-group');
  addFactorModelChoices(byId<HTMLSelectElement>('study-model'));
  const eventsBox = byId('study-events');
  const saved = byId('saved-studies');
  const message = byId('study-form-message');
  const params = new URLSearchParams(window.location.search);

  const [groups, events, studies] = await Promise.all([
    apiRequest<{ groups: GroupItem[] }>('/api/groups').then((r) => r.groups),
    apiRequest<{ events: EventItem[] }>('/api/events').then((r) => r.events),
    apiRequest<{ studies: SavedStudy[] }>('/api/studies')
      .then((r) => r.studies)
      .catch((err: unknown) => {
        replaceChildren(saved, errorBox('The saved studies could not be loaded', err));
        return null;
      }),
  ]);
  groupSelect.replaceChildren(...groups.map((g) => el('option', { attrs: { value: g.slug }, text: `${g.title} (${g.symbols.length})` })));
  if (params.get('group')) groupSelect.value = params.get('group')!;
  const wanted = new Set((params.get('events') ?? '').split(',').filter(Boolean));
  replaceChildren(
    eventsBox,
    ...events.map((e) =>
      el(
        'label',
        { className: 'symbol-choice' },
        el('input', { attrs: { type: 'checkbox', name: 'events', value: e.slug, ...(wanted.has(e.slug) ? { checked: '' } : {}) } }),
        ` ${e.title} (${formatDate(e.date)})`,
      ),
    ),
  );
  if (studies) {
    replaceChildren(
      saved,
      studies.length === 0
        ? empty('No saved study yet (POST /api/studies or aftershock studies import).')
        : el(
            'ul',
            { className: 'study-list' },
            ...studies.map((s) =>
              el('li', {}, el('a', { attrs: { href: `/studies/${s.slug}` }, text: s.title }), s.description ? ` · ${s.description}` : ''),
            ),
          ),
    );
  }

  byId<HTMLFormElement>('study-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const chosen = [...eventsBox.querySelectorAll<HTMLInputElement>('input[name=events]:checked')].map((i) => i.value);
    if (chosen.length === 0) {
      message.textContent = 'Pick at least one event.';
      return;
    }
    const from = byId<HTMLInputElement>('study-window-from').value;
    const to = byId<HTMLInputElement>('study-window-to').value;
    window.location.assign(
      `/studies/run?${studyQueryOf(
        groupSelect.value,
        chosen,
        from,
        to,
        byId<HTMLSelectElement>('study-model').value,
        byId<HTMLSelectElement>('study-exclude').value,
      )}`,
    );
  });
}

main().catch(showFatal);
