import { createCanvas, loadImage } from "@napi-rs/canvas";

/** What a test can say about a PNG after decoding it: its size and how many colours it uses. */
export interface DecodedPicture {
  width: number;
  height: number;
  /** Distinct colours (RGB, quantised to 4 bits a channel, so antialiasing does not inflate it). */
  colours: number;
  /** Spread of brightness across the pixels: 0 for a blank image. */
  brightnessStdDev: number;
}

/** Decodes a PNG (bytes or base64) with @napi-rs/canvas and measures it; throws if it is not a PNG. */
export async function decodePicture(png: Buffer | string): Promise<DecodedPicture> {
  const bytes = typeof png === "string" ? Buffer.from(png, "base64") : png;
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error("not a PNG: wrong signature");
  const image = await loadImage(bytes);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const colours = new Set<number>();
  let sum = 0;
  let sumSq = 0;
  const pixels = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += y;
    sumSq += y * y;
  }
  const mean = sum / pixels;
  return { width: image.width, height: image.height, colours: colours.size, brightnessStdDev: Math.sqrt(Math.max(0, sumSq / pixels - mean * mean)) };
}

/** A picture that shows something: several colours and real contrast, not one flat fill. */
export function looksDrawn(p: DecodedPicture): boolean {
  return p.colours >= 8 && p.brightnessStdDev > 10;
}
