// The bench's table: each figure beside the floor (or the limit it is held to), their ratio and its target.
export type Target = { ratioAtLeast: number } | { ratioAtMost: number } | { atMost: number };

export interface Figure {
  figure: string;
  value: number;
  /** The floor's figure, or the limit the value is compared with (see `note`). */
  floor?: number;
  target?: Target;
  note?: string;
}

const ratioOf = (f: Figure) => (f.floor ? f.value / f.floor : undefined);

/** Whether the figure meets its target; undefined when it has none. */
export function meets(f: Figure): boolean | undefined {
  const t = f.target;
  if (!t) return undefined;
  const r = ratioOf(f);
  if ('atMost' in t) return f.value <= t.atMost;
  if (r === undefined) return false;
  return 'ratioAtLeast' in t ? r >= t.ratioAtLeast : r <= t.ratioAtMost;
}

const num = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(n % 1 === 0 ? 0 : 2));

function targetText(t: Target | undefined): string {
  if (!t) return '';
  if ('atMost' in t) return `≤ ${t.atMost}`;
  return 'ratioAtLeast' in t ? `≥ ${t.ratioAtLeast}× floor` : `≤ ${t.ratioAtMost}× floor`;
}

export function printReport(figures: Figure[]): void {
  const header = ['figure', 'value', 'floor/limit', 'ratio', 'target', 'met', 'note'];
  const rows = figures.map((f) => {
    const ok = meets(f);
    return [
      f.figure,
      num(f.value),
      num(f.floor),
      ratioOf(f) === undefined ? '' : `${ratioOf(f)!.toFixed(2)}×`,
      targetText(f.target),
      ok === undefined ? '' : ok ? 'yes' : 'NO',
      f.note ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const missed = figures.filter((f) => meets(f) === false).map((f) => f.figure);
  console.log(missed.length ? `\ntargets missed: ${missed.join('; ')}` : '\nevery target met');
}
