import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { talksCalendar } from "./talks-ical.js";

/**
 * `npm run talks:ics [-- --community <id or name>]`: which community's calendar to print. With one
 * community the flag may be left out; with several it must name one (by id or by name).
 */
export type IcsRequest = { ok: true; ics: string } | { ok: false; error: string };

export async function icsFor(db: Kysely<Database>, args: readonly string[], now: Date): Promise<IcsRequest> {
  const flag = args.indexOf("--community");
  const wanted = flag >= 0 ? args[flag + 1] : undefined;
  if (flag >= 0 && !wanted) return { ok: false, error: "--community needs a community id or name." };
  const communities = await db.selectFrom("communities").select(["id", "name"]).orderBy("created_at").execute();
  const list = communities.map((c) => `  ${c.id}  ${c.name}`).join("\n");
  const found = wanted ? communities.filter((c) => c.id === wanted || c.name === wanted) : communities;
  if (found.length === 0) return { ok: false, error: wanted ? `No community is called or numbered "${wanted}". Communities:\n${list || "  (none yet)"}` : "There are no communities yet: start the bot once." };
  if (found.length > 1) return { ok: false, error: `Several communities${wanted ? ` match "${wanted}"` : ""}; name one with --community <id>:\n${found.map((c) => `  ${c.id}  ${c.name}`).join("\n")}` };
  const community = found[0]!;
  return { ok: true, ics: await talksCalendar(db, community.id, { name: `${community.name} talks`, now }) };
}
