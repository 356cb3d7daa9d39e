// The shock detector's pure core (shared/methods/shocks.md): daily group shocks, Lee-Mykland jumps, co-jumps,
// episodes and the ranking of a shock's news.
export * from './options';
export * from './dailyShock';
export * from './jumps';
export * from './coJumps';
export * from './shockNews';
