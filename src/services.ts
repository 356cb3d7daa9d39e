// The background services `npm start` runs, one per capability that has one (scheduler, alert sender...).
import { alertTriggerService } from './alerts/alertService';
import { outboxSenderService } from './alerts/outboxSender';
import type { ServiceFactory } from './api/server';
import { moveDetectionService } from './moves/moveDetectionService';
import { schedulerService } from './scheduler/schedulerService';

export const backgroundServices: ServiceFactory[] = [moveDetectionService, alertTriggerService(), outboxSenderService(), schedulerService()];
