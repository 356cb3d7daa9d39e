// Yahoo's FX series (the provider's names): which symbol converts a currency to dollars and which way it quotes.
import { fxSeriesFromYahoo, yahooFxSeriesOf } from '../../src/marketdata/yahooFx';

describe('Yahoo FX series and their quoting direction', () => {
  it.each([
    ['EUR', 'EURUSD=X', 'usd_per_unit'],
    ['GBP', 'GBPUSD=X', 'usd_per_unit'],
    ['GBp', 'GBPUSD=X', 'usd_per_unit'],
    ['AUD', 'AUDUSD=X', 'usd_per_unit'],
    ['NZD', 'NZDUSD=X', 'usd_per_unit'],
    ['JPY', 'JPY=X', 'units_per_usd'],
    ['KRW', 'KRW=X', 'units_per_usd'],
    ['HKD', 'HKD=X', 'units_per_usd'],
    ['CNY', 'CNY=X', 'units_per_usd'],
    ['TWD', 'TWD=X', 'units_per_usd'],
    ['CAD', 'CAD=X', 'units_per_usd'],
    ['CHF', 'CHF=X', 'units_per_usd'],
    ['SEK', 'SEK=X', 'units_per_usd'],
    ['DKK', 'DKK=X', 'units_per_usd'],
    ['NOK', 'NOK=X', 'units_per_usd'],
    ['SGD', 'SGD=X', 'units_per_usd'],
    ['INR', 'INR=X', 'units_per_usd'],
    ['ILA', 'ILS=X', 'units_per_usd'],
    ['ZAc', 'ZAR=X', 'units_per_usd'],
  ])('%s -> %s (%s)', (currency, symbol, direction) => {
    expect(yahooFxSeriesOf(currency)).toEqual({ symbol, direction });
  });

  it('USD needs no series; a non-code has none', () => {
    expect(yahooFxSeriesOf('USD')).toBeNull();
    expect(yahooFxSeriesOf('usd')).toBeNull();
    expect(yahooFxSeriesOf('')).toBeNull();
  });
});

describe('a Yahoo FX series as the analysis core takes it', () => {
  it('keeps the direction and the closes, and names the series for notes (JPY=X as USD/JPY)', () => {
    const closes = [{ date: '2025-01-27', close: 1.0468 }];
    expect(fxSeriesFromYahoo(yahooFxSeriesOf('EUR')!, closes)).toEqual({ name: 'EURUSD=X', direction: 'usd_per_unit', closes });
    expect(fxSeriesFromYahoo(yahooFxSeriesOf('JPY')!, [])).toEqual({ name: 'USD/JPY', direction: 'units_per_usd', closes: [] });
  });
});
