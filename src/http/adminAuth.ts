// Write routes need `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN configured they are disabled.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/appError';

/** Constant-time: compare fixed-length digests, so neither content nor length of the token leaks through timing. */
function tokenMatches(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!adminToken) {
      next(new AppError(403, 'writes_disabled', 'Write routes are disabled: set ADMIN_TOKEN on the server to enable them'));
      return;
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !tokenMatches(match[1], adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      next(new AppError(401, 'unauthorized', match ? 'Invalid admin token' : 'Missing "Authorization: Bearer <ADMIN_TOKEN>" header'));
      return;
    }
    next();
  };
}
