export * from './exchanges';
export * from './registry';
