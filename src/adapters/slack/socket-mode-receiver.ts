import type { App, Logger as BoltLogger, Receiver, ReceiverEvent, webApi } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";

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
    this.client = new SocketModeClient({ appToken: o.appToken, logger: o.logger, clientOptions: o.clientOptions });
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
