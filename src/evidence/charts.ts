/**
 * Inline SVG charts as plain geometry (rectangles, lines, circles, text) that one template partial
 * draws. Computing the geometry here keeps the template free of logic and every value escaped.
 * Each chart carries a title and a text description for screen readers; the tables beside carry the data.
 */
import { compareRotationRows, type RotationRow } from './rotation.js';

export interface ChartShape {
  x: number;
  y: number;
  w: number;
  h: number;
  cls: string;
  label: string;
}
export interface ChartLine { x1: number; y1: number; x2: number; y2: number; cls: string }
export interface ChartDot { cx: number; cy: number; r: number; cls: string; label: string }
export interface ChartText { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; cls: string }

export interface Chart {
  id: string;
  title: string;
  desc: string;
  /** One visible sentence telling a reader how to read the chart. */
  legend: string;
  width: number;
  height: number;
  rects: ChartShape[];
  lines: ChartLine[];
  dots: ChartDot[];
  texts: ChartText[];
}

export interface StackedRow {
  label: string;
  fail: number;
  waived: number;
  error: number;
  pass: number;
}

export interface TrendPoint {
  label: string;
  fail: number;
  waived: number;
  error: number;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function niceMax(n: number, step: number): number {
  return Math.max(step, Math.ceil(n / step) * step);
}

function empty(id: string, title: string, legend: string, width: number, height: number): Chart {
  return { id, title, desc: '', legend, width, height, rects: [], lines: [], dots: [], texts: [] };
}

/** A credential type's row of the age chart: how many credentials, how many past their interval, and the first in the table's order (its interval is the row's threshold). */
interface AgeGroup {
  count: number;
  over: number;
  first: RotationRow;
}

/**
 * What the age chart's frame needs from the rotation rows, gathered one row at a time in any order:
 * the credential types with their counts, each type's first row in the table's order and the
 * largest age or interval (the scale). Rows without an age or an interval are not drawn.
 */
export class AgeTally {
  readonly groups = new Map<string, AgeGroup>();
  maxVal = 1;

  add(r: RotationRow): void {
    if (r.intervalDays === null || r.ageDays === null) return;
    this.maxVal = Math.max(this.maxVal, r.ageDays, r.intervalDays);
    const g = this.groups.get(r.credentialType);
    if (!g) this.groups.set(r.credentialType, { count: 1, over: r.overdue ? 1 : 0, first: r });
    else {
      g.count++;
      if (r.overdue) g.over++;
      // Strictly before: among equals the first seen (the snapshot's order, as the stable sort keeps it).
      if (compareRotationRows(r, g.first) < 0) g.first = r;
    }
  }

  /** The credential types, in the chart's order. */
  types(): string[] {
    return [...this.groups.keys()].sort();
  }
}

/** Whether a rotation row is a dot of the age chart, and in which type's row. */
export function isAgeDot(r: RotationRow): boolean {
  return r.intervalDays !== null && r.ageDays !== null;
}

/**
 * The age chart without its dots (axes, rows, thresholds, labels and description), and the dot of a
 * row: `dot(r, i, j)` for the `j`-th credential (table order) of the `i`-th type of `tally.types()`.
 */
export function ageChartFrame(tally: AgeTally): { chart: Chart; dot: (r: RotationRow, i: number, j: number) => ChartDot } {
  const types = tally.types();
  const left = 200;
  const plotW = 520;
  const rowH = 44;
  const top = 16;
  const height = top + Math.max(1, types.length) * rowH + 40;
  const chart = empty('chart-age', 'Credential age against rotation thresholds', 'Each dot is a credential at its age in days: green within its interval, red past it, purple past it under a waiver. The dashed red line is the interval the standard sets for that type.', left + plotW + 30, height);
  const max = niceMax(tally.maxVal * 1.1, 30);
  const x = (v: number) => r1(left + (Math.min(Math.max(v, 0), max) / max) * plotW);
  const axisY = top + Math.max(1, types.length) * rowH;
  for (let t = 0; t <= max; t += max / 6) {
    chart.lines.push({ x1: x(t), y1: top, x2: x(t), y2: axisY, cls: 'grid' });
    chart.texts.push({ x: x(t), y: axisY + 16, text: `${Math.round(t)}`, anchor: 'middle', cls: 'tick' });
  }
  chart.texts.push({ x: left + plotW / 2, y: axisY + 34, text: 'age in days (since last rotation)', anchor: 'middle', cls: 'axis-label' });
  const descParts: string[] = [];
  const thresholds = types.map((type) => tally.groups.get(type)!.first.intervalDays!);
  types.forEach((type, i) => {
    const g = tally.groups.get(type)!;
    const y0 = top + i * rowH;
    const mid = y0 + rowH / 2;
    const threshold = thresholds[i]!;
    descParts.push(`${type}: ${g.count} credential(s), threshold ${threshold} days, ${g.over} over`);
    chart.texts.push({ x: left - 8, y: mid + 4, text: `${type} (${g.count})`, anchor: 'end', cls: 'row-label' });
    chart.lines.push({ x1: x(0), y1: mid, x2: x(max), y2: mid, cls: 'row-axis' });
    chart.lines.push({ x1: x(threshold), y1: y0 + 4, x2: x(threshold), y2: y0 + rowH - 4, cls: 'threshold' });
    chart.texts.push({ x: x(threshold) + 3, y: y0 + 12, text: `${threshold} d`, anchor: 'start', cls: 'threshold-label' });
  });
  if (types.length === 0) chart.texts.push({ x: left, y: top + 24, text: 'No credential carries a rotation measurement.', anchor: 'start', cls: 'row-label' });
  chart.desc = descParts.length ? `${descParts.join('; ')}.` : 'No credential carries a rotation measurement.';
  const dot = (r: RotationRow, i: number, j: number): ChartDot => {
    const mid = top + i * rowH + rowH / 2;
    return {
      cx: x(r.ageDays!),
      cy: r1(mid + ((j % 3) - 1) * 7),
      r: 5,
      cls: r.status === 'waived' ? 'dot-waived' : r.overdue ? 'dot-bad' : 'dot-ok',
      label: `${r.vault} ${r.path}: ${r.ageDays} days (threshold ${thresholds[i]})`,
    };
  };
  return { chart, dot };
}

/** One row per credential type: each credential a dot at its age, the rotation threshold a line (rows in the table's order). */
export function ageChart(rows: RotationRow[]): Chart {
  const tally = new AgeTally();
  for (const r of rows) tally.add(r);
  const { chart, dot } = ageChartFrame(tally);
  tally.types().forEach((type, i) => {
    let j = 0;
    for (const r of rows) if (isAgeDot(r) && r.credentialType === type) chart.dots.push(dot(r, i, j++));
  });
  return chart;
}

const STACK: Array<{ key: keyof Omit<StackedRow, 'label'>; cls: string }> = [
  { key: 'fail', cls: 'seg-fail' },
  { key: 'error', cls: 'seg-error' },
  { key: 'waived', cls: 'seg-waived' },
  { key: 'pass', cls: 'seg-pass' },
];

/** Horizontal stacked bars of finding statuses per section of the standard. */
export function sectionChart(rows: StackedRow[]): Chart {
  const left = 200;
  const plotW = 480;
  const rowH = 30;
  const top = 8;
  const height = top + Math.max(1, rows.length) * rowH + 12;
  const chart = empty('chart-sections', 'Findings by section of the standard', 'Bars count findings per section: red fail, amber error (not evaluated), purple waived, green pass.', left + plotW + 90, height);
  const max = Math.max(1, ...rows.map((r) => r.fail + r.waived + r.error + r.pass));
  rows.forEach((row, i) => {
    const y = top + i * rowH + 4;
    chart.texts.push({ x: left - 8, y: y + 15, text: row.label, anchor: 'end', cls: 'row-label' });
    let at = left;
    for (const seg of STACK) {
      const n = row[seg.key];
      if (n === 0) continue;
      const w = r1((n / max) * plotW);
      chart.rects.push({ x: r1(at), y, w, h: 20, cls: seg.cls, label: `${row.label}: ${n} ${seg.key}` });
      at += w;
    }
    chart.texts.push({ x: r1(at + 6), y: y + 15, text: `${row.fail} fail, ${row.pass} pass`, anchor: 'start', cls: 'bar-value' });
  });
  chart.desc = rows.map((r) => `${r.label}: ${r.fail} fail, ${r.error} error, ${r.waived} waived, ${r.pass} pass`).join('; ') || 'No findings.';
  return chart;
}

/** Stacked columns of open problems per pack, oldest first, ending with this one. */
export function trendChart(points: TrendPoint[]): Chart {
  const left = 48;
  const colW = 56;
  const plotH = 160;
  const top = 12;
  const width = left + Math.max(1, points.length) * colW + 20;
  const chart = empty('chart-trend', 'Trend against previous packs', 'Open problems per monthly pack, oldest first: red fail, amber error, purple waived; the number on top counts failures.', Math.max(width, 320), top + plotH + 44);
  const max = niceMax(Math.max(1, ...points.map((p) => p.fail + p.waived + p.error)), 5);
  const y = (v: number) => r1(top + plotH - (v / max) * plotH);
  for (let t = 0; t <= max; t += max / 5) {
    chart.lines.push({ x1: left, y1: y(t), x2: chart.width - 10, y2: y(t), cls: 'grid' });
    chart.texts.push({ x: left - 6, y: y(t) + 4, text: `${Math.round(t)}`, anchor: 'end', cls: 'tick' });
  }
  points.forEach((p, i) => {
    const x = left + i * colW + 10;
    let base = 0;
    for (const [key, cls] of [['fail', 'seg-fail'], ['error', 'seg-error'], ['waived', 'seg-waived']] as const) {
      const n = p[key];
      if (n === 0) continue;
      chart.rects.push({ x, y: y(base + n), w: colW - 20, h: r1(y(base) - y(base + n)), cls, label: `${p.label}: ${n} ${key}` });
      base += n;
    }
    chart.texts.push({ x: x + (colW - 20) / 2, y: y(base) - 4, text: `${p.fail}`, anchor: 'middle', cls: 'bar-value' });
    chart.texts.push({ x: x + (colW - 20) / 2, y: top + plotH + 16, text: p.label, anchor: 'middle', cls: 'tick' });
  });
  chart.desc = points.map((p) => `${p.label}: ${p.fail} fail, ${p.error} error, ${p.waived} waived`).join('; ');
  return chart;
}
