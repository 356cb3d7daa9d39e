// `aftershock export ...` (the built CLI, a process of its own) writes the bytes the endpoint sends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { useTestApp } from '../support/testApp';

const root = path.resolve(__dirname, '../..');
const t = useTestApp();

function cli(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'bin/aftershock.js'), ...args], {
      env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    proc.stdout.on('data', (d: Buffer) => out.push(d));
    proc.stderr.on('data', (d) => (err += d));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

const endpoint = async (p: string) => Buffer.from(await (await fetch(t.app.url + p)).arrayBuffer());

describe('aftershock export', () => {
  it.each([
    [
      'bars',
      ['bars', '--symbols', 'NVDA,6857.T', '--from', '2024-12-01', '--to', '2025-02-28'],
      '/api/export/bars.csv?symbols=NVDA,6857.T&from=2024-12-01&to=2025-02-28',
    ],
    ['bars with a BOM', ['bars', '--symbols', '^N225', '--bom'], '/api/export/bars.csv?symbols=^N225&bom=1'],
    ['moves', ['moves', '--symbol', 'NVDA', '--min', '5'], '/api/export/moves.csv?symbol=NVDA&min=5'],
    ['events', ['events'], '/api/export/events.csv'],
    [
      'impact',
      ['impact', 'deepseek-app-store-no1', '--symbols', 'NVDA,8035.T', '--window=-2,5', '--min-obs', '40', '--bom'],
      '/api/export/events/deepseek-app-store-no1/impact.csv?symbols=NVDA,8035.T&window=-2,5&minObs=40&bom=1',
    ],
  ])('%s: the same bytes as the endpoint', async (_name, args, url) => {
    const [run, http] = await Promise.all([cli(['export', ...args]), endpoint(url)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(http.length).toBeGreaterThan(200);
    expect(run.stdout.equals(http)).toBe(true);
  });

  it('refuses a bad option with exit code 2 and names it, writing no CSV', async () => {
    const run = await cli(['export', 'bars', '--symbols', 'NVDA', '--from', '2025-02-30']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('from');
    expect(run.stdout.length).toBe(0);
  });

  it('names an unknown symbol and exits 2, as for any wrong argument', async () => {
    const run = await cli(['export', 'bars', '--symbols', 'NVDA,NOPE']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('NOPE');
    expect(run.stdout.length).toBe(0);
  });
});
