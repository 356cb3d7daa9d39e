// Hand-made intraday study answers for tests of what reads them (alert rules, chart data): a point with every
// measure empty, to which a test gives the fields it is about.
import type { IntradayPoint } from '../../src/analysis/intraday/intradayTypes';

export function intradayPoint(k: number, t: string, session: string, slot: number, fields: Partial<IntradayPoint> = {}): IntradayPoint {
  return {
    k,
    t,
    session,
    slot,
    close: 100,
    fromPrevClose: null,
    ret: null,
    ar: null,
    sar: null,
    car: null,
    car0: null,
    z: null,
    p: null,
    lower: null,
    upper: null,
    outside: false,
    av: null,
    ...fields,
  };
}
