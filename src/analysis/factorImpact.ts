// The single-instrument event study under a factor model (shared/methods/factors.md): the market-model impact
// keeps its prices, moves, market values and volumes; its abnormal returns, CARs (t = CAR / (s sqrt(V)), p on
// L1 - k degrees of freedom), BHAR and model come from the cross-section engine's factor fit of the same bars.
import { resolveCrossSectionOptions, studyMember, type CrossSectionMemberInput, type FactorModelKind } from './crossSection';
import type { EventImpact } from './eventStudy';
import type { Window } from './marketModel';
import { twoSidedPValue } from './stats';

export interface FactorImpactParams {
  model: FactorModelKind;
  window: Window;
  estimation: Window;
  minObs: number;
  carWindows: readonly Window[];
}

/** What the impact answer says of a factor model beside alpha, beta, sigma and n. */
export interface FactorImpactModel {
  kind: FactorModelKind;
  dof: number | null;
  coefficients: { name: string; value: number; se: number }[] | null;
  factorRegion: string | null;
  factorVintage: string | null;
}

/** `impact` (computed under the market model) with the factor model's numbers instead; `input` is its member. */
export function withFactorModel(
  impact: EventImpact,
  input: CrossSectionMemberInput,
  params: FactorImpactParams,
): EventImpact & { model: EventImpact['model'] & FactorImpactModel } {
  const from = Math.min(params.window[0], ...params.carWindows.map((w) => w[0]));
  const to = Math.max(params.window[1], ...params.carWindows.map((w) => w[1]));
  // the member's window covers every CAR window (the engine computes ARs on its window only)
  const window: Window = params.estimation[1] < from ? [from, to] : params.window;
  const cars = params.carWindows.filter(([a, b]) => a >= window[0] && b <= window[1]);
  const options = resolveCrossSectionOptions({ model: params.model, window, estimation: params.estimation, minObs: params.minObs, cars });
  const { member } = studyMember(input, options);
  const model = {
    alpha: member.model.alpha,
    beta: member.model.beta,
    sigma: member.model.sigma,
    r2: null,
    n: member.model.n,
    kind: params.model,
    dof: member.model.dof,
    coefficients: member.model.coefficients ?? null,
    factorRegion: member.model.factorRegion ?? null,
    factorVintage: member.model.factorVintage ?? null,
  };
  if (impact.status === 'no_data') return { ...impact, model };
  const fitted = member.status === 'ok';
  const arAt = new Map(member.days.map((d) => [d.offset, d.abnormalReturn]));
  let car: number | null = 0;
  const days = impact.days.map((d) => {
    const abnormalReturn = fitted ? (arAt.get(d.offset) ?? null) : null;
    car = car !== null && abnormalReturn !== null ? car + abnormalReturn : null;
    return { ...d, abnormalReturn, car };
  });
  const scarOf = new Map(member.cars.map((c) => [`${c.from},${c.to}`, c]));
  const impactCars = params.carWindows.map(([a, b]) => {
    const c = fitted ? scarOf.get(`${a},${b}`) : undefined;
    if (!c || c.car === null) return { from: a, to: b, car: null, t: null, p: null };
    const t = c.scar;
    return { from: a, to: b, car: c.car, t, p: t === null || member.model.dof === null ? null : twoSidedPValue(t, member.model.dof) };
  });
  // BHAR: prod(1 + r) - prod(1 + expected), the expected return r - AR
  let held: number | null = 1;
  let expected = 1;
  for (let o = params.window[0]; o <= params.window[1] && held !== null; o++) {
    const day = member.days.find((d) => d.offset === o);
    if (!fitted || !day || day.return === null || day.abnormalReturn === null) held = null;
    else {
      held *= 1 + day.return;
      expected *= 1 + day.return - day.abnormalReturn;
    }
  }
  const status = member.status === 'ok' ? 'ok' : member.status === 'no_factors' ? 'no_factors' : 'insufficient_estimation';
  return {
    ...impact,
    status,
    statusReason: fitted ? `${input.symbol}: ${member.statusReason}` : member.statusReason,
    model,
    days,
    cars: impactCars,
    bhar: held === null ? null : held - expected,
  };
}
