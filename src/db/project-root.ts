import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The checkout guildkeeper runs from: the nearest folder above this module that holds a
 * package.json. Found from the module's own location, not the working directory, so
 * `node /srv/guildkeeper/dist/main.mjs` started from anywhere (a service manager, another shell)
 * finds the same data folder. This works from the sources (src/db/ under tsx or vitest) and from a
 * bundle (dist/main.mjs), because both live below the package.json.
 */
export function projectRoot(from: string = import.meta.url): string | undefined {
  let dir = path.dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
