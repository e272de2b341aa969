/**
 * Slack's external file upload flow, as the fake serves it (docs.slack.dev/reference/methods/
 * files.getUploadURLExternal and files.completeUploadExternal):
 *
 *   1. `files.getUploadURLExternal` {filename, length, alt_txt?, snippet_type?} →
 *      `{ok, upload_url, file_id}`; a missing filename or a zero length is `invalid_arguments`.
 *   2. POST of the bytes to `upload_url` (raw, or multipart form data — Slack takes both; the
 *      @slack/web-api helper sends a multipart part); answers 200 `OK - <length>`.
 *   3. `files.completeUploadExternal` {files: [{id, title?}] (JSON), channel_id?, thread_ts?,
 *      initial_comment?, blocks?} → `{ok, files: [{id, title, name, mimetype, ...}]}`; a file id
 *      never handed out or never uploaded is `file_not_found` (Slack's "file is not found" answer).
 *
 * Every upload is recorded with its bytes, so a test can decode the PNG that reached "Slack".
 */
import type { WebApiBody, WebApiCall } from './web-api-methods.js';
import { slackId } from './ids.js';
import { isRecord, stringParam } from './request-body.js';
import { fail } from './web-api-methods.js';

export const UPLOAD_PATH = '/upload/v1/';

/** One file going through the flow, from URL request to share. */
export interface RecordedUpload {
  fileId: string;
  filename: string;
  /** The length promised in step 1. */
  length: number;
  /** `alt_txt` as Slack names it (or `alt_text`, as @slack/web-api sends it). */
  altText: string | undefined;
  /** The bytes POSTed in step 2; undefined until then. */
  data?: Buffer;
  /** Content type of the step 2 POST (of the part, for multipart). */
  contentType?: string;
  /** Whether the step 2 POST carried an Authorization header (the URL is pre-signed; none is needed). */
  authorized?: boolean;
  /** Step 3, once completed. */
  completed?: { channelId: string | undefined; threadTs: string | undefined; initialComment: string | undefined; title: string | undefined };
}

export class FileUploads {
  private readonly byId = new Map<string, RecordedUpload>();

  constructor(private readonly baseUrl: () => string) {}

  /** Every upload, in the order their URLs were requested. */
  all(): RecordedUpload[] {
    return [...this.byId.values()];
  }

  getUploadUrl(call: WebApiCall): WebApiBody {
    const filename = stringParam(call.params, 'filename');
    const length = Number(call.params.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const fileId = slackId('F');
    this.byId.set(fileId, { fileId, filename, length, altText: stringParam(call.params, 'alt_txt') ?? stringParam(call.params, 'alt_text') });
    return { ok: true, upload_url: `${this.baseUrl()}${UPLOAD_PATH}${fileId}`, file_id: fileId };
  }

  /** Step 2; returns the HTTP status and body to answer. */
  receive(fileId: string, body: Buffer, contentType: string | undefined, authorization: string | undefined): { status: number; body: string } {
    const upload = this.byId.get(fileId);
    if (!upload) return { status: 404, body: 'not found' };
    const part = (contentType ?? '').startsWith('multipart/form-data') ? firstFilePart(body, contentType!) : { data: body, contentType };
    upload.data = part.data;
    upload.authorized = authorization !== undefined;
    if (part.contentType) upload.contentType = part.contentType;
    return { status: 200, body: `OK - ${part.data.length}` };
  }

  complete(call: WebApiCall): WebApiBody {
    const files = call.params.files;
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const done: Record<string, unknown>[] = [];
    for (const entry of files) {
      const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
      const upload = id ? this.byId.get(id) : undefined;
      if (!upload || upload.data === undefined) return fail('file_not_found');
      const title = isRecord(entry) && typeof entry.title === 'string' ? entry.title : undefined;
      upload.completed = {
        channelId: stringParam(call.params, 'channel_id'),
        threadTs: stringParam(call.params, 'thread_ts'),
        initialComment: stringParam(call.params, 'initial_comment'),
        title,
      };
      done.push({ id: upload.fileId, name: upload.filename, title: title ?? upload.filename, mimetype: upload.contentType ?? 'application/octet-stream', size: upload.data.length, ...(upload.altText ? { alt_txt: upload.altText } : {}) });
    }
    return { ok: true, files: done };
  }
}

/** The first part of a multipart body that carries a file (has a filename), or the first part. */
function firstFilePart(body: Buffer, contentType: string): { data: Buffer; contentType?: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const delimiter = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const type = /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim();
      return { data: Buffer.from(part.subarray(headerEnd + 4)), ...(type ? { contentType: type } : {}) };
    }
    start = next;
  }
  return { data: body };
}
