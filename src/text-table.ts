// Aligned plain-text tables for terminal output, shared by stage reports and commands.

/** Renders `rows` under `header`, columns separated by two spaces; `rightAligned` lists column indexes to pad left. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Renders records with the same keys as a table; columns whose cells all look numeric are right-aligned. */
export function formatRecords(records: readonly Readonly<Record<string, string | number>>[]): string {
  if (records.length === 0) return '(none)';
  const header = Object.keys(records[0]!);
  const rows = records.map((r) => header.map((h) => String(r[h] ?? '')));
  const numeric = header.flatMap((_, i) => (rows.every((c) => /^-?[\d,.]+%?$|^-$/.test(c[i]!)) ? [i] : []));
  return formatTable(header, rows, numeric);
}
