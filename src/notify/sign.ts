/**
 * Webhook signatures as the Standard Webhooks specification has them (standardwebhooks.com):
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256
 * of "<id>.<timestamp>.<body>">`, so receivers can use any of its libraries to verify them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function signedHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature(secret, id, timestamp, body),
  };
}

/** Verifies a delivery (receivers and tests); `toleranceS` bounds the timestamp's age, against replays. */
export function verifySignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = 300,
): boolean {
  const one = (k: string) => {
    const v = headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = Number(one('webhook-timestamp'));
  const sig = one('webhook-signature');
  if (!id || !sig || !Number.isFinite(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const expected = Buffer.from(signature(secret, id, ts, body));
  return sig.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/**
 * DCSA TNT 2.2's `Notification-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. The spec
 * declares the subscription secret as Base64 (`format: byte`): its decoded bytes are the key.
 */
export function notificationSignature(secretBase64: string, body: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(body, 'utf8').digest('hex')}`;
}

/** Checks a `Notification-Signature` header against the raw body (receivers and tests). */
export function verifyNotificationSignature(secretBase64: string, header: string | undefined, body: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(notificationSignature(secretBase64, body));
  const got = Buffer.from(header.trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}
