// Shocks recorded as the detector records them: the scan that `aftershock shocks scan` runs, over the bundled
// history of the bundled equities (data/market, which the test database holds, and data/global, imported here as
// `npm start` imports it), daily, Oct 2024 - Mar 2025. Real bars, real detector; nothing made up. And one intraday
// shock written through the shocks store with synthetic numbers, in a group whose title says so.
import path from 'node:path';
import { importBundledData } from '../../src/bundled/bundledImport';
import type { Database } from '../../src/db/database';
import { createGroup } from '../../src/groups/groupWrites';
import { detectDailyShocks, shockGroup } from '../../src/shocks/shockDetection';
import { recordShock } from '../../src/shocks/shockStore';

const BUNDLED_SCAN = { group: 'bundled-equities', from: '2024-10-01', to: '2025-03-31' } as const;

/** Imports data/global, scans the bundled group's daily history and records what it flags; the flagged dates. */
export async function recordBundledShocks(db: Database): Promise<string[]> {
  await importBundledData(db, path.resolve(__dirname, '../../data/global'));
  const group = await shockGroup(db.pool, BUNDLED_SCAN.group);
  const detected = await detectDailyShocks(db.pool, group, BUNDLED_SCAN.from, BUNDLED_SCAN.to);
  return detected.map((d) => d.shock.date);
}

/** The synthetic intraday shock's group: its title says on every page that its numbers are made up. */
export const SYNTHETIC_GROUP = { slug: 'synthetic-cojump', title: 'Synthetic co-jump group (test data, not real prices)' } as const;

/**
 * An intraday shock recorded through the shocks store, every number synthetic (the bundled data has no 5-minute
 * bars): NVDA and SMH jump at the 14:30 UTC bar, SU.PA at 14:40, 6857.T (Tokyo, closed then) does not take part.
 */
export async function recordSyntheticIntradayShock(db: Database): Promise<number> {
  await createGroup(db.pool, { ...SYNTHETIC_GROUP, symbols: ['NVDA', 'SMH', 'SU.PA', '6857.T'] });
  const group = await shockGroup(db.pool, SYNTHETIC_GROUP.slug);
  const { id } = await recordShock(db.pool, {
    groupId: group.id,
    kind: 'intraday',
    key: '2025-01-27T14:30:00.000Z',
    sessionDate: '2025-01-27',
    startAt: new Date('2025-01-27T14:30:00Z'),
    endAt: new Date('2025-01-27T14:45:00Z'),
    z: -6.4,
    p: null,
    n: 3,
    breadthCount: 3,
    breadthShare: 1,
    direction: 'down',
    aar: -0.031,
    valueChangeUsd: null,
    detail: {
      patellZ: null,
      rbar: null,
      bmpT: null,
      kpT: null,
      criticalValue: 4.067058,
      members: [
        { symbol: 'NVDA', market: 'US', ar: -0.05, sar: -7.2, jumped: true, firstBar: '2025-01-27T14:30:00.000Z' },
        { symbol: 'SMH', market: 'US', ar: -0.03, sar: -5.1, jumped: true, firstBar: '2025-01-27T14:30:00.000Z' },
        { symbol: 'SU.PA', market: 'PAR', ar: -0.013, sar: -4.3, jumped: true, firstBar: '2025-01-27T14:40:00.000Z' },
      ],
      firstBarByExchange: [
        { market: 'US', t: '2025-01-27T14:30:00.000Z' },
        { market: 'PAR', t: '2025-01-27T14:40:00.000Z' },
      ],
    },
    newsIds: [],
  });
  if (id === null) throw new Error('the synthetic intraday shock was not recorded');
  return id;
}
