// The figures of a detected move as table columns, the same on the event page and the instrument page.
import { direction } from './dom';
import { formatNumber, formatPercent, MISSING } from './format';
import type { TableColumn } from './table';

interface MoveFigures {
  move: number;
  abnormalReturn: number | null;
  z: number | null;
}

/** Move, abnormal return and AR / σ (to one decimal). */
export function moveFigureColumns<R extends MoveFigures>(): TableColumn<R>[] {
  return [
    { header: 'Move', numeric: true, className: (m) => direction(m.move), cell: (m) => formatPercent(m.move) },
    {
      header: 'Abnormal return',
      numeric: true,
      className: (m) => direction(m.abnormalReturn),
      cell: (m) => formatPercent(m.abnormalReturn),
    },
    { header: 'AR / σ', numeric: true, cell: (m) => (m.z === null ? MISSING : formatNumber(m.z, 1)) },
  ];
}
