// Cross-sectional event studies (shared/methods/cross-section.md): pure, bars in, numbers out.
export * from './options';
export * from './memberSample';
export * from './normalReturnModels';
export * from './member';
export * from './testStatistics';
export * from './rankTests';
export * from './crossCorrelation';
export * from './aggregate';
export * from './study';
