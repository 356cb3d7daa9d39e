// Domain errors with a code and an HTTP status: what a capability throws when a request cannot be served
// (unknown record, bad parameter). Routes, CLI commands and jobs all throw them; the HTTP kernel's error
// handler (src/http/errors.ts) turns them into the API's one error shape, the CLI into a message and exit code.
import type { z } from 'zod';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const notFound = (message: string) => new AppError(404, 'not_found', message);

/** A zod failure as a 400 whose message names every offending parameter. */
export function validationError(err: z.ZodError, where: string): AppError {
  const issues = err.issues.map((i) => ({ param: i.path.join('.') || where, message: i.message }));
  const message = issues.map((i) => `${i.param}: ${i.message}`).join('; ');
  return new AppError(400, 'invalid_parameter', `Invalid ${where}: ${message}`, issues);
}
