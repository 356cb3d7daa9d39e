// The view settings form: filled from the URL and the impact answer's defaults, read back into a view whose
// unchanged defaults stay out of the URL.
import type { Instrument } from '../api';
import { byIds, el, replaceChildren } from '../dom';
import type { ImpactViewParams } from '../impactView';
import { addFactorModelChoices } from '../modelChoices';
import { stylesOf } from './state';

export interface ViewForm {
  form: HTMLFormElement;
  windowFrom: HTMLInputElement;
  windowTo: HTMLInputElement;
  estimationFrom: HTMLInputElement;
  estimationTo: HTMLInputElement;
  minObs: HTMLInputElement;
  benchmark: HTMLSelectElement;
  model: HTMLSelectElement;
  symbols: HTMLElement;
  message: HTMLElement;
  reset: HTMLAnchorElement;
}

/** The form's controls in the page's HTML. */
export function viewFormOf(): ViewForm {
  return byIds<ViewForm>({
    form: 'view-form',
    windowFrom: 'window-from',
    windowTo: 'window-to',
    estimationFrom: 'estimation-from',
    estimationTo: 'estimation-to',
    minObs: 'min-obs',
    benchmark: 'benchmark',
    model: 'impact-model',
    symbols: 'symbol-choices',
    message: 'view-form-message',
    reset: 'view-reset',
  });
}

export interface SetupProps {
  instruments: readonly Instrument[];
  /** the page's own address without a query: the defaults */
  pathname: string;
  onSubmit: () => void;
}

/** Offers the indexes and ETFs as benchmarks and hands a submit to `onSubmit`. Once per page. */
export function setupViewForm(f: ViewForm, { instruments, pathname, onSubmit }: SetupProps): void {
  addFactorModelChoices(f.model);
  const benchmarks = instruments.filter((i) => i.kind === 'index' || i.kind === 'etf');
  for (const b of benchmarks) f.benchmark.append(el('option', { text: `${b.symbol} · ${b.name}`, attrs: { value: b.symbol } }));
  f.reset.href = pathname;
  f.form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit();
  });
}

/** Checkboxes for the instruments an event study can run on (not FX); results' symbols always appear. */
function renderSymbolChoices(
  target: HTMLElement,
  { instruments, checked }: { instruments: readonly Instrument[]; checked: readonly string[] },
): void {
  // indexes are what instruments are measured against; offered as benchmarks, not as instruments
  const candidates = instruments.filter((i) => i.kind === 'equity' || i.kind === 'etf').map((i) => i.symbol);
  for (const s of checked) if (!candidates.includes(s)) candidates.push(s);
  // the ticked ones as the charts draw them (the palette goes to the instruments drawn together)
  const drawn = stylesOf(instruments, checked);
  const others = stylesOf(instruments, candidates);
  const styles = new Map(candidates.map((s) => [s, drawn.get(s) ?? others.get(s)]));
  replaceChildren(
    target,
    ...candidates.map((symbol) => {
      const input = el('input', { attrs: { type: 'checkbox', name: 'symbols', value: symbol, id: `symbol-${symbol}` } });
      input.checked = checked.includes(symbol);
      const swatch = el('span', {
        className: `swatch dash-${styles.get(symbol)?.dashName.replace(/\s+/g, '-')}`,
        attrs: { 'aria-hidden': 'true' },
      });
      swatch.style.borderTopColor = styles.get(symbol)?.color ?? '#000';
      return el('label', { className: 'symbol-choice', attrs: { for: `symbol-${symbol}` } }, input, swatch, symbol);
    }),
  );
}

export interface FillProps {
  /** the view in the URL */
  view: ImpactViewParams;
  /** what the server used last, for what the URL leaves open */
  effective: ImpactViewParams | null;
  instruments: readonly Instrument[];
}

/** Shows a view in the form: the URL's values, else the defaults the server used. */
export function renderViewForm(f: ViewForm, { view, effective, instruments }: FillProps): void {
  const w = view.window ?? effective?.window;
  const est = view.estimation ?? effective?.estimation;
  f.windowFrom.value = w ? String(w[0]) : '';
  f.windowTo.value = w ? String(w[1]) : '';
  f.estimationFrom.value = est ? String(est[0]) : '';
  f.estimationTo.value = est ? String(est[1]) : '';
  const minObs = view.minObs ?? effective?.minObs;
  f.minObs.value = minObs === undefined ? '' : String(minObs);
  const benchmark = view.benchmark ?? '';
  if (benchmark && ![...f.benchmark.options].some((o) => o.value === benchmark))
    f.benchmark.append(el('option', { text: benchmark, attrs: { value: benchmark } }));
  f.benchmark.value = benchmark;
  f.model.value = view.model ?? 'market';
  renderSymbolChoices(f.symbols, { instruments, checked: view.symbols ?? effective?.symbols ?? [] });
}

function readInt(input: HTMLInputElement): number | undefined {
  const v = input.value.trim();
  return v === '' || !/^-?\d+$/.test(v) ? undefined : Number(v);
}

function sameList(a: readonly (string | number)[] | undefined, b: readonly (string | number)[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A window from two inputs: none when both are empty, a problem in words when it cannot be one. */
function readPair(from: HTMLInputElement, to: HTMLInputElement, name: string): [number, number] | undefined | { problem: string } {
  const a = readInt(from);
  const b = readInt(to);
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined || b === undefined) return { problem: `${name}: give both ends as whole numbers of trading days.` };
  if (a > b) return { problem: `${name}: "from" must not be after "to".` };
  return [a, b];
}

/**
 * The view the form asks for, or why it cannot be read. A value equal to the default in force stays out of
 * the URL, unless the URL (`current`) already named it.
 */
export function readViewForm(
  f: ViewForm,
  current: ImpactViewParams,
  effective: ImpactViewParams | null,
): { view: ImpactViewParams } | { problem: string } {
  const eff = effective ?? {};
  const next: ImpactViewParams = {};
  const w = readPair(f.windowFrom, f.windowTo, 'Event window');
  if (w && !Array.isArray(w)) return w;
  const est = readPair(f.estimationFrom, f.estimationTo, 'Estimation window');
  if (est && !Array.isArray(est)) return est;
  if (w && (current.window || !sameList(w, eff.window))) next.window = w;
  if (est && (current.estimation || !sameList(est, eff.estimation))) next.estimation = est;
  const minObs = readInt(f.minObs);
  if (minObs !== undefined && (current.minObs !== undefined || minObs !== eff.minObs)) next.minObs = minObs;
  if (f.benchmark.value) next.benchmark = f.benchmark.value;
  const model = f.model.value;
  if (model === 'ff3' || model === 'carhart' || model === 'ff5') next.model = model;
  const symbols = [...f.symbols.querySelectorAll<HTMLInputElement>('input[name=symbols]:checked')].map((i) => i.value);
  if (symbols.length === 0) return { problem: 'Choose at least one instrument.' };
  if (current.symbols || !sameList(symbols, eff.symbols)) next.symbols = symbols;
  return { view: next };
}
