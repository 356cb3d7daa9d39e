// The impact table: per instrument day 0, its move, abnormal return and abnormal volume, the CARs with t and p, the BHAR and the
// market value change; a line of words per instrument for its status; the basket in the footer. By default it shows what
// fits a 1280 px page (move, AR, the longest CAR window, BHAR, market value); the volume and the shorter CAR windows
// come with "More columns".
import type { EventImpact, ImpactResponse, Instrument } from '../api';
import { direction, el, instrumentLink, replaceChildren } from '../dom';
import { formatDate, formatMoney, formatP, formatPercent, formatT, formatWindow } from '../format';
import { basketAt, dayAt, statusLabel, windowOf } from '../impactView';
import { cardTable, type TableColumn } from '../table';
import { formatRatio, formatVolume } from '../volumeFormat';
import { instrumentOf } from './state';

export interface ImpactTableProps {
  impact: ImpactResponse;
  instruments: readonly Instrument[];
}

function columnsOf({ impact, instruments }: ImpactTableProps): TableColumn<EventImpact>[] {
  const carWindows = impact.results.find((r) => r.cars.length > 0)?.cars.map((c) => [c.from, c.to] as const) ?? [];
  // the longest CAR window is shown by default (the last of equals): the headline CAR; the others on demand
  const headlineCar = carWindows.reduce<readonly [number, number] | null>(
    (best, w) => (best === null || w[1] - w[0] >= best[1] - best[0] ? w : best),
    null,
  );
  const eventWindow = windowOf(impact.params.window);
  const day0 = (r: EventImpact) => dayAt(r, 0);
  const carColumn = ([from, to]: readonly [number, number]): TableColumn<EventImpact> => {
    const carOf = (r: EventImpact) => r.cars.find((c) => c.from === from && c.to === to);
    return {
      key: `car:${from},${to}`,
      header: `CAR ${formatWindow(from, to)}`,
      extra: !(headlineCar && headlineCar[0] === from && headlineCar[1] === to),
      sub: 't · p',
      numeric: true,
      className: (r) => direction(carOf(r)?.car),
      cell: (r) => {
        const car = carOf(r);
        return [
          el('span', { className: 'car-value', text: formatPercent(car?.car), dataset: { field: 'car' } }),
          el(
            'span',
            'car-stats',
            't ',
            el('span', { text: formatT(car?.t), dataset: { field: 't' } }),
            ' · p ',
            el('span', { text: formatP(car?.p), dataset: { field: 'p' } }),
          ),
        ];
      },
    };
  };
  return [
    {
      key: 'symbol',
      header: 'Instrument',
      rowHeader: true,
      cell: (r) => {
        const instrument = instrumentOf(instruments, r.symbol);
        return [instrumentLink(r.symbol), instrument ? el('span', { className: 'th-sub', text: instrument.name }) : null];
      },
    },
    { key: 'day0', header: 'Day 0', cell: (r) => formatDate(r.day0) },
    {
      key: 'move',
      header: 'Move',
      sub: 'day 0',
      numeric: true,
      className: (r) => direction(day0(r)?.move),
      cell: (r) => formatPercent(day0(r)?.move),
    },
    {
      key: 'ar',
      header: 'AR',
      sub: 'day 0',
      numeric: true,
      className: (r) => direction(day0(r)?.abnormalReturn),
      cell: (r) => formatPercent(day0(r)?.abnormalReturn),
    },
    {
      key: 'volume',
      header: 'Volume',
      extra: true,
      sub: 'day 0, × normal',
      numeric: true,
      cell: (r) =>
        r.abnormalVolume === null
          ? el('span', { text: formatRatio(null), dataset: { field: 'abnormal-volume' } })
          : [
              el('span', { className: 'car-value', text: formatRatio(r.abnormalVolume), dataset: { field: 'abnormal-volume' } }),
              el('span', {
                className: 'car-stats',
                text: `${formatVolume(day0(r)?.volume)} vs ${formatVolume(r.volumeBaseline.mean)}`,
                attrs: { title: `mean of ${r.volumeBaseline.n} sessions in the estimation window` },
              }),
            ],
    },
    ...carWindows.map(carColumn),
    {
      key: 'bhar',
      header: 'BHAR',
      sub: eventWindow ? formatWindow(eventWindow[0], eventWindow[1]) : 'event window',
      numeric: true,
      className: (r) => direction(r.bhar),
      cell: (r) => formatPercent(r.bhar),
    },
    {
      key: 'mv',
      header: 'Market value',
      sub: 'day 0, local · USD',
      numeric: true,
      className: (r) => direction(day0(r)?.marketValueChange),
      cell: (r) => [
        el('span', {
          className: 'mv-value',
          text: formatMoney(day0(r)?.marketValueChange, r.marketValueCurrency),
          dataset: { field: 'mv-local' },
        }),
        // in USD as well where the local currency is another one
        r.marketValueCurrency === 'USD'
          ? null
          : el('span', { className: 'mv-usd', text: formatMoney(day0(r)?.marketValueChangeUsd, 'USD'), dataset: { field: 'mv-usd' } }),
      ],
    },
  ];
}

/** The status in words gets a full-width line of its own: the reasons are sentences, not figures. */
function statusRow(r: EventImpact, columnCount: number): HTMLTableRowElement {
  return el(
    'tr',
    { className: 'status-row', dataset: { statusOf: r.symbol } },
    el(
      'td',
      { attrs: { colspan: String(columnCount) }, dataset: { col: 'status' } },
      el('span', { className: `status-badge status-${r.status}`, text: statusLabel(r), dataset: { field: 'status' } }),
      ' ',
      el('span', { className: 'status-reason', text: `${r.statusReason}.`, dataset: { field: 'status-reason' } }),
      r.marketValueNote
        ? el('span', { className: 'status-reason', text: ` Market value: ${r.marketValueNote}.`, dataset: { field: 'market-value-note' } })
        : null,
    ),
  );
}

function basketRows(impact: ImpactResponse, columnCount: number): HTMLTableRowElement[] {
  const basket0 = basketAt(impact.basket, 0);
  if (!basket0) return [];
  return [
    el(
      'tr',
      { dataset: { row: 'basket' } },
      el('th', {
        attrs: { scope: 'row', colspan: String(columnCount - 1) },
        text: `Basket, day 0: ${basket0.contributors} of ${basket0.instruments} instruments${basket0.missing.length ? ` (without ${basket0.missing.join(', ')})` : ''}`,
      }),
      el('td', {
        className: `num ${direction(basket0.marketValueChangeUsd)}`,
        text: formatMoney(basket0.marketValueChangeUsd, 'USD'),
        dataset: { col: 'basket-usd' },
      }),
    ),
  ];
}

export function renderImpactTable(target: HTMLElement, props: ImpactTableProps): void {
  const columns = columnsOf(props);
  replaceChildren(
    target,
    cardTable({
      id: 'impact',
      className: 'impact-table',
      caption: 'Impact per instrument around day 0',
      region: 'Impact table',
      columns,
      rows: props.impact.results,
      rowData: (r) => ({ symbol: r.symbol, status: r.status }),
      rowsAfter: (r) => [statusRow(r, columns.length)],
      foot: basketRows(props.impact, columns.length),
    }),
  );
}
