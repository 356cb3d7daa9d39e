// The instrument page's latest session in 5-minute bars, beside the daily history: the stored intraday closes of
// the latest exchange-local date that has any (today's while a session runs), in the exchange's local time, with
// the previous session's close as a reference. A missing bar or a lunch break is a gap, never filled in.
import type { DailyBar, Instrument } from '../api';
import { api } from '../api';
import { chartCanvas, drawChart } from '../charts/draw';
import { latestSession, sessionChartConfig } from '../charts/intraday';
import { el, empty, errorBox, replaceChildren } from '../dom';
import { formatDate, formatInstrumentPrice, formatPercent } from '../format';

/** How far back the latest session with 5-minute bars is looked for. */
const LOOK_BACK_DAYS = 7;

export interface SessionChartProps {
  instrument: Instrument;
  /** the daily bars (ascending): the last one's date starts the search, the close before the session is its reference */
  dailyBars: readonly DailyBar[];
  color: string;
}

export async function renderSessionChart(target: HTMLElement, { instrument, dailyBars, color }: SessionChartProps): Promise<void> {
  const last = dailyBars.at(-1)?.date;
  const from = last ? new Date(Date.parse(`${last}T00:00:00Z`) - LOOK_BACK_DAYS * 86_400_000).toISOString().slice(0, 10) : undefined;
  let answer: Awaited<ReturnType<typeof api.intradayBars>>;
  try {
    answer = await api.intradayBars(instrument.symbol, { from });
  } catch (err) {
    replaceChildren(target, errorBox('The 5-minute bars could not be loaded', err));
    return;
  }
  const session = latestSession(answer.bars, instrument.timeZone);
  if (!session) {
    replaceChildren(target, empty(`No 5-minute bars of ${instrument.symbol} are stored for the last sessions.`));
    return;
  }
  const previous = [...dailyBars].reverse().find((b) => b.date < session.date) ?? null;
  const lastBar = session.bars[session.bars.length - 1];
  const format = (v: number) => formatInstrumentPrice(instrument, v);
  const { box, canvas } = chartCanvas(
    'chart-session',
    `${instrument.symbol}: 5-minute closes of the session of ${formatDate(session.date)}, local time`,
    'chart-session',
  );
  replaceChildren(
    target,
    el(
      'p',
      { className: 'chart-note', dataset: { field: 'session' } },
      `Session of ${formatDate(session.date, true)}: ${session.bars.length} bars stored, last close ${format(lastBar.close)}`,
      previous
        ? ` (${formatPercent(lastBar.close / previous.close - 1)} from the previous close, ${format(previous.close)} on ${formatDate(previous.date)})`
        : '',
      '.',
    ),
    box,
  );
  drawChart(
    canvas,
    sessionChartConfig({ bars: session.bars, timeZone: instrument.timeZone, color, previousClose: previous?.close ?? null, format }),
  );
}
