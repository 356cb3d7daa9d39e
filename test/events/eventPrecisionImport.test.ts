// The folder import format carries an event's time precision (issue 21, item 1): a part of a date with its zone,
// an interval [instant, until] with its zone; a bad combination is refused naming the row, nothing written.
import request from 'supertest';
import { importDirectory } from '../../src/bundled/folderImport';
import { countRows, useImportFolders } from '../faults/importFolders';
import { useTestApp } from '../support/testApp';

const t = useTestApp();
const folder = useImportFolders('import-precision');
const BARS = 'date,close\n2025-01-24,10\n2025-01-27,11\n2025-01-28,12\n';

describe('events.csv with a time precision', () => {
  it('imports a part of a day and an interval, each in its own zone', async () => {
    const events = [
      'slug,title,date,part_of_day,time_zone,instant,until',
      'zzp-evening,Evening remarks,2025-01-27,after_close,America/New_York,,',
      'zzp-morning,Tokyo morning,2025-01-28,before_open,Asia/Tokyo,,',
      'zzp-window,Across the close,,,America/New_York,2025-01-27T15:30:00-05:00,2025-01-27T17:00:00-05:00',
      'zzp-date,A date,2025-01-27,,,,',
    ].join('\n');
    await importDirectory(t.db, folder({ 'ZZP.csv': BARS, 'events.csv': `${events}\n` }));
    const get = async (slug: string) => (await request(t.app.url).get(`/api/events/${slug}`)).body.event;
    expect(await get('zzp-evening')).toMatchObject({
      occurredAt: '2025-01-27T21:00:00.000Z',
      precision: 'after_close',
      timeZone: 'America/New_York',
      occurredUntil: null,
    });
    expect(await get('zzp-morning')).toMatchObject({ occurredAt: '2025-01-27T15:00:00.000Z', precision: 'before_open' });
    expect(await get('zzp-window')).toMatchObject({
      occurredAt: '2025-01-27T20:30:00.000Z',
      occurredUntil: '2025-01-27T22:00:00.000Z',
      precision: 'interval',
      timeZone: 'America/New_York',
    });
    expect(await get('zzp-date')).toMatchObject({ dateOnly: true, precision: 'date', timeZone: null });
  });

  it.each([
    [
      'a part of day without a zone',
      'slug,title,date,part_of_day\nzzq-a,A,2025-01-27,after_close\n',
      /row 2: part_of_day needs a time_zone/,
    ],
    [
      'an unknown part of day',
      'slug,title,date,part_of_day,time_zone\nzzq-a,A,2025-01-27,evening,America/New_York\n',
      /row 2: part_of_day "evening"/,
    ],
    [
      'a part of day of an instant',
      'slug,title,instant,part_of_day,time_zone\nzzq-a,A,2025-01-27T12:00:00Z,after_close,UTC\n',
      /row 2: part_of_day goes with a date/,
    ],
    [
      'an interval ending first',
      'slug,title,instant,until,time_zone\nzzq-a,A,2025-01-27T12:00:00Z,2025-01-27T11:00:00Z,UTC\n',
      /row 2: until .* does not come after/,
    ],
    [
      'an interval without a zone',
      'slug,title,instant,until\nzzq-a,A,2025-01-27T12:00:00Z,2025-01-27T13:00:00Z\n',
      /row 2: an interval .* needs the event's time_zone/,
    ],
    [
      'a zone that is not one',
      'slug,title,date,part_of_day,time_zone\nzzq-a,A,2025-01-27,after_close,Mars/Olympus\n',
      /row 2: time_zone "Mars\/Olympus"/,
    ],
  ])('refuses %s', async (_what, csv, message) => {
    await expect(importDirectory(t.db, folder({ 'ZZQ.csv': BARS, 'events.csv': csv }))).rejects.toThrow(message);
    expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM events WHERE slug LIKE 'zzq-%'`)).toBe(0);
  });
});
