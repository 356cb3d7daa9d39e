export * from './exchanges';
export { HOLIDAY_CALENDAR_YEARS } from './holidays';
export * from './registry';
export type { CloseChange, HolidayCalendar, SpecialSession, WorldMarket } from './types';
