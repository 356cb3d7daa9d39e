// node-cron tasks: an explicit time zone, no overlap within the process, the fire time (the slot) handed on.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging/logger';
import type { JobSchedule } from './schedules';

/** A fire's slot: the cron fire time truncated to the second, the same on every instance. */
export function slotOf(fireTime: Date): Date {
  return new Date(Math.floor(fireTime.getTime() / 1000) * 1000);
}

/**
 * Schedule `onFire` (a real function: node-cron takes anything else for a file path). noOverlap: a fire while
 * the previous one of this task still runs is skipped. Destroy the task to stop it (or jest hangs on its timer).
 */
export function scheduleCron(
  name: string,
  schedule: JobSchedule,
  onFire: (slot: Date) => Promise<unknown> | unknown,
  logger?: Logger,
): ScheduledTask {
  const log = logger?.child({ component: 'node-cron', task: name });
  return cron.schedule(schedule.cron, (context) => onFire(slotOf(context.date)), {
    name,
    timezone: schedule.timeZone,
    noOverlap: true,
    logger: log
      ? {
          info: (m) => log.debug(m),
          warn: (m) => log.warn(m),
          error: (m, err) => log.error({ err: err ?? (m instanceof Error ? m : undefined) }, m instanceof Error ? m.message : m),
          debug: (m) => log.debug(m instanceof Error ? m.message : m),
        }
      : undefined,
  });
}
