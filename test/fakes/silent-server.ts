/**
 * A server that accepts connections and reads requests but never answers: what a platform API
 * looks like behind a black-holing proxy or a half-dead load balancer. For start-up deadlines.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

export interface SilentServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, as error messages name it. */
  host: string;
  /** Requests seen so far (method and path), to prove the client did reach it. */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const requests: { method: string; path: string }[] = [];
  const server: Server = createServer((req: IncomingMessage) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "" });
    req.resume();
    // Never answered.
  });
  // Upgrades (a WebSocket) hang the same way, until close().
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (_req: IncomingMessage, socket: Duplex) => {
    upgraded.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
