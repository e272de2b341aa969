import { z } from "zod";

/**
 * Amounts are whole numbers of the currency's smallest unit (cents for USD, yen for JPY), so sums
 * are exact. Members type them in the currency's own decimals: `250`, `250.5`, `250.50` for USD
 * (at most 2 decimals), `-25.00` for a correction; no thousands separators (a comma could be
 * either separator), no currency sign.
 */

/** The largest amount one contribution may carry, in major units (10 000 000.00 USD). */
export const MAX_MAJOR = 10_000_000;

/** Decimals the currency uses (2 for USD and EUR, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** What an amount option accepts, for messages. */
export function amountAccepts(currency: string): string {
  const d = currencyDigits(currency);
  const example = d === 0 ? "2500" : `250 or 250.${"5".padEnd(d, "0")}`;
  return `an amount in ${currency} like ${example}${d ? ` (at most ${d} decimals)` : " (whole units)"}, greater than 0 and at most ${MAX_MAJOR.toLocaleString("en")} — or below 0 for a correction; no thousands separators or currency signs`;
}

/** Parses a typed amount into the smallest unit, or undefined when it is not one (zero included). */
export function parseAmount(text: string, currency: string): number | undefined {
  const d = currencyDigits(currency);
  const shape = z.string().regex(d === 0 ? /^[+-]?\d{1,9}$/ : new RegExp(`^[+-]?\\d{1,9}(\\.\\d{1,${d}})?$`));
  const parsed = shape.safeParse(text.trim());
  if (!parsed.success) return undefined;
  const [whole, fraction = ""] = parsed.data.replace(/^[+-]/, "").split(".");
  const minor = Number(whole) * 10 ** d + Number(fraction.padEnd(d, "0") || "0");
  if (minor === 0 || minor > MAX_MAJOR * 10 ** d) return undefined;
  return parsed.data.startsWith("-") ? -minor : minor;
}

/** `1,234.50 USD` (exact: integer arithmetic on the smallest unit). */
export function formatAmount(minor: number, currency: string): string {
  const d = currencyDigits(currency);
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** d).toLocaleString("en");
  const fraction = d ? `.${String(abs % 10 ** d).padStart(d, "0")}` : "";
  return `${minor < 0 ? "−" : ""}${whole}${fraction} ${currency}`;
}
