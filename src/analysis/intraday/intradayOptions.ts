// Checks a set of intraday options (already typed: the HTTP and CLI parsing is the service's) and fills the spec's
// defaults, naming each option that is wrong.
import { DEFAULT_INTRADAY_OPTIONS, type IntradayOptions } from './intradayTypes';

const INTRADAY_INTERVALS = ['1m', '5m', '15m', '60m'] as const;
const INTRADAY_MODELS = ['market', 'market_adjusted', 'constant_mean'] as const;

interface IntradayOptionError {
  param: keyof IntradayOptions;
  message: string;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function intradayOptionsFrom(partial: Partial<IntradayOptions>): { options: IntradayOptions } | { errors: IntradayOptionError[] } {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<IntradayOptions>;
  const o: IntradayOptions = { ...DEFAULT_INTRADAY_OPTIONS, ...defined };
  const errors: IntradayOptionError[] = [];
  const fail = (param: keyof IntradayOptions, message: string) => errors.push({ param, message });
  if (!(INTRADAY_INTERVALS as readonly string[]).includes(o.interval))
    fail('interval', `interval must be one of ${INTRADAY_INTERVALS.join(', ')}`);
  if (!Array.isArray(o.window) || o.window.length !== 2 || !isInteger(o.window[0]) || !isInteger(o.window[1])) {
    fail('window', 'window must be two integers w1,w2 (bars from the event bar)');
  } else if (o.window[0] > o.window[1]) fail('window', `the window ends (${o.window[1]}) before it starts (${o.window[0]})`);
  if (!isInteger(o.estimationDays) || o.estimationDays < 1) fail('estimationDays', 'estimationDays must be an integer >= 1');
  if (!isInteger(o.minDays) || o.minDays < 1) fail('minDays', 'minDays must be an integer >= 1');
  else if (isInteger(o.estimationDays) && o.minDays > o.estimationDays)
    fail('minDays', `minDays (${o.minDays}) exceeds estimationDays (${o.estimationDays})`);
  if (!(INTRADAY_MODELS as readonly string[]).includes(o.model)) fail('model', `model must be one of ${INTRADAY_MODELS.join(', ')}`);
  if (typeof o.bandP !== 'number' || !(o.bandP > 0 && o.bandP < 1)) fail('bandP', 'bandP must be a number strictly between 0 and 1');
  if (!isInteger(o.initialBars) || o.initialBars < 0) fail('initialBars', 'initialBars must be an integer >= 0');
  return errors.length > 0 ? { errors } : { options: { ...o, window: [o.window[0], o.window[1]] } };
}
