import zlib from "node:zlib";
import type { Canvas } from "@napi-rs/canvas";

/**
 * PNG encoding for the pictures, written out here instead of Skia's `toBuffer("image/png")`,
 * which compresses at zlib's default level with adaptive filters and took 3–5 times as long for
 * these flat, dark cards (measured in scripts/render-examples.ts; the output here is smaller too).
 * The rows go out unfiltered as 8-bit RGBA and are deflated at a low level: runs of one colour,
 * which is most of a card, compress well without filtering. Skia draws lazily, so reading the
 * pixels (`canvas.data()`) is also where the drawing is paid for.
 *
 * `data()` is premultiplied RGBA; PNG wants straight alpha. Every picture here paints an opaque
 * background first, and for opaque pixels the two are the same.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DEFLATE_LEVEL = 1;

export function encodePng(canvas: Canvas): Buffer {
  const { width, height } = canvas;
  const rgba = canvas.data();
  const rowBytes = width * 4;
  const rows = Buffer.allocUnsafe((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (rowBytes + 1);
    rows[at] = 0; // filter: None
    rgba.copy(rows, at + 1, y * rowBytes, (y + 1) * rowBytes);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter method and interlace stay 0
  return Buffer.concat([SIGNATURE, chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows, { level: DEFLATE_LEVEL })), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
