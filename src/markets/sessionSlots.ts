// The slot grid of a session: the bar starts open, open + Δ, ... before the close, none inside a break (Tokyo's
// lunch). Pure, no clock.
import type { Session } from './types';

/** The starts of the Δ-minute bars of a session (Δ in ms, default 5 minutes), breaks skipped. */
export function sessionSlots(session: Session, intervalMs = 5 * 60_000): Date[] {
  const slots: Date[] = [];
  for (let t = session.open.getTime(); t < session.close.getTime(); t += intervalMs) {
    if (session.breaks.some((b) => t >= b.start.getTime() && t < b.end.getTime())) continue;
    slots.push(new Date(t));
  }
  return slots;
}
