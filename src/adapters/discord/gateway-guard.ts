import type { Client } from "discord.js";

/**
 * One gateway event that discord.js cannot handle costs that event, not the process.
 *
 * discord.js handles each dispatch synchronously inside @discordjs/ws's message handler, which is
 * an async function nobody awaits (`void this.onMessage(...)`): a throw while building a Message
 * from the payload — `components: null` on a MESSAGE_UPDATE, `application.install_params: null`
 * on the bot's own echoed reply, both sent by Spacebar — became an unhandled rejection and ended
 * the process. Real Discord does not send those nulls; other servers, proxies and future API
 * changes might.
 *
 * Two private discord.js hooks are wrapped on this client only (nothing global is patched):
 * - `client.ws.handlePacket(packet, shard)`, where every dispatch (also those queued until the
 *   client is ready) reaches discord.js's packet handlers, and through them the adapter's own
 *   listeners;
 * - the listeners discord.js attaches to @discordjs/ws's manager (`attachEvents`), which also
 *   emit the raw dispatch and track READY and guild arrival.
 * A throw is reported with the event's name and skipped. If an upgrade renames either hook, start-up
 * fails loudly here (and in the tests) rather than running unguarded.
 */
export type GatewayFailure = (event: string, error: unknown) => void;

type Listener = (...args: unknown[]) => unknown;

interface Emitter {
  eventNames(): (string | symbol)[];
  listeners(name: string | symbol): Listener[];
  removeListener(name: string | symbol, listener: Listener): unknown;
  on(name: string | symbol, listener: Listener): unknown;
}

interface DiscordJsWebSocketManager {
  handlePacket(packet?: unknown, shard?: unknown): boolean;
  attachEvents(): void;
  _ws: Emitter | null;
}

export function containGatewayFailures(client: Client, onFailure: GatewayFailure): void {
  const manager = client.ws as unknown as Partial<DiscordJsWebSocketManager>;
  if (typeof manager.handlePacket !== "function" || typeof manager.attachEvents !== "function") {
    throw new Error("discord.js no longer has WebSocketManager.handlePacket/attachEvents: update src/adapters/discord/gateway-guard.ts for this version");
  }

  const handlePacket = manager.handlePacket.bind(manager);
  manager.handlePacket = (packet, shard) => {
    try {
      return handlePacket(packet, shard);
    } catch (error) {
      onFailure(eventName(packet), error);
      // "Handled": the packet is dropped, the queue moves on.
      return true;
    }
  };

  const attachEvents = manager.attachEvents.bind(manager);
  manager.attachEvents = () => {
    attachEvents();
    const ws = manager._ws;
    if (!ws) return;
    for (const name of ws.eventNames()) {
      for (const listener of ws.listeners(name)) {
        ws.removeListener(name, listener);
        ws.on(name, (...args: unknown[]) => {
          try {
            return listener(...args);
          } catch (error) {
            // @discordjs/ws passes `{ data, shardId }`; a dispatch's `data` is the packet.
            onFailure(name === "dispatch" ? eventName((args[0] as { data?: unknown } | undefined)?.data) : `gateway ${String(name)}`, error);
            return undefined;
          }
        });
      }
    }
  };
}

function eventName(packet: unknown): string {
  const t = typeof packet === "object" && packet !== null ? (packet as { t?: unknown }).t : undefined;
  return typeof t === "string" ? t.slice(0, 64) : "unknown event";
}

interface SocketLike {
  readyState: number;
  on(event: "error", listener: (error: unknown) => void): unknown;
  terminate(): void;
}

/**
 * Destroys the client without leaving a gateway socket mid-handshake behind. @discordjs/ws's
 * destroy() unhooks a socket that is still connecting (a gateway that accepted the connection but
 * never answered the upgrade) without closing it; when its handshake timer fires 30 s later, `ws`
 * emits an 'error' nobody listens to, which throws. Such sockets are ended here, with a listener.
 */
export async function destroyClient(client: Client): Promise<void> {
  const connecting = connectingSockets(client);
  await client.destroy();
  for (const socket of connecting) {
    socket.on("error", () => undefined);
    socket.terminate();
  }
}

const CONNECTING = 0;

function connectingSockets(client: Client): SocketLike[] {
  const ws = (client.ws as unknown as { _ws?: { strategy?: { shards?: Map<unknown, { connection?: unknown }> } } | null })._ws;
  const shards = ws?.strategy?.shards;
  if (!shards || typeof shards.values !== "function") return [];
  const sockets: SocketLike[] = [];
  for (const shard of shards.values()) {
    const c = shard.connection as Partial<SocketLike> | null | undefined;
    if (c && c.readyState === CONNECTING && typeof c.on === "function" && typeof c.terminate === "function") sockets.push(c as SocketLike);
  }
  return sockets;
}
