/**
 * Plays Slack's role in HTTP mode: signs requests and POSTs them to a Bolt
 * HTTP receiver, the way Slack delivers Events API callbacks, slash commands
 * and interactivity.
 *
 * Signing follows "Verifying requests from Slack": the signature is
 * `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`)), sent with
 * `X-Slack-Request-Timestamp`. Bolt itself rejects (401) a bad signature and a
 * timestamp more than 5 minutes in the past, but accepts one from the future;
 * guildkeeper's receiver (src/adapters/slack/http-receiver.ts) rejects both
 * directions.
 */
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface SignedPostOptions {
  signingSecret: string;
  /** Unix seconds. Default: now. Pass something 6+ minutes away (either way) to test replay protection. */
  timestamp?: number;
  /** Send a well-formed but wrong signature. */
  badSignature?: boolean;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  /** Slack's retry headers: `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` (e.g. `http_timeout`). */
  retryNum?: number;
  retryReason?: string;
}

export interface PostResult {
  status: number;
  /** The raw response body; Bolt answers `ack(...)` content here when it is a string. */
  body: string;
  /** `body` parsed as JSON when it is JSON (Bolt sends objects passed to `ack` as JSON), else undefined. */
  json: unknown;
  headers: Headers;
}

export function sign(signingSecret: string, timestamp: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return `v0=${hmac}`;
}

/** Unix seconds, the unit of `X-Slack-Request-Timestamp`. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The default Bolt HTTP endpoint on the server returned by
 * `app.start({port: 0, host: '127.0.0.1'})` (typed loosely: Bolt declares it as
 * an https.Server even though it is an http.Server).
 */
export function boltEventsUrl(server: { address(): AddressInfo | string | null }, path = '/slack/events'): string {
  const address = server.address() as AddressInfo | null;
  if (address === null || typeof address === 'string') throw new Error('Bolt server is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}${path}`;
}

/** Events API delivery: a JSON `event_callback` (or `url_verification`) body. */
export function postEvent(url: string, body: unknown, opts: SignedPostOptions): Promise<PostResult> {
  return signedPost(url, JSON.stringify(body), 'application/json', opts);
}

/** Slash command delivery: the command's fields, form-encoded. */
export function postSlashCommand(url: string, fields: Record<string, string>, opts: SignedPostOptions): Promise<PostResult> {
  return signedPost(url, new URLSearchParams(fields).toString(), FORM, opts);
}

/** Interactivity delivery (block_actions, view_submission, ...): `payload=<JSON>`, form-encoded. */
export function postInteraction(url: string, payload: unknown, opts: SignedPostOptions): Promise<PostResult> {
  return signedPost(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, opts);
}

/** The handshake Slack sends when a Request URL is saved; the app must echo `challenge`. */
export function postUrlVerification(url: string, challenge: string, opts: SignedPostOptions): Promise<PostResult> {
  return postEvent(url, { token: 'verification-token', challenge, type: 'url_verification' }, opts);
}

/**
 * Any body, signed as Slack signs it: for what Slack would never send (`null`, an array, broken
 * JSON, `payload=null`), to prove the receiver answers 400 and keeps serving.
 */
export function postSignedRaw(url: string, rawBody: string, contentType: string, opts: SignedPostOptions): Promise<PostResult> {
  return signedPost(url, rawBody, contentType, opts);
}

/**
 * Bolt compares Content-Type with `===` against
 * `application/x-www-form-urlencoded`, so it must be sent bare: fetch's
 * default for a URLSearchParams body adds `;charset=UTF-8`, and Bolt would then
 * try to JSON.parse the form and answer 400. Hence string bodies + explicit header.
 */
const FORM = 'application/x-www-form-urlencoded';

async function signedPost(url: string, rawBody: string, contentType: string, opts: SignedPostOptions): Promise<PostResult> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const headers: Record<string, string> = { 'content-type': contentType };
  if (opts.unsigned !== true) {
    const secret = opts.badSignature === true ? `${opts.signingSecret}-wrong` : opts.signingSecret;
    headers['x-slack-signature'] = sign(secret, timestamp, rawBody);
    headers['x-slack-request-timestamp'] = String(timestamp);
  }
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;

  const response = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await response.text();
  return { status: response.status, body, json: tryParseJson(body), headers: response.headers };
}

function tryParseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
