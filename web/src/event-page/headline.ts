// What the event page leads with: the largest day-0 move, the basket's market value on day 0, and the group's
// CAAR[0,0] with its cross-sectional test (the study API on this view's instruments, window and estimation), so the
// figures the news quotes are in sight before any chart or table.
import type { StudyResponse } from '../../../src/studies/studyContract';
import { apiRequest, type ImpactResponse } from '../api';
import { direction, el, replaceChildren } from '../dom';
import { formatDate, formatMoney, formatP, formatPercent } from '../format';
import { basketAt, largestDayZeroMove } from '../impactView';
import { statText } from '../studyTables';

export interface HeadlineProps {
  impact: ImpactResponse;
  slug: string;
}

const figure = (name: string, label: string, ...value: (Node | string | null)[]) =>
  el('div', { className: 'headline-card', dataset: { figure: name } }, el('span', { className: 'headline-label', text: label }), ...value);

/** The query of the study that measures this view's instruments as one group: CAAR[0,0] only. */
function groupStudyQuery({ impact, slug }: HeadlineProps): URLSearchParams | null {
  const [from, to] = impact.params.window;
  if (from > 0 || to < 0 || impact.results.length === 0) return null;
  const query = new URLSearchParams({
    events: slug,
    symbols: impact.results.map((r) => r.symbol).join(','),
    window: `${from},${to}`,
    estimation: impact.params.estimation.join(','),
    minObs: String(impact.params.minObs),
    cars: '0,0',
  });
  if (impact.params.benchmark) query.set('benchmark', impact.params.benchmark);
  return query;
}

async function fillGroupCaar(box: HTMLElement, query: URLSearchParams): Promise<void> {
  try {
    const study = await apiRequest<StudyResponse>(`/api/studies/run?${query}`);
    const car = study.aggregate.cars.find((c) => c.from === 0 && c.to === 0);
    if (!car || car.caar === null) {
      replaceChildren(box, el('span', { className: 'muted', text: 'not measured: no member has an abnormal return on day 0' }));
      return;
    }
    const t = car.tests.csectT;
    replaceChildren(
      box,
      el('strong', { className: `figure ${direction(car.caar)}`, text: formatPercent(car.caar), dataset: { field: 'caar' } }),
      el('span', {
        className: 'headline-detail',
        dataset: { field: 'caar-test' },
        text: `cross-sectional t ${statText(t)}${t ? ` (p ${formatP(t.p)})` : ''}, ${car.n} of ${study.members.length} instruments`,
      }),
    );
  } catch (err) {
    replaceChildren(box, el('span', { className: 'muted', text: `not available: ${err instanceof Error ? err.message : String(err)}` }));
  }
}

export function renderHeadline(target: HTMLElement, props: HeadlineProps): void {
  const { impact } = props;
  const largest = largestDayZeroMove(impact.results);
  const basket = basketAt(impact.basket, 0);
  const caarBox = el(
    'div',
    { className: 'headline-value', attrs: { 'aria-live': 'polite' } },
    el('span', { className: 'muted', text: 'Measuring…' }),
  );
  const query = groupStudyQuery(props);
  replaceChildren(
    target,
    figure(
      'largest-move',
      'Largest move on day 0',
      largest
        ? el(
            'div',
            'headline-value',
            el('strong', { className: `figure ${direction(largest.move)}`, text: formatPercent(largest.move), dataset: { field: 'move' } }),
            el('span', { className: 'headline-detail', text: `${largest.symbol}${largest.day0 ? `, ${formatDate(largest.day0)}` : ''}` }),
          )
        : el('span', { className: 'muted', text: 'no session after the event yet' }),
    ),
    figure(
      'basket',
      'Basket market value, day 0',
      basket && basket.marketValueChangeUsd !== null
        ? el(
            'div',
            'headline-value',
            el('strong', {
              className: `figure ${direction(basket.marketValueChangeUsd)}`,
              text: formatMoney(basket.marketValueChangeUsd, 'USD'),
              dataset: { field: 'basket-usd' },
            }),
            el('span', { className: 'headline-detail', text: `${basket.contributors} of ${basket.instruments} instruments, in USD` }),
          )
        : el('span', { className: 'muted', text: 'not known (no shares outstanding or FX rate)' }),
    ),
    query ? figure('group-caar', 'Group CAAR [0, 0]', caarBox) : null,
  );
  if (query) void fillGroupCaar(caarBox, query);
}
