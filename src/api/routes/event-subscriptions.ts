/**
 * DCSA Track & Trace 2.2 event subscriptions: `/v2/event-subscriptions` (create, list, read with
 * its delivery status and dead letters, replace, delete) and `…/{subscriptionID}/secret` (rotate).
 * A subscription belongs to the key that created it: any other key gets 404 for its id.
 * Callbacks: arrays of events, `Notification-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
 * keyed with the secret's Base64-decoded bytes, `Subscription-ID`, `API-Version` (src/notify).
 */
import { z } from 'zod';
import type { EventSubscriptionRecord } from '../../tracking/subscriptions.js';
import type { SubscriptionFilter } from '../../tracking/subscriptions.js';
import type { Viewer } from '../../service/tracking.js';
import {
  DOCUMENT_TYPE_CODES,
  EQUIPMENT_EVENT_CODES,
  SHIPMENT_EVENT_CODES,
  TRANSPORT_EVENT_CODES,
} from '../../tracking/events.js';
import type { Principal } from '../keys.js';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { TNT_API_VERSION } from './events.js';

const MAX_LIMIT = 100;
/** At least 256 bits of key material, as HMAC-SHA256 wants; at most 64 bytes (one SHA-256 block). */
const SECRET_MIN_BYTES = 32;
const SECRET_MAX_BYTES = 64;

const Secret = z
  .string()
  .max(200)
  .refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0, 'Base64 text (RFC 4648, with padding)')
  .refine((s) => {
    const n = Buffer.from(s, 'base64').length;
    return n >= SECRET_MIN_BYTES && n <= SECRET_MAX_BYTES;
  }, `${SECRET_MIN_BYTES} to ${SECRET_MAX_BYTES} bytes once decoded (e.g. \`openssl rand -base64 32\`)`);

const codes = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).min(1).max(50);

const FilterFields = {
  callbackUrl: z.url({ protocol: /^https?$/ }).max(2000),
  eventType: codes(['SHIPMENT', 'TRANSPORT', 'EQUIPMENT'] as const).optional(),
  transportEventTypeCode: codes(TRANSPORT_EVENT_CODES).optional(),
  equipmentEventTypeCode: codes(EQUIPMENT_EVENT_CODES).optional(),
  shipmentEventTypeCode: codes(SHIPMENT_EVENT_CODES).optional(),
  documentTypeCode: codes(DOCUMENT_TYPE_CODES).optional(),
  carrierBookingReference: z.string().min(1).max(35).optional(),
  transportDocumentReference: z.string().min(1).max(20).optional(),
  transportCallID: z.string().min(1).max(100).optional(),
  vesselIMONumber: z.string().min(1).max(7).optional(),
  exportVoyageNumber: z.string().min(1).max(50).optional(),
  carrierServiceCode: z.string().min(1).max(5).optional(),
  UNLocationCode: z.string().min(1).max(5).optional(),
  equipmentReference: z.string().min(1).max(15).optional(),
};

const CreateBody = z.object({ ...FilterFields, secret: Secret }).strict();
const ReplaceBody = z.object({ ...FilterFields, subscriptionID: z.uuid().optional() }).strict();
type ReplaceBody = z.infer<typeof ReplaceBody>;

const SubscriptionOut = z.looseObject({
  subscriptionID: z.string(),
  callbackUrl: z.string(),
  createdDateTime: z.string(),
  updatedDateTime: z.string(),
});
const DeliveryOut = z.object({
  pending: z.number(),
  delivered: z.number(),
  deadLettered: z.number(),
  lastDeliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
  deadLetters: z.array(
    z.object({ eventID: z.string(), attempts: z.number(), lastError: z.string().nullable(), failedAt: z.string() }),
  ),
});

function viewerOf(p: Principal | undefined): Viewer {
  if (!p) throw new HttpProblem('unauthorized', 'event subscriptions need an API key (Authorization: Bearer <key>)');
  return { keyId: p.keyId, role: p.role, operator: p.operator };
}

function filterOf(b: Omit<ReplaceBody, 'subscriptionID'>): SubscriptionFilter {
  const { callbackUrl: _u, ...rest } = b;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as SubscriptionFilter;
}

/** The spec's subscription object (never the secret), with Corridor's timestamps. */
function out(s: EventSubscriptionRecord): Record<string, unknown> {
  return {
    subscriptionID: s.id,
    callbackUrl: s.callbackUrl,
    ...s.filter,
    createdDateTime: s.createdAt,
    updatedDateTime: s.updatedAt,
  };
}

const notFound = (id: string) => new HttpProblem('not-found', `no event subscription ${id} of this key`);
const IdParams = z.object({ subscriptionID: z.string().max(100) });
const versionHeader = { 'API-Version': { description: 'Version of the contract', schema: { type: 'string' } } };

export function registerEventSubscriptions(t: RouteTable): void {
  t.add({
    method: 'POST',
    url: '/v2/event-subscriptions',
    operationId: 'createEventSubscription',
    summary: 'DCSA Track & Trace 2.2: subscribe a callback URL to events',
    description:
      'Events accepted from now on that match every filter given (AND between filters, OR within a list) and ' +
      'that this key may see at GET /v2/events are POSTed to `callbackUrl` as JSON arrays, with ' +
      '`Notification-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed with the Base64-decoded secret, ' +
      '`Subscription-ID` and `API-Version`. At least once: deduplicate by eventID. Retried with exponential ' +
      'backoff (honouring Retry-After), the batch halved on 413, redirects never followed, dead-lettered after ' +
      'the attempt limit (GET the subscription to see them).',
    tags: ['Track & Trace'],
    access: 'viewer',
    body: CreateBody,
    responses: {
      201: { description: 'Created (the secret is never returned)', schema: SubscriptionOut, headers: versionHeader },
      400: { description: 'Invalid body', schema: ProblemSchema },
    },
    handler: async ({ body, principal, ctx, reply }) => {
      const { secret, ...rest } = body;
      const s = await ctx.eventSubscriptions.create(
        viewerOf(principal),
        { callbackUrl: rest.callbackUrl, filter: filterOf(rest), secret },
        new Date().toISOString(),
      );
      reply.code(201).header('api-version', TNT_API_VERSION).header('location', `/v2/event-subscriptions/${s.id}`);
      return out(s);
    },
  });

  t.add({
    method: 'GET',
    url: '/v2/event-subscriptions',
    operationId: 'listEventSubscriptions',
    summary: "DCSA Track & Trace 2.2: this key's subscriptions",
    tags: ['Track & Trace'],
    access: 'viewer',
    query: z
      .object({
        limit: z
          .string()
          .regex(/^[1-9]\d{0,2}$/, `an integer from 1 to ${MAX_LIMIT}`)
          .refine((s) => Number(s) <= MAX_LIMIT, `at most ${MAX_LIMIT}`)
          .optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    responses: {
      200: {
        description: 'Subscriptions',
        schema: z.array(SubscriptionOut),
        headers: {
          ...versionHeader,
          'Next-Page': { description: 'Pass as `cursor` for the next page', schema: { type: 'string' } },
        },
      },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
    },
    handler: async ({ query, principal, ctx, reply }) => {
      const limit = Number(query.limit ?? MAX_LIMIT);
      let after: string | undefined;
      if (query.cursor !== undefined) {
        after = Buffer.from(query.cursor, 'base64url').toString('utf8');
        if (!/^[0-9a-f-]{36}$/.test(after))
          throw invalid('query', [{ field: 'query.cursor', message: 'not a Next-Page cursor', value: query.cursor }]);
      }
      const rows = await ctx.eventSubscriptions.list(viewerOf(principal), after, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      reply.header('api-version', TNT_API_VERSION);
      if (rows.length > limit && last) reply.header('next-page', Buffer.from(last.id).toString('base64url'));
      return page.map(out);
    },
  });

  t.add({
    method: 'GET',
    url: '/v2/event-subscriptions/:subscriptionID',
    operationId: 'getEventSubscription',
    summary: 'DCSA Track & Trace 2.2: one subscription, with its delivery status and dead letters',
    description:
      '`deliveryStatus` (a Corridor extension): notifications pending, delivered and dead-lettered, the last ' +
      'error, and the newest dead letters (events given up on after the attempt limit).',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: IdParams,
    responses: {
      200: {
        description: 'The subscription',
        schema: SubscriptionOut.extend({ deliveryStatus: DeliveryOut }),
        headers: versionHeader,
      },
      404: { description: "No such subscription of this key (another key's answers the same)", schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx, reply }) => {
      const s = await ctx.eventSubscriptions.status(viewerOf(principal), params.subscriptionID);
      if (!s) throw notFound(params.subscriptionID);
      reply.header('api-version', TNT_API_VERSION);
      return { ...out(s), deliveryStatus: s.delivery };
    },
  });

  t.add({
    method: 'PUT',
    url: '/v2/event-subscriptions/:subscriptionID',
    operationId: 'replaceEventSubscription',
    summary: 'DCSA Track & Trace 2.2: replace the callback URL and filters of a subscription',
    description:
      'The body replaces every filter (a filter left out no longer applies); the secret cannot be sent here, ' +
      'rotate it at …/secret. Notifications already queued keep going out.',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: IdParams,
    body: ReplaceBody,
    responses: {
      200: { description: 'Updated', schema: SubscriptionOut, headers: versionHeader },
      400: { description: 'Invalid body', schema: ProblemSchema },
      404: { description: 'No such subscription of this key', schema: ProblemSchema },
    },
    handler: async ({ params, body, principal, ctx, reply }) => {
      const { subscriptionID, ...rest } = body;
      if (subscriptionID !== undefined && subscriptionID !== params.subscriptionID)
        throw invalid('body', [
          { field: 'body.subscriptionID', message: 'differs from the id in the URL', value: subscriptionID },
        ]);
      const s = await ctx.eventSubscriptions.update(
        viewerOf(principal),
        params.subscriptionID,
        { callbackUrl: rest.callbackUrl, filter: filterOf(rest) },
        new Date().toISOString(),
      );
      if (!s) throw notFound(params.subscriptionID);
      reply.header('api-version', TNT_API_VERSION);
      return out(s);
    },
  });

  t.add({
    method: 'DELETE',
    url: '/v2/event-subscriptions/:subscriptionID',
    operationId: 'deleteEventSubscription',
    summary: 'DCSA Track & Trace 2.2: stop a subscription (undelivered notifications are dropped)',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: IdParams,
    responses: {
      204: { description: 'Stopped', headers: versionHeader },
      404: { description: 'No such subscription of this key', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx, reply }) => {
      if (!(await ctx.eventSubscriptions.remove(viewerOf(principal), params.subscriptionID)))
        throw notFound(params.subscriptionID);
      reply.code(204).header('api-version', TNT_API_VERSION).send();
      return undefined;
    },
  });

  t.add({
    method: 'PUT',
    url: '/v2/event-subscriptions/:subscriptionID/secret',
    operationId: 'rotateEventSubscriptionSecret',
    summary: 'DCSA Track & Trace 2.2: reset the secret of a subscription',
    description: 'Every callback sent from now on, retries of earlier events included, is signed with the new secret.',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: IdParams,
    body: z.object({ secret: Secret }).strict(),
    responses: {
      204: { description: 'Secret updated', headers: versionHeader },
      400: { description: 'Invalid secret', schema: ProblemSchema },
      404: { description: 'No such subscription of this key', schema: ProblemSchema },
    },
    handler: async ({ params, body, principal, ctx, reply }) => {
      const ok = await ctx.eventSubscriptions.rotateSecret(
        viewerOf(principal),
        params.subscriptionID,
        body.secret,
        new Date().toISOString(),
      );
      if (!ok) throw notFound(params.subscriptionID);
      reply.code(204).header('api-version', TNT_API_VERSION).send();
      return undefined;
    },
  });
}
