// The home page's sparkline as a configuration: the last closes as a bare line, no axes, no tooltip. Pure.
import type { ChartConfiguration } from 'chart.js';
import type { DailyBar } from '../api';

export function sparklineConfig(bars: readonly DailyBar[], color: string): ChartConfiguration<'line', number[]> {
  return {
    type: 'line',
    data: {
      labels: bars.map((b) => b.date),
      datasets: [{ data: bars.map((b) => b.close), borderColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0 }],
    },
    options: {
      events: [],
      scales: { x: { display: false }, y: { display: false } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
    },
  };
}
