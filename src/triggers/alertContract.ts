// The wire shape of /api/alerts: zod schemas for the OpenAPI document and the response tests, and the types
// that the handlers use. Addresses and Message-IDs are there only for the admin token.
import { z } from 'zod';

const emailSwitch = z.enum(['on', 'off']).describe('whether an SMTP server is configured');

const deliverySchema = z.strictObject({
  emailId: z.number().int(),
  kind: z.string().nullable(),
  status: z.string().nullable(),
  attempts: z.number().int().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.iso.datetime().nullable(),
  nextAttemptAt: z.iso
    .datetime()
    .nullable()
    .describe('while pending: when the sender tries it (again); null once sent, failed or cancelled'),
  messageId: z.string().nullable().optional().describe('admin only'),
});

const alertSchema = z.strictObject({
  id: z.number().int(),
  subscriptionId: z.number().int(),
  email: z.string().optional().describe('admin only'),
  mode: z.enum(['instant', 'digest']),
  symbol: z.string(),
  sessionDate: z.iso.date(),
  rule: z.enum(['intraday_move', 'close_move', 'close_abnormal']),
  move: z.number().describe('fraction'),
  abnormalReturn: z.number().nullable(),
  z: z.number().nullable(),
  price: z.number().nullable(),
  event: z.strictObject({ slug: z.string(), title: z.string().nullable() }).nullable(),
  createdAt: z.iso.datetime(),
  status: z.string().describe("the email's status; pending also while no email carries the alert yet"),
  delivery: deliverySchema.nullable().describe('the email that carries the alert, once there is one'),
});

export const alertListResponse = z.strictObject({
  email: emailSwitch,
  alerts: z.array(alertSchema),
  nextBefore: z.number().int().nullable().describe('pass as `before` for the next (older) page; null when this page is the last'),
});

export const outboxResponse = z.strictObject({
  email: emailSwitch,
  pending: z.number().int(),
  sending: z.number().int(),
  failed: z.number().int(),
  oldestPendingSeconds: z.number().nullable().describe('age of the oldest pending email; null when none'),
});

export type AlertListResponse = z.infer<typeof alertListResponse>;
export type OutboxResponse = z.infer<typeof outboxResponse>;
