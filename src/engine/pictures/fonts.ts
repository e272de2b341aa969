import path from "node:path";
import { projectRoot } from "../../db/project-root.js";
import { canvasModule } from "./canvas.js";

/**
 * The family every picture draws with: DejaVu Sans (regular and bold), shipped in assets/fonts/
 * under its own licence (assets/fonts/LICENSE-DejaVu.txt), so a picture looks the same on every
 * machine whatever fonts the system has. Glyphs DejaVu lacks (most emoji, CJK) come from whatever
 * fallback Skia finds, or show as boxes: never an error.
 */
export const FONT_FAMILY = "Guildkeeper Sans";

let registered: boolean | undefined;

/**
 * Registers the shipped fonts once per process. The folder is found from the project root (the
 * folder with package.json), which works from the sources under tsx or vitest and from the esbuild
 * bundle in dist/. Returns false when the files are missing: pictures still render, in Skia's
 * default font.
 */
export function registerFonts(root: string | undefined = projectRoot()): boolean {
  if (registered !== undefined) return registered;
  const dir = path.join(root ?? process.cwd(), "assets", "fonts");
  const regular = canvasModule().GlobalFonts.registerFromPath(path.join(dir, "DejaVuSans.ttf"), FONT_FAMILY);
  const bold = canvasModule().GlobalFonts.registerFromPath(path.join(dir, "DejaVuSans-Bold.ttf"), FONT_FAMILY);
  registered = regular !== null && bold !== null;
  return registered;
}

/** A CSS font string in the shipped family. */
export function font(sizePx: number, weight: "normal" | "bold" = "normal"): string {
  registerFonts();
  return `${weight} ${sizePx}px "${FONT_FAMILY}"`;
}
