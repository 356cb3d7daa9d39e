// Names of the performance marks the dashboard sets (read by bench/bench-dashboard.ts). No imports: the bench
// runs in Node and must not load chart.js to learn a string.

/** navigation start -> the first chart drawn on a page */
export const FIRST_CHART_PAINT = 'aftershock:first-chart-paint';
