// Test helpers: the bundled market CSVs and an independent OLS (raw-sum normal equations,
// deliberately a different formulation from src/analysis/marketModel.ts).
import * as fs from 'fs';
import * as path from 'path';

const MARKET_DATA_DIR = path.join(__dirname, '../../data/market');

export interface CsvBar {
  date: string;
  close: number;
  adjClose: number | null;
}

export function loadBars(file: string): CsvBar[] {
  const [header, ...rows] = fs.readFileSync(path.join(MARKET_DATA_DIR, file), 'utf8').trim().split(/\r?\n/);
  const columns = header.split(',');
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${file} has no ${name} column`);
    return index;
  };
  const [dateCol, closeCol, adjCol] = [at('date'), at('close'), at('adj_close')];
  return rows.map((row) => {
    const cells = row.split(',');
    return { date: cells[dateCol], close: Number(cells[closeCol]), adjClose: cells[adjCol] === '' ? null : Number(cells[adjCol]) };
  });
}

/** shares_outstanding.csv: ticker -> shares, for the tickers that have a count (the first two columns are never quoted). */
export function loadShares(): Map<string, number> {
  const [, ...rows] = fs.readFileSync(path.join(MARKET_DATA_DIR, 'shares_outstanding.csv'), 'utf8').trim().split(/\r?\n/);
  const shares = new Map<string, number>();
  for (const row of rows) {
    const [ticker, count] = row.split(',');
    if (count !== '') shares.set(ticker, Number(count));
  }
  return shares;
}

export function directOls(xs: readonly number[], ys: readonly number[]) {
  const n = xs.length;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
    sxx += xs[i] * xs[i];
    sxy += xs[i] * ys[i];
    syy += ys[i] * ys[i];
  }
  const beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const alpha = (sy - beta * sx) / n;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (ys[i] - alpha - beta * xs[i]) ** 2;
  const r2 = (n * sxy - sx * sy) ** 2 / ((n * sxx - sx * sx) * (n * syy - sy * sy));
  return { alpha, beta, sigma: Math.sqrt(ssr / (n - 2)), r2, n };
}

/** Closes that produce exactly the given simple returns, starting from `start`. */
export function closesFromReturns(start: number, returns: readonly number[]): number[] {
  const closes = [start];
  for (const r of returns) closes.push(closes[closes.length - 1] * (1 + r));
  return closes;
}
