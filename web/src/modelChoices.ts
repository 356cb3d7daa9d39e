// The factor models (issue 24) offered by the model selectors of the event and studies pages, after the page's own.
import { el } from './dom';

const FACTOR_MODELS: [value: string, text: string][] = [
  ['ff3', 'Fama-French 3 factors'],
  ['carhart', 'Carhart 4 factors (US only)'],
  ['ff5', 'Fama-French 5 factors'],
];

/** Appends the factor models to a model selector. */
export function addFactorModelChoices(select: HTMLSelectElement): void {
  for (const [value, text] of FACTOR_MODELS) select.append(el('option', { text, attrs: { value } }));
}
