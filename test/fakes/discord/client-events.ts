/**
 * Waiting on the discord.js side: "the next messageCreate whose content is X", with a timeout, so tests never sleep.
 */
import type { Client, ClientEvents } from "discord.js";

export function nextClientEvent<E extends keyof ClientEvents>(
  client: Client,
  event: E,
  predicate: (...args: ClientEvents[E]) => boolean = () => true,
  timeoutMs = 2_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[E]): void => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for the client to emit a matching ${String(event)}`));
    }, timeoutMs);
    client.on(event, listener);
  });
}

/** Collects every emission of an event (for "exactly once" assertions). */
export function collectClientEvents<E extends keyof ClientEvents>(client: Client, event: E): ClientEvents[E][] {
  const seen: ClientEvents[E][] = [];
  client.on(event, (...args: ClientEvents[E]) => {
    seen.push(args);
  });
  return seen;
}
