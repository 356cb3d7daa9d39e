// The detected moves linked to the event, with each one's offset from day 0; the section hides without any.
import type { EventMove } from '../api';
import { instrumentLink, replaceChildren } from '../dom';
import { formatDate, formatOffset } from '../format';
import { moveFigureColumns } from '../moveColumns';
import { cardTable, type TableColumn } from '../table';

const COLUMNS: readonly TableColumn<EventMove>[] = [
  {
    header: 'Instrument',
    rowHeader: true,
    cell: (m) => instrumentLink(m.symbol),
  },
  { header: 'Date', cell: (m) => formatDate(m.date) },
  { header: 'Day', numeric: true, cell: (m) => formatOffset(m.offset) },
  ...moveFigureColumns<EventMove>(),
  { header: 'Link', cell: (m) => (m.origin === 'manual' ? 'by hand' : 'detected') },
];

export interface EventMovesProps {
  moves: readonly EventMove[];
}

/** `section` holds `target`: hidden when there is no move to list. */
export function renderEventMoves(section: HTMLElement, target: HTMLElement, { moves }: EventMovesProps): void {
  section.hidden = moves.length === 0;
  if (moves.length === 0) return;
  replaceChildren(
    target,
    cardTable({
      id: 'event-moves',
      className: 'data-table',
      columns: COLUMNS,
      rows: moves,
      rowData: (m) => ({ symbol: m.symbol, date: m.date }),
    }),
  );
}
