/**
 * One CSV line (RFC 4180, CRLF-free: `\n`): a field with a comma, a quote, a line break or edge
 * spaces is quoted, `""` inside; null is an empty field. Text a member typed may start with `=`,
 * `+`, `-` or `@`, which a spreadsheet would run as a formula: such a text field gets a leading
 * `'` (numbers, negative amounts included, are written as they are).
 */
export function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(",")}\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
