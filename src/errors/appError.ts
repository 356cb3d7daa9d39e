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

// One code per kind of mistake (README, "Error codes"): a request that cannot be read is bad_request; a malformed or
// inconsistent parameter invalid_parameter; a symbol that is not a stored instrument unknown_symbol; any other
// unknown thing (event, group, move, study) not_found.

/** The request itself cannot be read (a body that is not JSON). */
export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const notFound = (message: string, details?: unknown) => new AppError(404, 'not_found', message, details);

/** A malformed or inconsistent parameter (from after to, two that exclude each other): a 400 naming it. */
export const invalidParameter = (param: string, message: string, where = 'query parameter') =>
  new AppError(400, 'invalid_parameter', `Invalid ${where}: ${param}: ${message}`, [{ param, message }]);

/** Symbols that are not stored instruments, named by a parameter (or the path): a 404 naming them and it. */
export function unknownSymbolError(symbols: readonly string[], param: string): AppError {
  const message = `unknown symbol${symbols.length > 1 ? 's' : ''} ${symbols.join(', ')}`;
  return new AppError(404, 'unknown_symbol', `${param}: ${message}`, [{ param, message }]);
}

/** A zod failure as a 400 whose message names every offending parameter. */
export function validationError(err: z.ZodError, where: string): AppError {
  const issues = err.issues.map((i) => ({ param: i.path.join('.') || where, message: i.message }));
  const message = issues.map((i) => `${i.param}: ${i.message}`).join('; ');
  return new AppError(400, 'invalid_parameter', `Invalid ${where}: ${message}`, issues);
}
