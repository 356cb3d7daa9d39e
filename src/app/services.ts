// The background services `npm start` runs, one per capability that has one (scheduler, alert sender...).
import { alertTriggers } from '../triggers/alertTriggerService';
import { outboxSenderService } from '../outbox/outboxSender';
import type { ServiceFactory } from '../context/appContext';
import { barEventsService } from '../bars/barEventsBus';
import { moveDetection } from '../moves/moveDetectionService';
import { intradayLive } from '../intraday/intradayLive';
import { intradayAlertTriggers } from '../triggers/intradayAlerts';
import { shockDetectionWithAlerts } from '../triggers/shockAlerts';
import { schedulerService } from '../scheduler/schedulerService';
import { runHousekeepingService } from '../scheduler/runHousekeeping';
import { backgroundAddsService } from '../ingest/addInBackground';
import { subscriptionWantsEmails } from '../subscriptions/subscriptionStore';

export const backgroundServices: ServiceFactory[] = [
  // the one LISTEN on bars_stored; its handlers in order (move detection publishes movesDetected; the live
  // intraday studies update their viewers; the shock detector records group shocks and tells the shock alerts)
  barEventsService(moveDetection, alertTriggers(), intradayLive, ...shockDetectionWithAlerts(), intradayAlertTriggers()),
  outboxSenderService(subscriptionWantsEmails),
  schedulerService(),
  runHousekeepingService(),
  backgroundAddsService,
];
