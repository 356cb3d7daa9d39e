// One error code per kind of mistake (issue 21, item 10): a malformed or inconsistent parameter is
// invalid_parameter, a symbol that is not stored unknown_symbol, any other unknown thing not_found; each names the
// parameter in details.
import request from 'supertest';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

describe('error codes', () => {
  it.each([
    ['from after to', '/api/instruments/NVDA/bars?from=2025-02-01&to=2025-01-01', 'from'],
    ['a bad date', '/api/instruments/NVDA/bars?from=yesterday', 'from'],
    ['from after to in moves', '/api/moves?from=2025-02-01&to=2025-01-01', 'from'],
    ['an inverted window', '/api/events/deepseek-app-store-no1/impact?window=10,-5', 'window'],
  ])('%s is a 400 invalid_parameter naming it', async (_what, url, param) => {
    const res = await request(t.app.url).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(res.body.error.details.map((d: { param: string }) => d.param)).toContain(param);
  });

  it.each([
    ['in impact', '/api/events/deepseek-app-store-no1/impact?symbols=NOPE', 'symbols'],
    ['in moves', '/api/moves?symbol=NOPE', 'symbol'],
    ['in an export', '/api/export/bars.csv?symbols=NOPE', 'symbols'],
    ['in the path', '/api/instruments/NOPE/bars', 'symbol'],
  ])('an unknown symbol %s is a 404 unknown_symbol naming the parameter', async (_where, url, param) => {
    const res = await request(t.app.url).get(url);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_symbol', details: [{ param }] });
    expect(res.body.error.message).toContain('NOPE');
  });

  it('an unknown event is a 404 not_found', async () => {
    const res = await request(t.app.url).get('/api/events/no-such-event/impact');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
