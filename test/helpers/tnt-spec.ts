/** The DCSA TNT 2.2 spec as validators (Ajv over the dereferenced OpenAPI document), for API tests. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SPEC = new URL('../../vendor/dcsa/TNT_v2.2.0.yaml', import.meta.url).pathname;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface TntValidators {
  /** GET /v2/events 200. */
  eventList: ValidateFunction;
  /** One transport, equipment or shipment event. */
  event: ValidateFunction;
  /** A subscription as POST /v2/event-subscriptions 201 returns it. */
  subscription: ValidateFunction;
  /** GET /v2/event-subscriptions 200. */
  subscriptionList: ValidateFunction;
  /** The body of an event callback. */
  callbackBody: ValidateFunction;
}

export async function tntValidators(): Promise<TntValidators> {
  const spec = (await SwaggerParser.dereference(SPEC)) as any;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const s = spec.components.schemas;
  const subs = spec.paths['/v2/event-subscriptions'];
  const json = (r: any) => r.content['application/json'].schema;
  return {
    eventList: ajv.compile(json(spec.paths['/v2/events'].get.responses['200'])),
    event: ajv.compile({ anyOf: [s.transportEvent, s.equipmentEvent, s.shipmentEvent] }),
    subscription: ajv.compile(json(subs.post.responses['201'])),
    subscriptionList: ajv.compile(json(subs.get.responses['200'])),
    callbackBody: ajv.compile(json(subs.post.callbacks.event['{$request.body.callbackUrl}'].post.requestBody)),
  };
}
