// The background services `npm start` runs, one per capability that has one (scheduler, alert sender...).
import { alertTriggers } from '../triggers/alertTriggerService';
import { outboxSenderService } from '../outbox/outboxSender';
import type { ServiceFactory } from '../context/appContext';
import { barEventsService } from '../bars/barEventsBus';
import { moveDetection } from '../moves/moveDetectionService';
import { intradayLive } from '../intraday/intradayLive';
import { createShockDetection } from '../shocks/shockDetectorService';
import { intradayAlertTriggers } from '../triggers/intradayAlerts';
import { type ShockAlertTriggers, shockAlertTriggers } from '../triggers/shockAlerts';
import { schedulerService } from '../scheduler/schedulerService';
import { runHousekeepingService } from '../scheduler/runHousekeeping';
import { backgroundAddsService } from '../ingest/addInBackground';
import { subscriptionWantsEmails } from '../subscriptions/subscriptionStore';

export const backgroundServices: ServiceFactory[] = [
  // the one LISTEN on bars_stored; its handlers in order (move detection publishes movesDetected; the live
  // intraday studies update their viewers; the shock detector records group shocks and tells the shock alerts)
  (ctx) => {
    let shockAlerts: ShockAlertTriggers | null = null;
    return barEventsService(
      moveDetection,
      alertTriggers(),
      intradayLive,
      createShockDetection({ onShockDetected: [() => shockAlerts?.shockRecorded()] }),
      intradayAlertTriggers(),
      (c, bus) => (shockAlerts = shockAlertTriggers()(c, bus) as ShockAlertTriggers | null),
    )(ctx);
  },
  outboxSenderService(subscriptionWantsEmails),
  schedulerService(),
  runHousekeepingService(),
  backgroundAddsService,
];
