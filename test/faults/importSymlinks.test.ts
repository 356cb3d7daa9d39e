// Issue 20, item 6: `aftershock import DIR` reads regular files only. A link to /etc/passwd, a link to a file
// outside the folder and even a link to a file of the folder are refused by name (so is a .csv that is a
// folder), whichever format the folder is in, before anything is opened; nothing is stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDirectory } from '../../src/bundled/folderImport';
import { useTestApp } from '../support/testApp';

const t = useTestApp();
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-import-links-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const count = async (sql: string) => Number((await t.db.pool.query(sql)).rows[0].n);
const zzRows = async () =>
  (await count(`SELECT count(*) AS n FROM instruments WHERE symbol LIKE 'ZZL%'`)) +
  (await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol LIKE 'ZZL%'`)) +
  (await count(`SELECT count(*) AS n FROM events WHERE slug LIKE 'zzl-%'`));

/** A good folder in the documented format, then `extra` adds the entry under test. */
function folder(name: string, extra: (dir: string) => void): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'ZZLA.csv'), 'date,close\n2025-01-02,10\n2025-01-03,11\n');
  fs.writeFileSync(path.join(dir, 'events.csv'), 'slug,title,date\nzzl-news,ZZL news,2025-01-03\n');
  extra(dir);
  return dir;
}

async function refused(dir: string, entry: string): Promise<void> {
  await expect(importDirectory(t.db, dir)).rejects.toThrow(
    new RegExp(`${entry.replace(/[.^]/g, '\\$&')}: is (a symbolic link|not a regular file)`),
  );
  expect(await zzRows()).toBe(0);
}

describe('import refuses what is not a regular file of the folder', () => {
  it('a link to /etc/passwd as a bar file', async () => {
    await refused(
      folder('passwd', (dir) => fs.symlinkSync('/etc/passwd', path.join(dir, 'ZZLP.csv'))),
      'ZZLP.csv',
    );
  });
  it('a link to /etc/passwd as events.csv', async () => {
    const dir = folder('passwd-events', () => {});
    fs.rmSync(path.join(dir, 'events.csv'));
    fs.symlinkSync('/etc/passwd', path.join(dir, 'events.csv'));
    await refused(dir, 'events.csv');
  });
  it('a link to a bar file outside the folder', async () => {
    const outside = path.join(tmp, 'ZZLO.csv');
    fs.writeFileSync(outside, 'date,close\n2025-01-02,10\n');
    await refused(
      folder('outside', (dir) => fs.symlinkSync(outside, path.join(dir, 'ZZLO.csv'))),
      'ZZLO.csv',
    );
  });
  it('a link to a file of the folder itself', async () => {
    await refused(
      folder('inside', (dir) => fs.symlinkSync(path.join(dir, 'ZZLA.csv'), path.join(dir, 'ZZLB.csv'))),
      'ZZLB.csv',
    );
  });
  it('a link in a folder of the bundled format (shares_outstanding.csv)', async () => {
    const dir = path.join(tmp, 'bundled');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'shares_outstanding.csv'), 'ticker,shares,as_of,basis,confidence,source\n');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'NVDA.csv'));
    await expect(importDirectory(t.db, dir)).rejects.toThrow(/NVDA\.csv: is a symbolic link/);
  });
  it('a folder named like a bar file', async () => {
    await refused(
      folder('subfolder', (dir) => fs.mkdirSync(path.join(dir, 'ZZLD.csv'))),
      'ZZLD.csv',
    );
  });
  it('the same folder without the link imports', async () => {
    const dir = folder('clean', () => {});
    await importDirectory(t.db, dir);
    expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol = 'ZZLA'`)).toBe(2);
  });
});
