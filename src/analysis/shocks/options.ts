// Options of the shock detector (shared/methods/shocks.md), named as there, with its defaults.
import type { Window } from '../marketModel';

export interface ShockOptions {
  /** fewest members of a group, and fewest taking part on a date */
  minMembers: number;
  /** daily: flag when p < alpha */
  alpha: number;
  /** daily: flag when the breadth share is at least this */
  minBreadth: number;
  /** daily: estimation offsets E relative to day 0 */
  estimation: Window;
  /** daily: fewest estimation pairs L1 for a member to take part */
  minObs: number;
  /** intraday: the Lee-Mykland test level alpha_j */
  jumpAlpha: number;
  /** intraday: share of the members in session that must jump together */
  coJumpShare: number;
  /** intraday: fewest members jumping together, whatever the share */
  coJumpMin: number;
  /** intraday: flagged bars whose starts are at most this far apart form one episode */
  episodeGapMinutes: number;
  /** news attached to a shock */
  newsLimit: number;
  /** news window: [start - newsLookbackHours, end] */
  newsLookbackHours: number;
}

const DEFAULT_SHOCK_OPTIONS: Readonly<ShockOptions> = {
  minMembers: 5,
  alpha: 0.001,
  minBreadth: 0.5,
  estimation: [-120, -11],
  minObs: 30,
  jumpAlpha: 0.01,
  coJumpShare: 0.3,
  coJumpMin: 3,
  episodeGapMinutes: 30,
  newsLimit: 5,
  newsLookbackHours: 48,
};

export function resolveShockOptions(overrides: Partial<ShockOptions> = {}): ShockOptions {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_SHOCK_OPTIONS, ...Object.fromEntries(given) };
}
