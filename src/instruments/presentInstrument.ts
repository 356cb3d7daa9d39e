// An instrument as the API shows it (GET /api/instruments, and the answer of adding one).
import type { Instrument } from './instrumentContract';
import type { InstrumentRow } from './instrumentStore';

export function presentInstrument(i: InstrumentRow): Instrument {
  return {
    symbol: i.symbol,
    name: i.name,
    exchange: i.exchange,
    currency: i.currency,
    timeZone: i.timeZone,
    kind: i.kind,
    benchmark: i.benchmarkSymbol,
    sharesOutstanding: i.sharesOutstanding,
    sharesAsOf: i.sharesAsOf,
    sharesSource: i.sharesSource,
    tracked: i.tracked,
  };
}
