// Section 8: the group at each offset k, every member in its own bars: N_k members with status ok and an AR at k,
// AAR_k, CAAR_k from the window's start, CAAR0_k from the event bar, and for k >= 0 the cross-sectional t on the
// CAR0_{i,k}, Stouffer's Z and the BMP t on the Z_{i,k} (members without a Z left out of those two, counted in nZ).
import { bmpT, csectT, stoufferZ } from '../crossSection/testStatistics';
import type { IntradayAggregatePoint, IntradayMemberResult } from './intradayTypes';

export function groupAggregate(members: readonly IntradayMemberResult[], window: readonly [number, number]): IntradayAggregatePoint[] {
  const [w1, w2] = window;
  const length = w2 - w1 + 1;
  const ars: number[][] = Array.from({ length }, () => []);
  const car0s: number[][] = Array.from({ length }, () => []);
  const zs: number[][] = Array.from({ length }, () => []);
  for (const m of members) {
    if (m.status !== 'ok') continue;
    for (const p of m.points) {
      if (p.ar === null || p.k < w1 || p.k > w2) continue;
      const i = p.k - w1;
      ars[i].push(p.ar);
      if (p.k >= 0 && p.car0 !== null) car0s[i].push(p.car0);
      if (p.k >= 0 && p.z !== null) zs[i].push(p.z);
    }
  }
  const out: IntradayAggregatePoint[] = [];
  let caar = 0;
  let caar0 = 0;
  for (let i = 0; i < length; i++) {
    const n = ars[i].length;
    if (n === 0) continue;
    const k = w1 + i;
    let sum = 0;
    for (const ar of ars[i]) sum += ar;
    const aar = sum / n;
    caar += aar;
    if (k >= 0) caar0 += aar;
    out.push({
      k,
      n,
      aar,
      caar,
      caar0: k >= 0 ? caar0 : null,
      csectT: k >= 0 ? csectT(car0s[i]) : null,
      stoufferZ: k >= 0 ? stoufferZ(zs[i]) : null,
      bmpT: k >= 0 ? bmpT(zs[i]) : null,
      nZ: k >= 0 ? zs[i].length : 0,
    });
  }
  return out;
}
