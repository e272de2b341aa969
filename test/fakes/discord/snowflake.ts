/**
 * Snowflake ids the way Discord makes them: (ms since the Discord epoch) << 22 | worker | process | increment.
 *
 * Why not just a counter: discord.js derives `createdTimestamp` (and so message age, "account age" checks,
 * sorting) from the id itself, so ids must encode a realistic time and grow monotonically.
 */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export class SnowflakeFactory {
  private increment = 0n;
  private lastMs = 0n;

  next(atMs: number = Date.now()): string {
    let ms = BigInt(atMs);
    // Keep ids strictly increasing even if two are made in the same millisecond or the clock steps back.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.increment = (this.increment + 1n) & 0xfffn;
      if (this.increment === 0n) ms += 1n;
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return (((ms - DISCORD_EPOCH_MS) << 22n) | (1n << 17n) | (1n << 12n) | this.increment).toString();
  }
}

/** The time (ms since 1970) encoded in a snowflake; handy for building `timestamp` fields that agree with the id. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}
