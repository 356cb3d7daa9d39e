// The background services `npm start` runs, one per capability that has one (scheduler, alert sender...).
import type { ServiceFactory } from './api/server';

export const backgroundServices: ServiceFactory[] = [];
