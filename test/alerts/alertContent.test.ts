// The pure parts: which rules a price crosses (through the analysis core), signed links, and what the emails
// say, HTML escaping included.
import { closeRules, intradayRule } from '../../src/analysis/alertRules';
import {
  composeAlertEmail,
  composeConfirmationEmail,
  composeDigestEmail,
  escapeHtml,
  shortTitle,
  type MoveForEmail,
} from '../../src/notifications/emailContent';
import { CONFIRM_LINK_TTL_SECONDS, createLinkSigner } from '../../src/notifications/linkTokens';
import { classifySmtpError } from '../../src/outbox/outboxSender';

const bars = (closes: number[]) => closes.map((close, i) => ({ date: `2025-01-${String(i + 1).padStart(2, '0')}`, close }));

describe('closeRules', () => {
  it.each([
    [100, 94.99, 5, ['close_move']],
    [100, 95, 5, ['close_move']], // exactly the threshold counts
    [100, 95.01, 5, []],
    [100, 105, 5, ['close_move']],
    [100, 110, 12.5, []],
  ])('%d -> %d with %d%%: %j', (previous, close, minMovePct, rules) => {
    expect(closeRules(bars([previous, close]), null, { minMovePct, minAbnormalZ: null }).map((r) => r.rule)).toEqual(rules);
  });

  it('uses the abnormal return of the market model for close_abnormal', () => {
    // 60 quiet days where the stock follows its benchmark, then a day the stock drops 4% on a flat market
    const benchmark: number[] = [100];
    const stock: number[] = [50];
    for (let i = 1; i <= 60; i++) {
      const r = Math.sin(i) * 0.01;
      benchmark.push(benchmark[i - 1] * (1 + r));
      stock.push(stock[i - 1] * (1 + 1.5 * r + Math.cos(i * 7) * 0.002));
    }
    benchmark.push(benchmark[60]);
    stock.push(stock[60] * 0.96);
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const series = (closes: number[]) => closes.map((close, i) => ({ date: day(i), close }));
    const rules = closeRules(series(stock), series(benchmark), { minMovePct: 5, minAbnormalZ: 3 });
    expect(rules.map((r) => r.rule)).toEqual(['close_abnormal']);
    expect(rules[0].move).toBeCloseTo(-0.04, 12);
    expect(rules[0].abnormalReturn!).toBeCloseTo(-0.04, 2);
    expect(rules[0].z!).toBeLessThan(-3);
    // without an abnormal-return threshold: no alert for this 4% day
    expect(closeRules(series(stock), series(benchmark), { minMovePct: 5, minAbnormalZ: null })).toEqual([]);
  });

  it('needs two bars', () => {
    expect(closeRules(bars([100]), null, { minMovePct: 1, minAbnormalZ: null })).toEqual([]);
  });
});

describe('intradayRule', () => {
  it('compares the latest price with the previous close', () => {
    expect(intradayRule({ date: '2025-01-02', close: 200 }, { date: '2025-01-03', close: 184 }, { minMovePct: 8 })).toEqual({
      rule: 'intraday_move',
      move: expect.closeTo(-0.08, 12),
      abnormalReturn: null,
      z: null,
    });
    expect(intradayRule({ date: '2025-01-02', close: 200 }, { date: '2025-01-03', close: 185 }, { minMovePct: 8 })).toBeNull();
  });
});

describe('signed links', () => {
  const signer = createLinkSigner('a-secret-of-enough-length', 'abcdef012345');
  const other = createLinkSigner('another-secret-of-enough-length', 'abcdef012345');

  it('verify what they signed, for that purpose only', () => {
    const token = signer.sign('unsubscribe', 42);
    expect(signer.verify(token, 'unsubscribe')).toBe(42);
    expect(signer.verify(token, 'confirm')).toBeNull();
    expect(other.verify(token, 'unsubscribe')).toBeNull();
    expect(signer.verify(token.replace('.42.', '.43.'), 'unsubscribe')).toBeNull();
  });

  it('let confirmation links expire, unsubscribe links not', () => {
    const issued = new Date('2025-01-01T00:00:00Z');
    const later = new Date(issued.getTime() + (CONFIRM_LINK_TTL_SECONDS + 60) * 1000);
    expect(signer.verify(signer.sign('confirm', 7, issued), 'confirm', later)).toBeNull();
    expect(signer.verify(signer.sign('confirm', 7, issued), 'confirm', new Date(issued.getTime() + 1000))).toBe(7);
    expect(signer.verify(signer.sign('unsubscribe', 7, issued), 'unsubscribe', later)).toBe(7);
  });
});

describe('emails', () => {
  const move = (over: Partial<MoveForEmail> = {}): MoveForEmail => ({
    symbol: 'NVDA',
    name: 'NVIDIA Corporation',
    currency: 'USD',
    sessionDate: '2025-01-27',
    rules: ['close_move', 'close_abnormal'],
    move: -0.16968,
    abnormalReturn: -0.14612,
    z: -7.08,
    price: 118.42,
    previousClose: 142.62,
    event: { slug: 'deepseek-app-store-no1', title: 'DeepSeek app tops the US App Store' },
    news: [],
    ...over,
  });
  const links = {
    baseUrl: 'https://aftershock.example',
    unsubscribeUrl: 'https://aftershock.example/api/subscriptions/unsubscribe?token=u.1.x.y',
    manageUrl: 'https://aftershock.example/subscriptions/manage?token=m.1.x.y',
  };
  const terms = { symbols: ['NVDA'], group: null, minMovePct: 5, minAbnormalZ: 3, mode: 'instant' as const };

  it('name the move, its abnormal return and the event in the subject', () => {
    const email = composeAlertEmail([move()], terms, links);
    expect(email.subject).toBe('NVDA -16.97% (abnormal -14.6%, z -7.1) · DeepSeek app tops the US App Store');
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.text).toContain('https://aftershock.example/events/deepseek-app-store-no1');
    expect(email.text).toContain(links.unsubscribeUrl);
    expect(email.text).toContain(`Change this subscription (instruments, thresholds, mode): ${links.manageUrl}`);
    expect(email.html).toContain(`href="${links.manageUrl}"`);
  });

  it('name a followed group as the group, in alerts and digests', () => {
    const groupTerms = { ...terms, symbols: [], group: 'chip-makers' };
    const alert = composeAlertEmail([move()], groupTerms, links);
    expect(alert.text).toContain('alerts for the instruments of the group chip-makers: moves of 5% or more');
    const digest = composeDigestEmail('New York', '2025-01-27', [move()], { ...groupTerms, mode: 'digest' }, links);
    expect(digest.text).toContain('the instruments of the group chip-makers');
    expect(digest.text).toContain(links.manageUrl);
  });

  it('escape every value in HTML', () => {
    const hostile = move({
      name: '<script>alert(1)</script>',
      event: { slug: 'x', title: 'A "quoted" & <b>bold</b> title' },
      news: [{ title: '<img src=x>', url: 'https://n.example/?a=1&b="2"', publisher: "O'Reilly" }],
    });
    const { html } = composeAlertEmail([hostile], terms, links);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('href="https://n.example/?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('O&#39;Reilly');
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });

  it('name two moves and count the rest', () => {
    const email = composeAlertEmail(
      [
        move(),
        move({ symbol: '6857.T', move: -0.086, abnormalReturn: null, z: null, event: null }),
        move({ symbol: '9984.T', move: -0.083, event: null }),
      ],
      terms,
      links,
    );
    expect(email.subject).toBe('NVDA -16.97% (abnormal -14.6%, z -7.1), 6857.T -8.60% and 1 more · DeepSeek app tops the US App Store');
  });

  it('shorten long event titles to their headline', () => {
    expect(
      shortTitle('DeepSeek app reaches No. 1 free app on the US App Store, up from No. 31 a few days earlier (Appfigures); date only'),
    ).toBe('DeepSeek app reaches No. 1 free app on the US App Store');
    expect(shortTitle('x'.repeat(100)).length).toBeLessThanOrEqual(70);
  });

  it('a confirmation says what was asked for and that ignoring it is enough', () => {
    const email = composeConfirmationEmail(
      { ...terms, symbols: [], mode: 'digest' },
      { ...links, confirmUrl: 'https://aftershock.example/api/subscriptions/confirm?token=c.1.x.y' },
    );
    expect(email.text).toContain(
      'every instrument Aftershock tracks: moves of 5% or more, or an abnormal return of |z| 3 or more; one digest email after each market close',
    );
    expect(email.text).toContain('nothing else will be sent');
    expect(email.html).toContain('href="https://aftershock.example/api/subscriptions/confirm?token=c.1.x.y"');
    expect(email.text).toContain(`Change the instruments, thresholds or mode first: ${links.manageUrl}`);
  });
});

describe('SMTP errors', () => {
  it.each([
    [{ code: 'ESOCKET' }, 'transient'],
    [{ code: 'ECONNECTION' }, 'transient'],
    [{ code: 'ETIMEDOUT' }, 'transient'],
    [{ code: 'EENVELOPE', responseCode: 451 }, 'transient'],
    [{ code: 'EMESSAGE', responseCode: 421 }, 'transient'],
    [{ code: 'EAUTH', responseCode: 535 }, 'transient'],
    [{ code: 'EENVELOPE', responseCode: 550 }, 'permanent'],
    [{ code: 'EMESSAGE', responseCode: 554 }, 'permanent'],
  ])('%j is %s', (err, kind) => {
    expect(classifySmtpError(Object.assign(new Error('x'), err))).toBe(kind);
  });
});
