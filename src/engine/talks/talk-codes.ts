import { randomBytes } from "node:crypto";

/** Why a talks request was refused, as the private answer to give. */
export class TalkRefusal extends Error {}

// No 0/O or 1/I/L: ids and check-in codes are read off a screen and typed.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A random code of `length` characters from an alphabet people can read and type. */
export function code(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}
