// The background services `npm start` runs, one per capability that has one (scheduler, alert sender...).
import { alertTriggerService } from '../triggers/alertTriggerService';
import { outboxSenderService } from '../outbox/outboxSender';
import type { ServiceFactory } from '../context/appContext';
import { moveDetectionService } from '../moves/moveDetectionService';
import { schedulerService } from '../scheduler/schedulerService';
import { runHousekeepingService } from '../scheduler/runHousekeeping';
import { backgroundAddsService } from '../ingest/addInBackground';
import { subscriptionWantsEmails } from '../subscriptions/subscriptionStore';

export const backgroundServices: ServiceFactory[] = [
  moveDetectionService,
  alertTriggerService(),
  outboxSenderService(subscriptionWantsEmails),
  schedulerService(),
  runHousekeepingService(),
  backgroundAddsService,
];
