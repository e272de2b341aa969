/**
 * Slack-shaped identifiers and timestamps for the fake.
 *
 * Real Slack ids are uppercase alphanumerics with a one-letter kind prefix
 * (U user, C channel, V view, Ev event...). Code under test sometimes checks
 * those prefixes (a `D` channel is a DM, `U`/`W` is a user), so the fake keeps
 * the same shapes instead of using arbitrary strings.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `prefix` followed by `length` random uppercase alphanumerics, e.g. `V0A1B2C3D4E`. */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Socket Mode envelope ids and `client_msg_id`s are UUIDs in real payloads. */
export function uuid(): string {
  return randomUUID();
}

/** Trigger ids look like `1234567890123.1234567890.0123456789abcdef0123456789abcdef`. */
export function triggerId(): string {
  const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(13)}.${digits(10)}.${randomBytes(16).toString('hex')}`;
}

/**
 * Message timestamps: `"<unix seconds>.<6-digit micros>"`, strictly increasing.
 *
 * Slack uses `ts` as the message id, and code keys threads, edits and reactions
 * on it, so two messages must never share one. We start from wall-clock time
 * (tests that compare against `Date.now()` keep working) and bump by one
 * microsecond whenever the clock has not advanced.
 */
export class TsClock {
  private lastMicros = 0;

  next(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return formatTs(micros);
  }
}

export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${seconds}.${fraction}`;
}

/** Channel ids start with C (public), G (legacy private) or D (DM); events carry the matching `channel_type`. */
export type ChannelType = 'channel' | 'group' | 'im' | 'mpim';

export function channelTypeOf(channelId: string): ChannelType {
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}
