/**
 * Minimal multipart/form-data reader for what @discordjs/rest sends when a message has files: one `payload_json`
 * part (the JSON body) and one `files[n]` part per attachment. Not a general parser: no nested multiparts, no
 * transfer encodings, which is all Discord accepts anyway.
 */
import type { RecordedFile } from "../types.js";

export interface MultipartBody {
  json: unknown;
  files: RecordedFile[];
}

function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function headerValue(headers: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*(.*)$`, "im").exec(headers);
  return match?.[1]?.trim() ?? null;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = boundaryOf(contentType);
  if (!boundary) return { json: null, files: [] };
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = { json: null, files: [] };

  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    // "--boundary--" closes the body.
    if (body.subarray(partStart, partStart + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const disposition = headerValue(headers, "content-disposition") ?? "";
      const field = /name="([^"]*)"/i.exec(disposition)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
      if (field === "payload_json") {
        result.json = JSON.parse(content.toString("utf8"));
      } else {
        result.files.push({ field, filename, contentType: headerValue(headers, "content-type"), size: content.length, text: content.toString("utf8"), data: Buffer.from(content) });
      }
    }
    start = next;
  }
  return result;
}
