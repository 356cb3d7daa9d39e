// The bundled news says what the news said (issue 21, item 11): no notes about our own files or copies in the titles
// and sources of data/market/events.csv; those notes are SOURCES.md's.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

const DATA = path.join(__dirname, '../../data/market');
const rows = parse(fs.readFileSync(path.join(DATA, 'events.csv')), { columns: true }) as Record<string, string>[];

describe('bundled news text', () => {
  it.each(rows.map((r) => [r.title, r]))('%s carries no internal note', (_title, row) => {
    for (const text of [row.title, row.source]) {
      expect(text).not.toMatch(/\.csv|bundled|gowup|date only|not established/i);
    }
  });

  it('keeps the provenance in SOURCES.md', () => {
    const sources = fs.readFileSync(path.join(DATA, 'SOURCES.md'), 'utf8');
    expect(sources).toContain('Tokyo Electron move (-4.9%) is from a CNBC copy (gowup.online)');
    expect(sources).toContain('the close 128.99 (+8.9%) is the bundled');
    expect(sources).toContain('the exact time was not established');
  });
});
