// Volumes and abnormal-volume ratios as people read them: 818.8m shares, 3.65× normal. Pure (the browser tests
// format the API's numbers with it to compare them with the page).
import { MISSING } from './format';

/** A share count, compact: 818_830_900 -> "818.8m", 9_417_100 -> "9.42m", 45_300 -> "45.3k". */
export function formatVolume(volume: number | null | undefined): string {
  if (volume === null || volume === undefined || !Number.isFinite(volume) || volume <= 0) return MISSING;
  const units: [number, string][] = [
    [1e9, 'bn'],
    [1e6, 'm'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (volume >= size * 0.9995) {
      const scaled = volume / size;
      return `${scaled.toFixed(scaled >= 10 ? 1 : 2)}${suffix}`;
    }
  }
  return String(Math.round(volume));
}

/** Abnormal volume (volume / its normal) with 2 decimals: 3.649 -> "3.65×". */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return MISSING;
  return `${ratio.toFixed(2)}×`;
}
