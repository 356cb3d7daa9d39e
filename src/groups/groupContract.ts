// The wire shape of /api/groups: zod schemas for the OpenAPI document and the response tests.
import { z } from 'zod';

const groupSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  symbols: z.array(z.string()).describe('member symbols in the order they were added'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const groupListResponse = z.strictObject({ groups: z.array(groupSchema) });
export const groupResponse = z.strictObject({ group: groupSchema });
