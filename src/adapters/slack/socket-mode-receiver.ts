import type { App, Logger as BoltLogger, Receiver, ReceiverEvent, webApi } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";
import { z } from "zod";
import { readEnvelope } from "./envelope.js";

/**
 * Socket Mode that acknowledges an Events API envelope only after the app has processed it.
 *
 * Bolt calls `ack()` for every Events API delivery *before* any listener runs, and its own
 * SocketModeReceiver sends that ack at once, so an event could be acknowledged and then lost if the
 * database write failed or the process stopped. Here the ack Bolt asks for is held until
 * `app.processEvent` has resolved — the listener awaited `engine.ingest`, which resolves after
 * commit — and then sent. If processing fails, nothing is sent and Slack delivers the envelope
 * again (`retry_attempt` + 1), which the engine's natural keys make harmless.
 *
 * Slash commands and interactivity are passed through unchanged: their listeners call `ack()`
 * themselves, with the response as its payload.
 *
 * (HTTP mode gets the same guarantee from SignedHttpReceiver.)
 */
export interface AckAfterProcessingOptions {
  appToken: string;
  logger: BoltLogger;
  /** Where `apps.connections.open` goes; never put `headers` here (they would replace the app token). */
  clientOptions: webApi.WebClientOptions;
  /** Told about an envelope that was not acknowledged because processing failed. */
  onUnacknowledged?: (error: unknown, envelope: { type: string; retryNum: number | undefined }) => void;
  /** Told about a frame or envelope that was dropped unread (a short phrase, no payload). */
  onDropped?: (problem: string, envelope: { type?: string; envelopeId?: string }) => void;
  /** Told about a WebSocket error (the client reconnects by itself). */
  onSocketError?: (error: unknown) => void;
}

/** A Socket Mode frame: `hello`, `disconnect`, or an envelope with an id and a payload. */
const frameSchema = z.looseObject({ type: z.string(), envelope_id: z.string().optional(), payload: z.unknown().optional() });
const ENVELOPE_TYPES = new Set(["events_api", "slash_commands", "interactive"]);

/**
 * @slack/socket-mode handles each frame in an async function nobody awaits: `payload.event.type`
 * of a `null` payload, or an event whose type is `"error"` (which EventEmitter throws when no one
 * listens for it), became an unhandled rejection and ended the process. Here every frame is
 * checked first (envelope.ts), an envelope that cannot be read is acknowledged — so Slack does not
 * send it again — and dropped, and anything the library still throws costs that frame only.
 */
class GuardedSocketModeClient extends SocketModeClient {
  constructor(
    options: ConstructorParameters<typeof SocketModeClient>[0],
    private readonly onDropped: NonNullable<AckAfterProcessingOptions["onDropped"]>,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    let envelopeId: string | undefined;
    let type: string | undefined;
    try {
      if (!isBinary) {
        const frame = frameSchema.safeParse(parseJson(typeof data === "string" ? data : new TextDecoder().decode(data)));
        if (!frame.success) return this.onDropped("a frame that is not an object with a type", {});
        ({ envelope_id: envelopeId, type } = frame.data);
        if (ENVELOPE_TYPES.has(type)) {
          if (!envelopeId) return this.onDropped("an envelope without an id", { type });
          const envelope = readEnvelope(frame.data.payload);
          if (!envelope.ok) {
            this.onDropped(envelope.problem, { type, envelopeId });
            return await this.acknowledge(envelopeId);
          }
        }
      }
      await super.onWebSocketMessage(data, isBinary);
    } catch (error) {
      // The library threw before handing the envelope on (its handler emits it last): acknowledge
      // it, since the same envelope would throw again.
      this.onDropped(`the Socket Mode client failed on it (${error instanceof Error ? error.name : typeof error})`, { ...(type ? { type } : {}), ...(envelopeId ? { envelopeId } : {}) });
      if (envelopeId && type && ENVELOPE_TYPES.has(type)) await this.acknowledge(envelopeId).catch(() => undefined);
    }
  }

  /** `send` is the library's own ack path; it is private in its types, so it is reached by name. */
  private acknowledge(envelopeId: string): Promise<void> {
    return (this as unknown as { send(id: string, body?: Record<string, unknown>): Promise<void> }).send(envelopeId, {});
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export class AckAfterProcessingReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | undefined;

  constructor(private readonly o: AckAfterProcessingOptions) {
    this.client = new GuardedSocketModeClient({ appToken: o.appToken, logger: o.logger, clientOptions: o.clientOptions }, o.onDropped ?? (() => undefined));
    // An 'error' event nobody listens for is thrown by EventEmitter, here from inside a WebSocket
    // callback — which would end the process on a network error. The client reconnects itself.
    // (An event whose type is "error" is emitted here too, and then handled as any other event.)
    this.client.on("error", (error: unknown) => {
      if (error instanceof Error) o.onSocketError?.(error);
    });
    // `slack_event` is @slack/socket-mode's "every envelope" hook, meant for frameworks like Bolt.
    this.client.on("slack_event", (args: SlackEventArgs) => void this.dispatch(args));
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<unknown> {
    return this.client.start();
  }

  stop(): Promise<unknown> {
    return this.client.disconnect();
  }

  private async dispatch(args: SlackEventArgs): Promise<void> {
    const holdAck = args.type === "events_api";
    let held: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      ack: holdAck
        ? async (response?: Record<string, unknown>) => {
            held = response;
          }
        : args.ack,
      ...(args.retry_num !== undefined ? { retryNum: args.retry_num } : {}),
      ...(args.retry_reason !== undefined ? { retryReason: args.retry_reason } : {}),
    };
    try {
      if (!this.app) throw new Error("the Socket Mode receiver was started before Bolt initialised it");
      await this.app.processEvent(event);
    } catch (error) {
      this.o.onUnacknowledged?.(error, { type: args.type, retryNum: args.retry_num });
      return;
    }
    // Processed (or nothing listened): acknowledge, even when Bolt never asked, so Slack stops resending.
    if (holdAck) await args.ack(held).catch((error: unknown) => this.o.onUnacknowledged?.(error, { type: args.type, retryNum: args.retry_num }));
  }
}
