import type { Canvas } from "@napi-rs/canvas";
import type { ReplyAttachment } from "../../core/reply.js";
import { clipText } from "./draw.js";
import { encodePng } from "./png.js";

/** Alt text limits: Slack's alt_txt takes 1000 characters, Discord's description 1024. */
export const ALT_TEXT_MAX = 1000;

/** A drawn canvas as a reply attachment: PNG bytes in base64, so the reply stays JSON. */
export function pngAttachment(canvas: Canvas, name: string, description: string): ReplyAttachment {
  return {
    name,
    contentType: "image/png",
    data: encodePng(canvas).toString("base64"),
    description: clipText(description, ALT_TEXT_MAX),
  };
}
