/**
 * Stands in for Slack's `response_url` endpoints (hooks.slack.com/commands/...).
 *
 * Bolt's `respond()` POSTs JSON to the URL found in the payload and throws if
 * the answer is not 2xx. Each URL is minted per payload, as Slack does, so a
 * test can tell which interaction a response belongs to.
 */
import { uuid } from './ids.js';
import { Recorder } from './recorder.js';
import { isRecord, mediaType } from './request-body.js';

export const RESPONSE_PATH = '/response/';

export interface RecordedResponse {
  id: string;
  url: string;
  /** Parsed JSON body (e.g. `{text, response_type, replace_original}`); the raw string if not JSON. */
  body: unknown;
  contentType: string;
  at: number;
}

function describeResponse(r: RecordedResponse): string {
  const text = isRecord(r.body) && typeof r.body.text === 'string' ? `: ${JSON.stringify(r.body.text)}` : '';
  return `response(${r.id}${text})`;
}

export class ResponseSink {
  readonly recorder = new Recorder<RecordedResponse>(describeResponse);
  private readonly minted = new Set<string>();

  constructor(private readonly baseUrl: () => string) {}

  mint(): string {
    const id = uuid();
    this.minted.add(id);
    return `${this.baseUrl()}${RESPONSE_PATH}${id}`;
  }

  /** Returns the HTTP status to answer with. */
  receive(id: string, raw: string, contentType: string | undefined): { status: number; body: Record<string, unknown> } {
    if (!this.minted.has(id)) return { status: 404, body: { ok: false, error: 'unknown_response_url' } };
    let body: unknown = raw;
    if (mediaType(contentType) === 'application/json') {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        return { status: 400, body: { ok: false, error: 'invalid_json' } };
      }
    }
    this.recorder.push({ id, url: `${this.baseUrl()}${RESPONSE_PATH}${id}`, body, contentType: contentType ?? '', at: Date.now() });
    return { status: 200, body: { ok: true } };
  }
}
