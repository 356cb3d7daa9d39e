export * from './exchanges';
export { HOLIDAY_CALENDAR_YEARS } from './holidays';
