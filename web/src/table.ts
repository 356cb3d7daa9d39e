// The one way a card table is built (impact, detected moves...): a table that scrolls sideways on its own and
// turns into one card per row on a phone, where each cell shows its column's label (data-label, see styles.css).
// Columns marked `extra` are hidden until the reader asks for them with the "More columns" toggle above the table,
// so the default columns fit the page.
import { el, type Child } from './dom';

export interface TableColumn<R> {
  header: string;
  /** a second, smaller line of the heading (th-sub) */
  sub?: string;
  /** data-col of the column's cells */
  key?: string;
  /** the row's own heading (th scope=row, no card label), e.g. the instrument */
  rowHeader?: boolean;
  /** a figure: right-aligned (class num) */
  numeric?: boolean;
  /** more classes of a cell, e.g. the direction of its figure */
  className?: string | ((row: R) => string);
  /** the cell's label on a phone; by default the header, with its sub-heading in brackets */
  label?: string;
  /** shown on demand only (the "More columns" toggle) */
  extra?: boolean;
  cell: (row: R) => Child | Child[];
}

export interface CardTableProps<R> {
  id: string;
  /** classes of the table besides card-table */
  className: string;
  columns: readonly TableColumn<R>[];
  rows: readonly R[];
  /** a caption for screen readers only */
  caption?: string;
  /** the scroll box becomes a focusable region with this name (keyboard users can scroll it) */
  region?: string;
  /** data attributes of a row */
  rowData?: (row: R) => Record<string, string>;
  /** rows after a row's own (e.g. a full-width line of words) */
  rowsAfter?: (row: R) => HTMLTableRowElement[];
  /** rows of a tfoot */
  foot?: HTMLTableRowElement[];
}

/** The label a cell of this column shows on a phone. */
function columnLabel(column: TableColumn<unknown>): string {
  return column.label ?? (column.sub ? `${column.header} (${column.sub})` : column.header);
}

function cellOf<R>(column: TableColumn<R>, row: R): HTMLTableCellElement {
  const content = column.cell(row);
  const children = Array.isArray(content) ? content : [content];
  if (column.rowHeader) return el('th', { attrs: { scope: 'row' }, dataset: column.key ? { col: column.key } : {} }, ...children);
  const more = typeof column.className === 'function' ? column.className(row) : column.className;
  const className = [column.numeric ? 'num' : '', column.extra ? 'col-extra' : '', more].filter(Boolean).join(' ');
  return el(
    'td',
    { className, dataset: { ...(column.key ? { col: column.key } : {}), label: columnLabel(column as TableColumn<unknown>) } },
    ...children,
  );
}

/** The table in its scroll box: a heading row from the columns, a row (data-card) per item. */
export function cardTable<R>(props: CardTableProps<R>): HTMLDivElement {
  const { columns } = props;
  const head = el(
    'tr',
    {},
    ...columns.map((c) =>
      el(
        'th',
        { attrs: { scope: 'col' }, className: [c.numeric ? 'num' : '', c.extra ? 'col-extra' : ''].filter(Boolean).join(' ') },
        c.header,
        c.sub ? el('span', { className: 'th-sub', text: c.sub }) : null,
      ),
    ),
  );
  const body = el('tbody');
  for (const row of props.rows) {
    body.append(
      el('tr', { dataset: { ...props.rowData?.(row), card: '' } }, ...columns.map((c) => cellOf(c, row))),
      ...(props.rowsAfter?.(row) ?? []),
    );
  }
  const table = el(
    'table',
    { className: `${props.className} card-table`, attrs: { id: props.id } },
    props.caption ? el('caption', { className: 'visually-hidden', text: props.caption }) : null,
    el('thead', {}, head),
    body,
    props.foot ? el('tfoot', {}, ...props.foot) : null,
  );
  const region = props.region ? { tabindex: '0', role: 'region', 'aria-label': props.region } : {};
  const scroll = el('div', { className: 'table-scroll', attrs: region }, table);
  const extras = columns.filter((c) => c.extra);
  if (extras.length === 0) return scroll;
  return el(
    'div',
    { className: 'card-table-box' },
    moreColumnsToggle(
      table,
      extras.map((c) => c.header),
    ),
    scroll,
  );
}

/** The button that shows or hides the extra columns, naming them. */
function moreColumnsToggle(table: HTMLTableElement, headers: readonly string[]): HTMLButtonElement {
  const names = headers.join(', ');
  const button = el('button', {
    className: 'button button-quiet more-columns',
    attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': table.id },
    text: `More columns (${names})`,
  });
  button.addEventListener('click', () => {
    const open = table.classList.toggle('show-extra');
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? `Fewer columns (hide ${names})` : `More columns (${names})`;
  });
  return button;
}
