// The Express app: middleware, routes of every capability, the dashboard's static files, one error handler.
import crypto from 'node:crypto';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { projectRoot } from '../config/config';
import { alertRoutes } from '../triggers/alertRoutes';
import { alertCountsBySubscription } from '../triggers/alertStore';
import { subscriptionRoutes } from '../subscriptions/subscriptionRoutes';
import { eventRoutes } from '../events/eventRoutes';
import { exportRoutes } from '../export/exportRoutes';
import { groupRoutes } from '../groups/groupRoutes';
import { impactRoutes } from '../impact/impactRoutes';
import { intradayRoutes } from '../intraday/intradayRoutes';
import { addInstrumentRoutes } from '../ingest/addInstrumentRoutes';
import { ingestRunRoutes } from '../ingest/ingestRunRoutes';
import { instrumentRoutes } from '../instruments/instrumentRoutes';
import { moveRoutes } from '../moves/moveRoutes';
import { openapiRoutes } from '../openapi/openapiRoutes';
import type { AppContext } from '../context/appContext';
import { AppError } from '../errors/appError';
import { apiNotFound, errorHandler, unavailableWhile } from '../http/errors';
import { healthRoutes } from './healthRoutes';
import { statusRoutes } from '../status/statusRoutes';
import { studyRoutes } from '../studies/studyRoutes';
import { shockRoutes } from '../shocks/shockRoutes';

/** Symbols are stored in upper case (NVDA, 0700.HK, ^N225): /instruments/nvda is sent on to /instruments/NVDA. */
const upperCaseSymbol: express.RequestHandler = (req, res, next) => {
  const symbol = String(req.params.symbol);
  if (symbol === symbol.toUpperCase()) return next();
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  res.redirect(302, `/instruments/${encodeURIComponent(symbol.toUpperCase())}${query}`);
};

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple'); // no nested objects from ?a[b]=c: every parameter is a string or string[]

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = ctx.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () =>
      end({ route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched', status: String(res.statusCode) }),
    );
    next();
  });
  // upgrade-insecure-requests and HSTS only over TLS (req.secure: HTTPS, or a TLS proxy on loopback): over plain
  // HTTP from any address but localhost they make the browser rewrite every script and API call to https:// (and
  // Chromium ignores, with a console error, a Cross-Origin-Opener-Policy from an untrustworthy origin)
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
  };
  const overTls = helmet({ contentSecurityPolicy: { directives } });
  const overPlainHttp = helmet({
    contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false,
  });
  app.use((req, res, next) => (req.secure ? overTls : overPlainHttp)(req, res, next));
  app.use(express.json({ limit: '100kb' }));

  app.use(healthRoutes(ctx));
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(unavailableWhile(() => ctx.db.embeddedDown()));
  // the add routes first: /instruments/search is not a symbol
  api.use('/instruments', addInstrumentRoutes(ctx));
  api.use('/instruments', instrumentRoutes(ctx));
  api.use('/ingest-runs', ingestRunRoutes(ctx));
  api.use('/events', eventRoutes(ctx));
  api.use('/status', statusRoutes(ctx));
  api.use('/subscriptions', subscriptionRoutes(ctx, alertCountsBySubscription));
  api.use('/alerts', alertRoutes(ctx));
  api.use('/events', impactRoutes(ctx));
  api.use('/moves', moveRoutes(ctx));
  api.use('/groups', groupRoutes(ctx));
  api.use('/studies', studyRoutes(ctx));
  api.use(intradayRoutes(ctx));
  api.use('/shocks', shockRoutes(ctx));
  api.use(openapiRoutes());
  api.use('/export', exportRoutes(ctx));
  api.use(apiNotFound);
  app.use('/api', api);

  // the dashboard's pages: one HTML file each, its script reads the slug or symbol from the address
  const dashboardPage =
    (file: string): express.RequestHandler =>
    (_req, res) =>
      res.sendFile(path.join(projectRoot, 'web', 'public', file));
  app.get('/events/new', dashboardPage('new-event.html'));
  app.get('/events/:slug', dashboardPage('event.html'));
  app.get('/instruments/new', dashboardPage('add-instrument.html'));
  app.get('/instruments/:symbol', upperCaseSymbol, dashboardPage('instrument.html'));
  app.get('/search', dashboardPage('search.html'));
  app.get('/studies', dashboardPage('studies.html'));
  app.get('/studies/:slug', dashboardPage('study.html'));
  app.get('/subscriptions/manage', dashboardPage('manage.html'));
  app.get('/alerts', dashboardPage('alerts.html'));
  app.get('/shocks', dashboardPage('shocks.html'));
  app.get('/shocks/:id', dashboardPage('shock.html'));
  app.use(express.static(path.join(projectRoot, 'web', 'public'), { index: 'index.html' }));
  app.use('/assets', express.static(path.join(projectRoot, 'web', 'dist'), { immutable: false }));
  // any other address: a page that says so (status 404) for a browser, the API's error shape for anything else
  app.use((req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html')
      res.status(404).sendFile(path.join(projectRoot, 'web', 'public', 'not-found.html'));
    else next(new AppError(404, 'no_route', `No page or route ${req.method} ${req.path}`));
  });

  app.use(errorHandler);
  return app;
}
