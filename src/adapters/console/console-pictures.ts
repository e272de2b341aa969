import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Reply } from "../../core/reply.js";

/**
 * The console's stand-in for a picture: the PNG saved in a folder (by default
 * data/console-pictures/ in the checkout, or CONSOLE_PICTURES_DIR) and its path printed under the
 * reply, to open in an image viewer. A file is named after its content
 * (`leaderboard-<8 hex>.png`), so the same picture is the same file: a scripted session prints the
 * same paths every run and the folder does not fill with copies.
 */
export class ConsolePictures {
  constructor(
    private readonly dir: string,
    /** Paths are printed relative to this folder when they lie inside it (the working directory). */
    private readonly base: string = process.cwd(),
  ) {}

  /** Saves the reply's pictures; returns a line for each (its path, or why it was not saved). */
  save(reply: Reply): string[] {
    return (reply.attachments ?? []).map((picture) => {
      const bytes = Buffer.from(picture.data, "base64");
      const stem = path.basename(picture.name, path.extname(picture.name)).replace(/[^A-Za-z0-9_-]/g, "_") || "picture";
      const file = path.join(this.dir, `${stem}-${createHash("sha256").update(bytes).digest("hex").slice(0, 8)}.png`);
      try {
        fs.mkdirSync(this.dir, { recursive: true });
        if (!fs.existsSync(file)) fs.writeFileSync(file, bytes);
        return `picture: ${this.shown(file)}`;
      } catch (error) {
        return `picture not saved (${error instanceof Error ? error.message : String(error)}): ${picture.name}`;
      }
    });
  }

  private shown(file: string): string {
    const relative = path.relative(this.base, file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
  }
}
