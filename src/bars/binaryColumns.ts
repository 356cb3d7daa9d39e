// A series' column read as Postgres's binary send format, aggregated in date order into one bytea: no number is
// printed as text by Postgres and parsed back by Node (big-endian int4 day numbers since 1970-01-01 and float8
// values; a missing value is NaN, as BarColumns holds it). The bars a worker gets are the same bits as before.

/** SQL aggregate: the dates of `alias` as int4 day numbers, in date order. */
export const dayColumnSql = (alias: string) => `string_agg(int4send(${alias}.date - date '1970-01-01'), '' ORDER BY ${alias}.date)`;

/** SQL aggregate: `column` of `alias` as float8 (NULL as NaN), in date order. */
export const float8ColumnSql = (alias: string, column: string) =>
  `string_agg(float8send(coalesce(${alias}.${column}::float8, 'NaN')), '' ORDER BY ${alias}.date)`;

export function int4s(bytes: Buffer): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, false);
  return out;
}

export function float8s(bytes: Buffer): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, false);
  return out;
}
