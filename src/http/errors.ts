// One error shape for every error the API returns: {"error": {"code", "message", "details"}}.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailableError } from '../db/retry';
import { AppError, badRequest } from '../errors/appError';

/** No route answers this method and path: code no_route, so a client can tell it from a missing record (not_found). */
export const apiNotFound: RequestHandler = (req, _res, next) =>
  next(new AppError(404, 'no_route', `No API route ${req.method} ${req.path}`));

const DATABASE_UNAVAILABLE = 'The database cannot be reached right now; try again shortly';

/** While `down()` (the embedded Postgres is being started again), answer 503 at once instead of waiting for the pool. */
export const unavailableWhile =
  (down: () => boolean): RequestHandler =>
  (_req, res, next) => {
    if (!down()) return next();
    res.setHeader('Retry-After', '5');
    next(new AppError(503, 'database_unavailable', DATABASE_UNAVAILABLE));
  };

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appErr: AppError;
  if (err instanceof AppError) appErr = err;
  else if (err?.type === 'entity.parse.failed') appErr = badRequest('Request body is not valid JSON');
  else if (err?.type === 'entity.too.large') appErr = new AppError(413, 'payload_too_large', `Request body exceeds ${err.limit} bytes`);
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500)
    appErr = new AppError(err.status, 'bad_request', err.expose ? err.message : 'Bad request');
  else if (isDatabaseUnavailableError(err)) {
    // the database is down or restarting: say so (and when to come back) rather than a bare 500
    req.log?.warn({ err: { message: err?.message, code: err?.code } }, 'database unavailable');
    if (!res.headersSent) res.setHeader('Retry-After', '5');
    appErr = new AppError(503, 'database_unavailable', DATABASE_UNAVAILABLE);
  } else {
    req.log?.error({ err }, 'unhandled error');
    appErr = new AppError(500, 'internal', 'Internal server error');
  }
  if (res.headersSent) {
    // mid-stream (a CSV export): the client sees a cut-off body; all we can do is end it
    res.destroy();
    return;
  }
  res.status(appErr.status).json({ error: { code: appErr.code, message: appErr.message, details: appErr.details ?? null } });
};
