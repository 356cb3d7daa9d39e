// Shared request validators, so every route names a bad parameter the same way.
import type { Request } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { validationError } from '../errors/appError';
import { BAR_INTERVALS } from '../marketdata/provider';

/** The dates and instants the API and the CLI accept: anything else is a 400 (or a usage error), never a 500. */
const MIN_DATE = '1900-01-01';
const MAX_DATE = '2100-12-31';
const MIN_INSTANT = Date.parse(`${MIN_DATE}T00:00:00Z`);
const MAX_INSTANT = Date.parse(`${MAX_DATE}T23:59:59.999Z`);
export const DATE_RANGE_MESSAGE = `must be between ${MIN_DATE} and ${MAX_DATE}`;

/** An instant within the accepted range (UTC: 1900-01-01T00:00Z to the end of 2100-12-31). */
export function instantInRange(d: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && t >= MIN_INSTANT && t <= MAX_INSTANT;
}

/** A YYYY-MM-DD date within the accepted range. */
export function dateInRange(date: string): boolean {
  return date >= MIN_DATE && date <= MAX_DATE;
}

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine((v) => DateTime.fromISO(v, { zone: 'UTC' }).isValid, { message: 'is not a real calendar date', abort: true })
  .refine(dateInRange, DATE_RANGE_MESSAGE);

/** A bar interval the store holds: 1d (daily bars) or an intraday one (1m, 5m, 15m, 1h). */
export const barInterval = z.enum(BAR_INTERVALS, { message: `must be one of ${BAR_INTERVALS.join(', ')}` });

export const symbolParam = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9^=.-]+$/, 'is not a ticker symbol');

export const slugParam = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like deepseek-r1-release');

/** Comma-separated symbols: "NVDA,6857.T". */
export const symbolList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(symbolParam).min(1, 'must name at least one symbol').max(200));

export function parseQuery<T extends z.ZodType>(req: Request, schema: T): z.infer<T> {
  const r = schema.safeParse(req.query);
  if (!r.success) throw validationError(r.error, 'query parameter');
  return r.data;
}

export function parseParams<T extends z.ZodType>(req: Request, schema: T): z.infer<T> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw validationError(r.error, 'path parameter');
  return r.data;
}

export function parseBody<T extends z.ZodType>(req: Request, schema: T): z.infer<T> {
  const r = schema.safeParse(req.body ?? {});
  if (!r.success) throw validationError(r.error, 'body');
  return r.data;
}
