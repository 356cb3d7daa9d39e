// The parameters of an event study (windows, minimum estimation sample, CAR windows), their defaults and checks.
import { DEFAULT_ESTIMATION_WINDOW, DEFAULT_MIN_OBSERVATIONS, type Window } from './marketModel';

export interface EventStudyParams {
  /** event window, trading-day offsets relative to day 0 */
  window: Window;
  /** estimation window; must end before the event window starts */
  estimation: Window;
  /** fewest paired returns for which the market model is fitted */
  minObs: number;
  carWindows: readonly Window[];
}

export const DEFAULT_EVENT_STUDY_PARAMS: Readonly<EventStudyParams> = {
  // [-10, 10] starts right after the default estimation window ends at -11.
  window: [-10, 10],
  estimation: DEFAULT_ESTIMATION_WINDOW,
  minObs: DEFAULT_MIN_OBSERVATIONS,
  carWindows: [
    [0, 0],
    [0, 1],
    [-1, 1],
    [0, 5],
  ],
};

export function formatWindow([from, to]: Window): string {
  return `[${from},${to}]`;
}

export function resolveParams(overrides: Partial<EventStudyParams> | undefined): EventStudyParams {
  const given = Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined);
  const params: EventStudyParams = { ...DEFAULT_EVENT_STUDY_PARAMS, ...Object.fromEntries(given) };
  const windows: [string, Window][] = [
    ['window', params.window],
    ['estimation', params.estimation],
    ...params.carWindows.map((w): [string, Window] => [`carWindow ${formatWindow(w)}`, w]),
  ];
  for (const [name, [from, to]] of windows) {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
      throw new RangeError(`${name} must be integer offsets [from, to] with from <= to`);
    }
  }
  if (params.estimation[1] >= params.window[0]) {
    // Overlap would let the event's own returns define the "normal" returns it is measured against.
    throw new RangeError(
      `estimation window ${formatWindow(params.estimation)} must end before the event window ${formatWindow(params.window)}`,
    );
  }
  if (!Number.isInteger(params.minObs) || params.minObs < 3) {
    throw new RangeError('minObs must be an integer >= 3 (the residual sigma needs n - 2 > 0)');
  }
  return params;
}
