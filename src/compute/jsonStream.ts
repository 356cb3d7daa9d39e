// An answer object as JSON text written piece by piece: the one big array of the answer (a study's members, an
// impact's results) item by item, so no single string ever holds the whole answer (JSON.stringify of a study of
// many members overflowed V8's string limit). The text is the same as JSON.stringify's.
import type { ChunkWriter } from './chunkChannel';

export async function writeJson(writer: ChunkWriter, value: Record<string, unknown>, streamed: string): Promise<void> {
  let first = true;
  await writer.write('{');
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    await writer.write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (key === streamed && Array.isArray(v)) {
      await writer.write('[');
      for (let i = 0; i < v.length; i++) await writer.write((i > 0 ? ',' : '') + (JSON.stringify(v[i]) ?? 'null'));
      await writer.write(']');
    } else await writer.write(JSON.stringify(v));
  }
  await writer.write('}');
}
