// What became of an alert's email, in words for the recent-alerts page: queued, sending, sent or failed, with when
// and after how many attempts. Pure (the browser test words the API's alerts with it to compare with the page).
import type { AlertListResponse } from '../../src/triggers/alertContract';
import { formatInstant } from './format';

export type Alert = AlertListResponse['alerts'][number];

export interface DeliveryWords {
  /** queued, sending, sent, failed, cancelled */
  label: string;
  /** when, and what happened */
  detail: string;
  /** attempts so far (0 before the first) */
  attempts: number;
}

const RULE_WORDS: Record<Alert['rule'], string> = {
  intraday_move: 'move during the session',
  close_move: 'move at the close',
  close_abnormal: 'abnormal return at the close',
};

export const ruleWords = (rule: Alert['rule']): string => RULE_WORDS[rule] ?? rule;

/** "pending" is what the API calls an email not yet sent: a reader calls it queued. */
export function deliveryWords(alert: Alert): DeliveryWords {
  const d = alert.delivery;
  const attempts = d?.attempts ?? 0;
  const at = (iso: string | null | undefined) => formatInstant(iso);
  const tries = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;
  switch (alert.status) {
    case 'sent':
      return { label: 'sent', detail: `sent ${at(d?.sentAt)}${attempts > 1 ? ` after ${tries(attempts)}` : ''}`, attempts };
    case 'failed':
      return { label: 'failed', detail: `gave up after ${tries(attempts)}${d?.lastError ? `: ${d.lastError}` : ''}`, attempts };
    case 'sending':
      return { label: 'sending', detail: `attempt ${attempts + 1} under way`, attempts };
    case 'cancelled':
      return { label: 'cancelled', detail: `not sent${d?.lastError ? `: ${d.lastError}` : ''}`, attempts };
    default: {
      if (!d) {
        const waiting = alert.mode === 'digest' ? 'waiting for the next digest' : 'being gathered into one email';
        return { label: 'queued', detail: `${waiting} since ${at(alert.createdAt)}`, attempts };
      }
      const retry =
        attempts > 0
          ? `retry ${attempts} at ${at(d.nextAttemptAt)}${d.lastError ? ` (last error: ${d.lastError})` : ''}`
          : `to be sent ${at(d.nextAttemptAt)}`;
      return { label: 'queued', detail: retry, attempts };
    }
  }
}

/** Attempts with the retries among them: "1", "3 (2 retries)". */
export function attemptsText(attempts: number): string {
  const retries = Math.max(0, attempts - 1);
  return retries === 0 ? String(attempts) : `${attempts} (${retries} ${retries === 1 ? 'retry' : 'retries'})`;
}
