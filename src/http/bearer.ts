import { createHash, timingSafeEqual } from "node:crypto";

/**
 * A check of an `Authorization` header against one bearer token. Both sides are hashed before the
 * constant-time comparison, so neither the token's length nor how much of it a guess got right
 * shows in how long the answer takes. The scheme is case-insensitive (RFC 9110 §11.1).
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const match = header === undefined ? null : /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
