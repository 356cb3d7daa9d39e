// The terms of an alert subscription as form fields, shared by the subscribe form and the manage page: what to
// follow (these instruments, a group, or all), the move threshold in %, the optional abnormal-return z, and
// instant or digest; or what a group does (kind): its intraday abnormal move (a |CAAR0| % or |bmpT| threshold) or
// its shocks. Reads them into the API's body and shows the API's 400s next to the field they name.
import type { z } from 'zod';
import type { groupListResponse } from '../../src/groups/groupContract';
import type { Subscription } from '../../src/subscriptions/subscriptionContract';
import { apiRequest, type Instrument } from './api';
import { el } from './dom';
import type { FieldErrorTargets } from './formErrors';

type Follow = 'symbols' | 'group' | 'all';
type Kind = Subscription['kind'];
type IntradayMeasure = 'caar' | 'bmp';
type GroupListResponse = z.infer<typeof groupListResponse>;

interface TermsBody {
  symbols?: string[] | 'all';
  group?: string;
  kind: Kind;
  minMovePct?: number | null;
  minAbnormalZ?: number;
  intradayCaarPct?: number | null;
  intradayBmpT?: number | null;
  mode: 'instant' | 'digest';
}

export interface TermsFields {
  /** the fields, to put in a form */
  nodes: HTMLElement[];
  /** where the API's 400s go, by the API's field names */
  errors: FieldErrorTargets;
  read(): TermsBody;
  /** show a subscription's terms (the manage page) */
  set(
    s: Pick<Subscription, 'symbols' | 'group' | 'minMovePct' | 'minAbnormalZ' | 'mode' | 'kind' | 'intradayCaarPct' | 'intradayBmpT'>,
  ): void;
  /** tick these instruments and choose "these instruments", unless the reader chose something already */
  preselect(symbols: string[]): void;
}

const errorLine = (id: string) => el('p', { className: 'field-error', attrs: { id, role: 'alert' } });

function radio(name: string, value: string, label: string, checked = false): HTMLLabelElement {
  const input = el('input', { attrs: { type: 'radio', name, value } });
  input.checked = checked;
  return el('label', {}, input, ` ${label}`);
}

function numberField(id: string, label: string, hint: string | null, attrs: Record<string, string>) {
  const input = el('input', { attrs: { id, type: 'number', inputmode: 'decimal', 'aria-describedby': `${id}-error`, ...attrs } });
  const message = errorLine(`${id}-error`);
  const node = el(
    'div',
    { className: 'field' },
    el('label', { attrs: { for: id } }, label, hint ? el('span', { className: 'hint', text: ` ${hint}` }) : null),
    input,
    message,
  );
  return { node, input, message };
}

/** The terms fields; `p` prefixes every id (two forms can share a page). Instruments and groups load from the API. */
export function termsFields(p: string, instruments: Promise<Instrument[]>): TermsFields {
  let touched = false;
  const kindName = `${p}-kind`;
  const kindError = errorLine(`${p}-kind-error`);
  const kindRow = el(
    'div',
    { className: 'radio-row' },
    radio(kindName, 'moves', 'Moves of instruments', true),
    radio(kindName, 'intraday_move', 'Group intraday abnormal move'),
    radio(kindName, 'shocks', 'Group shocks'),
  );
  const kindSet = el('fieldset', { className: 'field kind-field' }, el('legend', { text: 'Alert on' }), kindRow, kindError);
  const measureName = `${p}-measure`;
  const intraday = numberField(`${p}-intraday`, 'Threshold', '(|CAAR0| in %, or |bmpT|)', {
    min: '0.1',
    max: '100',
    step: '0.1',
    value: '3',
  });
  const measureRow = el(
    'div',
    { className: 'radio-row' },
    radio(measureName, 'caar', '|CAAR0| (%)', true),
    radio(measureName, 'bmp', '|bmpT| (test statistic)'),
  );
  const intradaySet = el(
    'fieldset',
    { className: 'field intraday-field' },
    el('legend', { text: 'Intraday move (once per session and event, as it happens)' }),
    measureRow,
    intraday.node,
  );
  const followName = `${p}-follow`;
  const followRow = el(
    'div',
    { className: 'radio-row' },
    radio(followName, 'symbols', 'These instruments'),
    radio(followName, 'group', 'A group'),
    radio(followName, 'all', 'Every instrument', true),
  );
  const symbolBox = el('div', { className: 'symbol-choices subscribe-symbols', attrs: { id: `${p}-symbols`, role: 'group' } });
  symbolBox.setAttribute('aria-label', 'Instruments to follow');
  const groupSelect = el('select', { attrs: { id: `${p}-group`, 'aria-describedby': `${p}-follow-error` } });
  const groupField = el('div', { className: 'field' }, el('label', { attrs: { for: `${p}-group` }, text: 'Group' }), groupSelect);
  const followError = errorLine(`${p}-follow-error`);
  const followSet = el(
    'fieldset',
    { className: 'field follow-field' },
    el('legend', { text: 'Instruments' }),
    followRow,
    symbolBox,
    groupField,
    followError,
  );

  const move = numberField(`${p}-move`, 'Move threshold (%)', null, { min: '0.1', max: '100', step: '0.1', value: '5' });
  const z = numberField(`${p}-z`, 'Abnormal-return |z|', '(optional)', { min: '0.1', max: '50', step: '0.1', placeholder: 'e.g. 3' });
  const modeName = `${p}-mode`;
  const modeError = errorLine(`${p}-mode-error`);
  const modeSet = el(
    'fieldset',
    { className: 'field' },
    el('legend', { text: 'Emails' }),
    el(
      'div',
      { className: 'radio-row' },
      radio(modeName, 'instant', 'Instant: one per alert', true),
      radio(modeName, 'digest', 'Digest: one after each market close'),
    ),
    modeError,
  );

  const kind = (): Kind => (kindSet.querySelector<HTMLInputElement>(`input[name="${kindName}"]:checked`)?.value as Kind) ?? 'moves';
  const measure = (): IntradayMeasure =>
    (intradaySet.querySelector<HTMLInputElement>(`input[name="${measureName}"]:checked`)?.value as IntradayMeasure) ?? 'caar';
  const follow = (): Follow => (followSet.querySelector<HTMLInputElement>(`input[name="${followName}"]:checked`)?.value as Follow) ?? 'all';
  const setFollow = (value: Follow) => {
    for (const r of followSet.querySelectorAll<HTMLInputElement>(`input[name="${followName}"]`)) r.checked = r.value === value;
    update();
  };
  const moveRow = el('div', { className: 'field-row' }, move.node, z.node);
  const update = () => {
    const groupKind = kind() !== 'moves';
    // the group kinds follow a group: the other choices go
    for (const r of followRow.querySelectorAll<HTMLInputElement>(`input[name="${followName}"]`)) {
      r.closest('label')!.hidden = groupKind && r.value !== 'group';
      if (groupKind) r.checked = r.value === 'group';
    }
    symbolBox.hidden = follow() !== 'symbols';
    groupField.hidden = follow() !== 'group';
    moveRow.hidden = groupKind;
    modeSet.hidden = groupKind;
    intradaySet.hidden = kind() !== 'intraday_move';
  };
  kindRow.addEventListener('change', () => {
    touched = true;
    update();
  });
  followRow.addEventListener('change', () => {
    touched = true;
    update();
  });
  update();

  const ticked = new Set<string>();
  const renderSymbols = (list: Instrument[]) =>
    symbolBox.replaceChildren(
      ...list.map((i) => {
        const box = el('input', { attrs: { type: 'checkbox', value: i.symbol, name: `${p}-symbol` } });
        box.checked = ticked.has(i.symbol);
        box.addEventListener('change', () => (box.checked ? ticked.add(i.symbol) : ticked.delete(i.symbol)));
        return el('label', { className: 'symbol-choice', attrs: { title: i.name } }, box, ` ${i.symbol}`);
      }),
    );
  const listed = instruments.then(renderSymbols, () =>
    symbolBox.replaceChildren(el('p', { className: 'hint', text: 'The instruments could not be loaded.' })),
  );
  let wantedGroup = '';
  void apiRequest<GroupListResponse>('/api/groups').then(
    ({ groups }) => {
      groupSelect.replaceChildren(
        ...groups.map((g) => el('option', { attrs: { value: g.slug }, text: `${g.title} (${g.symbols.length})` })),
      );
      if (wantedGroup) groupSelect.value = wantedGroup;
      if (groups.length === 0) {
        followRow.querySelector<HTMLInputElement>('input[value="group"]')!.disabled = true;
        groupField.append(el('p', { className: 'hint', text: 'No groups yet.' }));
      }
    },
    () => groupField.append(el('p', { className: 'hint', text: 'The groups could not be loaded.' })),
  );

  const tick = (symbols: string[]) => {
    ticked.clear();
    for (const s of symbols) ticked.add(s);
    void listed.then(() => {
      for (const box of symbolBox.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = ticked.has(box.value);
    });
  };

  return {
    nodes: [kindSet, followSet, moveRow, intradaySet, modeSet],
    errors: {
      symbols: { input: symbolBox, message: followError },
      group: { input: groupSelect, message: followError },
      minMovePct: { input: move.input, message: move.message },
      minAbnormalZ: { input: z.input, message: z.message },
      mode: { input: modeSet, message: modeError },
      kind: { input: kindSet, message: kindError },
      intradayCaarPct: { input: intraday.input, message: intraday.message },
      intradayBmpT: { input: intraday.input, message: intraday.message },
    },
    read() {
      const f = follow();
      const k = kind();
      if (k !== 'moves') {
        const threshold = Number.isFinite(intraday.input.valueAsNumber) ? intraday.input.valueAsNumber : null;
        const body: TermsBody = { kind: k, group: groupSelect.value, mode: 'instant' };
        if (k === 'intraday_move') {
          if (measure() === 'caar') body.intradayCaarPct = threshold;
          else body.intradayBmpT = threshold;
        }
        return body;
      }
      const body: TermsBody = {
        kind: k,
        minMovePct: Number.isFinite(move.input.valueAsNumber) ? move.input.valueAsNumber : null,
        mode: (modeSet.querySelector<HTMLInputElement>(`input[name="${modeName}"]:checked`)?.value as 'instant' | 'digest') ?? 'instant',
      };
      if (Number.isFinite(z.input.valueAsNumber)) body.minAbnormalZ = z.input.valueAsNumber;
      // "these instruments" with none ticked: sent as it is, the API says what is missing next to the list
      if (f === 'symbols') body.symbols = [...ticked].sort();
      else if (f === 'group') body.group = groupSelect.value;
      else body.symbols = 'all';
      return body;
    },
    set(s) {
      touched = true;
      for (const r of kindSet.querySelectorAll<HTMLInputElement>(`input[name="${kindName}"]`)) r.checked = r.value === s.kind;
      const bmp = s.intradayBmpT !== null;
      for (const r of intradaySet.querySelectorAll<HTMLInputElement>(`input[name="${measureName}"]`))
        r.checked = r.value === (bmp ? 'bmp' : 'caar');
      if (s.kind === 'intraday_move') intraday.input.value = String(bmp ? s.intradayBmpT : s.intradayCaarPct);
      if (s.group !== null) {
        wantedGroup = s.group;
        groupSelect.value = s.group;
        setFollow('group');
      } else if (s.symbols === 'all') setFollow('all');
      else {
        tick(s.symbols);
        setFollow('symbols');
      }
      move.input.value = String(s.minMovePct);
      z.input.value = s.minAbnormalZ === null ? '' : String(s.minAbnormalZ);
      for (const r of modeSet.querySelectorAll<HTMLInputElement>(`input[name="${modeName}"]`)) r.checked = r.value === s.mode;
    },
    preselect(symbols) {
      if (touched || symbols.length === 0) return;
      tick(symbols);
      setFollow('symbols');
    },
  };
}
