// The intraday event study (shared/methods/intraday.md) and the per-bar jump scores of the shock detector.
export * from './intradayTypes';
export { intradayStudy } from './intradayStudy';
export { type IntradayOptionError, INTRADAY_INTERVALS, INTRADAY_MODELS, intradayOptionsFrom } from './intradayOptions';
export { type JumpScore, type JumpScoreOptions, sessionJumpScores } from './jumpScores';
export { SessionSeriesCache } from './estimation';
export { type SessionGrid, gridOn, intervalMs, intradaySessionRange } from './slotGrid';
