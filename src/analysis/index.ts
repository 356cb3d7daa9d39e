// Public surface of the analysis core: pure functions, price series (daily or intraday bars) in, numbers out.
export * from './series';
export * from './returns';
export * from './dayZero';
export * from './marketModel';
export * from './stats';
export * from './marketValue';
export * from './eventStudyParams';
export * from './eventStudy';
export * from './abnormalVolume';
export * from './basket';
export * from './moves';
export * from './crossSection';
export * from './factorImpact';
export * from './intraday';
export * from './shocks';
