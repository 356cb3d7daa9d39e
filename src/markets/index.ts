export * from './exchanges';
export * from './registry';
export * from './eventTiming';
export * from './sessionSlots';
