// The wire shape of GET /api/openapi.json, as far as this API says anything about it: an OpenAPI 3.1 document.
import { z } from 'zod';

export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).describe('path -> method -> Operation Object'),
  components: z.record(z.string(), z.unknown()),
});
