import { barMoves, barReturns, pairReturns } from '../../src/analysis/returns';

describe('barReturns and barMoves', () => {
  const bars = [
    { date: '2025-03-26', close: 100, adjClose: 98 },
    { date: '2025-03-27', close: 110, adjClose: 107.8 },
    // ex-dividend: the close drops by the dividend, the adjusted close does not
    { date: '2025-03-28', close: 105, adjClose: 107.8 },
    { date: '2025-03-31', close: 84, adjClose: null },
    { date: '2025-04-01', close: 94.5 },
  ];

  it('uses the adjusted close where both bars have one, else the close of both', () => {
    const returns = barReturns(bars).map((r) => r.return);
    expect(returns[0]).toBeNull();
    expect(returns[1]).toBeCloseTo(0.1, 12); // 107.8 / 98
    expect(returns[2]).toBeCloseTo(0, 12); // dividend is no loss
    expect(returns[3]).toBeCloseTo(-0.2, 12); // 84 / 105: never adjusted over unadjusted
    expect(returns[4]).toBeCloseTo(0.125, 12); // 94.5 / 84
  });

  it('move is the change of the unadjusted close', () => {
    expect(barMoves(bars).map((m) => m.move)).toEqual([
      null,
      expect.closeTo(0.1, 12),
      expect.closeTo(-1 / 22, 12), // 105 / 110 - 1
      expect.closeTo(-0.2, 12),
      expect.closeTo(0.125, 12),
    ]);
  });

  it('spans a closed day without filling it (return from the previous bar)', () => {
    const withGap = [
      { date: '2025-01-17', close: 100 },
      { date: '2025-01-21', close: 103 }, // Monday 20 Jan had no session
    ];
    expect(barReturns(withGap)[1]).toEqual({ t: '2025-01-21', return: expect.closeTo(0.03, 12) });
  });

  it('gives null for unusable prices instead of Infinity', () => {
    const returns = barReturns([
      { date: '2025-01-06', close: 0 },
      { date: '2025-01-07', close: 5 },
    ]);
    expect(returns[1].return).toBeNull();
  });

  it('rejects unsorted or duplicate dates', () => {
    expect(() =>
      barReturns([
        { date: '2025-01-07', close: 1 },
        { date: '2025-01-06', close: 1 },
      ]),
    ).toThrow(RangeError);
    expect(() =>
      barMoves([
        { date: '2025-01-07', close: 1 },
        { date: '2025-01-07', close: 1 },
      ]),
    ).toThrow(RangeError);
  });
});

describe('pairReturns', () => {
  it('keeps only dates where both instrument and benchmark have a return', () => {
    const instrument = [
      { t: 'd1', return: null },
      { t: 'd2', return: 0.01 },
      { t: 'd3', return: 0.02 },
      { t: 'd4', return: -0.01 },
    ];
    const benchmark = [
      { t: 'd1', return: 0.005 },
      { t: 'd2', return: null },
      { t: 'd3', return: 0.004 },
      { t: 'd5', return: 0.003 },
    ];
    expect(pairReturns(instrument, benchmark)).toEqual([{ t: 'd3', return: 0.02, benchmarkReturn: 0.004 }]);
  });
});
