import Fastify, { type FastifyInstance } from "fastify";
import { type CommunityPagesDeps, communityPages } from "../../src/http/community/index.js";
import type { TestEngine } from "../helpers/engine.js";

/** A bare fastify with only the community pages, as the server will register them. */
export async function pagesApp(t: TestEngine, options: Partial<CommunityPagesDeps> = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(communityPages({ web: t.engine.services.web, ...options }));
  await app.ready();
  return app;
}

/** The same, listening on 127.0.0.1 at a port of the system's choosing; returns its base URL. */
export async function listening(t: TestEngine, options: Partial<CommunityPagesDeps> = {}): Promise<{ app: FastifyInstance; base: string }> {
  const app = await pagesApp(t, options);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { app, base: `http://127.0.0.1:${address.port}` };
}
