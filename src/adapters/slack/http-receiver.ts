import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { readEnvelope } from "./envelope.js";

/**
 * HTTP mode's receiver: Slack's signed POSTs to `/slack/events`, checked before Bolt sees them,
 * and answered only after the app has processed them (the ack waits for the commit, like Bolt's
 * `processBeforeResponse: true`).
 *
 * Why not Bolt's HTTPReceiver: it accepts a signed request stamped any time in the future (it
 * rejects only those over 5 minutes old), and it reads `body.ssl_check` of whatever the JSON was,
 * so a signed `null` (or `payload=null`) threw outside every handler and ended the process. Here:
 *
 * - 401 for a missing or wrong signature, and for a timestamp more than 5 minutes away from now,
 *   in either direction (Slack: "Verifying requests from Slack");
 * - 413 for a body over {@link BODY_LIMIT_BYTES}; 400 for a body that is not JSON, not a form, or
 *   not shaped like anything Slack sends (envelope.ts);
 * - 500 when processing failed (Slack delivers it again; natural keys make that harmless);
 * - `ssl_check` and `url_verification` answered as Slack expects.
 *
 * Nothing from the request body is ever logged: only what was wrong with it.
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Slack's payloads are far smaller; this only stops a runaway body from filling memory. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface SignedHttpReceiverOptions {
  signingSecret: string;
  /** Told why a request was refused (a short phrase, no request content). */
  onRefused: (status: number, problem: string) => void;
  /** Told about a delivery that failed in processing (answered 500, so Slack sends it again). */
  onFailed: (error: unknown) => void;
  path?: string;
  /** Unix milliseconds; tests may move it. */
  now?: () => number;
}

type Verdict = { status: number; problem: string };

const FORM = "application/x-www-form-urlencoded";

export class SignedHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly path: string;
  private readonly now: () => number;

  constructor(private readonly o: SignedHttpReceiverOptions) {
    this.path = o.path ?? "/slack/events";
    this.now = o.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Listens on `port` (0 picks one) and resolves with the server once it does. */
  start(listen: { port: number; host?: string }): Promise<Server> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(listen.port, listen.host, () => {
        server.off("error", reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive connections would hold close() open until they idle out.
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method !== "POST" || url.pathname !== this.path) return answer(res, 404);
      const raw = await readBody(req, BODY_LIMIT_BYTES);
      if (raw === undefined) return this.refuse(res, { status: 413, problem: `the body is over ${BODY_LIMIT_BYTES} bytes` });
      const contentType = mediaType(req.headers["content-type"]);

      // Slack's SSL check is a form with ssl_check=1 and is not signed; nothing else in it is read.
      if (contentType === FORM && new URLSearchParams(raw).get("ssl_check") === "1") return answer(res, 200);

      const unsigned = this.verify(req, raw);
      if (unsigned) return this.refuse(res, unsigned);

      const parsed = parseBody(raw, contentType);
      if (!parsed.ok) return this.refuse(res, { status: 400, problem: parsed.problem });
      const envelope = readEnvelope(parsed.body);
      if (!envelope.ok) return this.refuse(res, { status: 400, problem: envelope.problem });
      const body = envelope.body;

      if (body.type === "url_verification") return answer(res, 200, { challenge: body.challenge });
      await this.dispatch(req, res, body);
    } catch (error) {
      // Nothing above should throw; if something does, it costs this request, not the process.
      this.o.onFailed(error);
      if (!res.headersSent) answer(res, 500);
    }
  }

  private verify(req: IncomingMessage, raw: string): Verdict | undefined {
    const signature = header(req, "x-slack-signature");
    const stamp = header(req, "x-slack-request-timestamp");
    if (!signature || !stamp) return { status: 401, problem: "the request is not signed" };
    if (!/^\d{1,12}$/.test(stamp)) return { status: 401, problem: "the request timestamp is not a number of seconds" };
    const skew = Math.abs(Math.floor(this.now() / 1000) - Number(stamp));
    if (skew > MAX_CLOCK_SKEW_SECONDS) return { status: 401, problem: `the request timestamp is ${skew} s away from now (at most ${MAX_CLOCK_SKEW_SECONDS} s)` };
    const expected = Buffer.from(`v0=${createHmac("sha256", this.o.signingSecret).update(`v0:${stamp}:${raw}`).digest("hex")}`);
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401, problem: "the signature does not match" };
    return undefined;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    if (!this.app) throw new Error("the HTTP receiver got a request before Bolt initialised it");
    let stored: unknown;
    const retryNum = Number(header(req, "x-slack-retry-num"));
    const retryReason = header(req, "x-slack-retry-reason");
    const event: ReceiverEvent = {
      body,
      // Held until processing is done, so Slack's 200 means "committed".
      ack: async (response?: unknown) => {
        stored = response;
      },
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
    };
    try {
      await this.app.processEvent(event);
    } catch (error) {
      this.o.onFailed(error);
      return answer(res, 500);
    }
    // Processed (or nothing listened): acknowledge either way, so Slack stops resending.
    answer(res, 200, stored);
  }

  private refuse(res: ServerResponse, verdict: Verdict): void {
    this.o.onRefused(verdict.status, verdict.problem);
    answer(res, verdict.status);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(value: string | undefined): string {
  return (value ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks).toString("utf8") : undefined));
    req.on("error", reject);
  });
}

type ParsedBody = { ok: true; body: unknown } | { ok: false; problem: string };

/**
 * Events arrive as JSON; slash commands as a form; interactions as a form whose `payload` field is
 * JSON. Anything else is read as JSON, as Bolt does.
 */
function parseBody(raw: string, contentType: string): ParsedBody {
  if (contentType === FORM) {
    const form = new URLSearchParams(raw);
    const payload = form.get("payload");
    if (payload === null) return { ok: true, body: Object.fromEntries(form) };
    return parseJson(payload, "the form's payload");
  }
  return parseJson(raw, "the body");
}

function parseJson(text: string, what: string): ParsedBody {
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: `${what} is not JSON` };
  }
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined || body === "") {
    res.writeHead(status);
    res.end();
  } else if (typeof body === "string") {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(body);
  } else {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
}
