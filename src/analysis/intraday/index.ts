// The intraday event study (shared/methods/intraday.md) and the per-bar jump scores of the shock detector.
export * from './intradayTypes';
export { intradayStudy } from './intradayStudy';
export { LiveSessionCache } from './estimation';
export { intradayOptionsFrom } from './intradayOptions';
export { sessionJumpScores } from './jumpScores';
export { gridOn, intradaySessionRange } from './slotGrid';
