/**
 * Reading and decoding request bodies the way Slack's Web API does.
 *
 * @slack/web-api sends `application/x-www-form-urlencoded` bodies and turns
 * every non-scalar argument (blocks, attachments, view, metadata...) into a
 * JSON string inside the form. Apps can also POST JSON directly. Tests want to
 * assert on `params.blocks[0]`, not on a string, so we decode those known
 * JSON-in-form fields. Other values stay strings, as Slack itself receives
 * them (`"true"`, `"10"`): a test that expects a boolean there would be
 * asserting on something the real API never sees.
 */
import type { IncomingMessage } from 'node:http';

export type Params = Record<string, unknown>;

/** Fields Slack documents as "a JSON-based array/object, presented as a URL-encoded string". */
const JSON_ENCODED_FIELDS = new Set([
  'attachments',
  'blocks',
  'files',
  'metadata',
  'option_groups',
  'options',
  'unfurls',
  'user_auth_blocks',
  'view',
]);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** Media type without parameters: `application/json; charset=utf-8` -> `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function parseParams(raw: string, contentType: string | undefined): Params {
  if (raw.length === 0) return {};
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : { _body: parsed };
  }
  // Slack also accepts form bodies without a content type (and text/plain), so
  // anything that is not JSON is treated as a form.
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_ENCODED_FIELDS.has(key) ? decodeJsonField(value) : value;
  }
  return params;
}

function decodeJsonField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    // Not JSON after all: keep what was sent so the test can still see it.
    return value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A param as a string, or undefined when absent or not a string. */
export function stringParam(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : undefined;
}
