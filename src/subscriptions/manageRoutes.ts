// The manage link of every email: the dashboard page /subscriptions/manage reads the subscription with its signed
// token and saves new terms (GET changes nothing; PATCH saves; POST .../unsubscribe ends it). And a new
// confirmation email for an address, asked for on the page of an expired or forged link.
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context/appContext';
import { notFound } from '../errors/appError';
import { parseBody, parseQuery } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { htmlErrorPages, sendPage, wantsHtml } from './linkPages';
import { resendResponse, subscriptionResponse, type ResendResponse, type SubscriptionResponse } from './subscriptionContract';
import { resendBody, termsBody, tokenQuery } from './subscriptionSchemas';
import {
  changeTerms,
  existingSubscription,
  goneOrCancelled,
  presentSubscription,
  resendConfirmation,
  subscriptionIdOfLink,
  unsubscribe,
} from './subscriptions';

describeRoute({
  method: 'get',
  path: '/api/subscriptions/manage',
  summary: 'The subscription a manage link names (the manage page reads it); changes nothing',
  query: tokenQuery,
  responses: { 200: { description: 'The subscription, without its address', schema: subscriptionResponse }, 400: 'Invalid link' },
});
describeRoute({
  method: 'patch',
  path: '/api/subscriptions/manage',
  summary: 'Change what a subscription follows (symbols, a group or all), its thresholds and mode: the save of the manage page',
  description: 'The body replaces the terms, as POST /api/subscriptions takes them (without the email); omitted fields get their defaults.',
  query: tokenQuery,
  body: termsBody,
  responses: {
    200: { description: 'The changed subscription', schema: subscriptionResponse },
    400: 'Invalid link, or a bad field (named)',
    409: 'The subscription was cancelled',
  },
});
describeRoute({
  method: 'post',
  path: '/api/subscriptions/manage/unsubscribe',
  summary: 'Unsubscribe from the manage page',
  query: tokenQuery,
  responses: {
    200: { description: 'Unsubscribed', schema: subscriptionResponse },
    400: 'Invalid link',
    404: 'The subscription was deleted',
  },
});
describeRoute({
  method: 'post',
  path: '/api/subscriptions/resend',
  summary: 'A new confirmation email for the newest pending subscription of an address (the form of an expired link’s page)',
  description:
    'JSON or a form post ({email}). The same answer whatever the address; at most one confirmation email per address in 10 minutes. ' +
    'Rate-limited per client IP together with POST /api/subscriptions.',
  body: resendBody,
  responses: {
    202: { description: 'Accepted (an HTML page for a browser)', schema: resendResponse },
    429: 'Too many requests from this address (Retry-After)',
  },
});

const RESEND_MESSAGE =
  'If this address has a subscription waiting for its confirmation, a new confirmation email is on its way; if it has active subscriptions, an email with their links. Check your inbox.';

export function manageRoutes(ctx: AppContext, rateLimit: RequestHandler): Router {
  const router = Router();

  const idFromLink = (token: string) => subscriptionIdOfLink(ctx, token, 'manage', 'Invalid manage link: it is incomplete or was changed');

  router.get('/manage', async (req, res) => {
    const id = await idFromLink(parseQuery(req, tokenQuery).token);
    const row = await existingSubscription(ctx, id);
    const answer: SubscriptionResponse = { subscription: presentSubscription(row, false) };
    res.set('Cache-Control', 'no-store').json(answer);
  });

  router.patch('/manage', async (req, res) => {
    const id = await idFromLink(parseQuery(req, tokenQuery).token);
    const row = await changeTerms(ctx, id, parseBody(req, termsBody));
    if (!row) return goneOrCancelled(ctx, id);
    const answer: SubscriptionResponse = { subscription: presentSubscription(row, false) };
    res.json(answer);
  });

  router.post('/manage/unsubscribe', async (req, res) => {
    const row = await unsubscribe(ctx, await idFromLink(parseQuery(req, tokenQuery).token));
    if (!row) throw notFound('This subscription no longer exists');
    const answer: SubscriptionResponse = { subscription: presentSubscription(row, false) };
    res.json(answer);
  });

  router.post('/resend', rateLimit, express.urlencoded({ extended: false, limit: '10kb' }), async (req, res) => {
    const { email } = parseBody(req, resendBody);
    await resendConfirmation(ctx, email);
    if (wantsHtml(req)) {
      sendPage(res, { status: 202, title: 'Check your inbox', lede: RESEND_MESSAGE });
      return;
    }
    const answer: ResendResponse = { message: RESEND_MESSAGE };
    res.status(202).json(answer);
  });

  router.use(htmlErrorPages);
  return router;
}
