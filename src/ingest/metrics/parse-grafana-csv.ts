/**
 * Grafana panel "Download CSV" files (Inspect → Data) to metric series: the wide layout
 * (`Time` plus one column per series, "Series joined by time") and the long one
 * (`Series`, `Time`, `Value` rows).
 */

import { ParseError } from '../../diagnostics.ts';
import type { MetricSeries, MetricUnit, Sample } from '../../model/metrics.ts';
import { isValidTimeZone, toIsoUtc, wallClockInstants } from '../../model/time-zone.ts';
import { unusableValue } from './check-values.ts';
import { parseUnitValue, scaleValue, UNIT_VALUE_EXPECTED, type UnitFamily, type UnitValue, type ValueKind } from './parse-unit-value.ts';
import { matchesSelector, type SeriesSelector } from './series-selector.ts';
import { visitCsvRecords } from './csv-records.ts';

/** Options of {@link parseGrafanaCsv}. */
export interface GrafanaCsvOptions {
  /** IANA time zone that formatted times (`2024-04-10 18:55:00`) are in, e.g. `Europe/London`. */
  timezone: string;
  /**
   * Unit of the export, to reject a value whose suffix says otherwise, such as `1.2 GiB` in a
   * CPU export (default: no check). A percent is accepted in a `cores` export, where Grafana's
   * "Percent (0.0-1.0)" unit prints 0.95 cores as `95%`. In a `ratio` export (a utilisation)
   * only plain numbers and percents are: `45.2%` is 0.452 of the capacity, whether the panel's
   * unit was "Percent (0-100)" or "Percent (0.0-1.0)".
   */
  unit?: MetricUnit;
  /**
   * Factor from plain numbers (no unit suffix, as "Formatted data" off writes them) to the
   * export's unit, e.g. `0.001` for a panel whose query gives millicores (default: `1`).
   * Suffixed values (`950 mcores`, `1.2 GiB`) say their own unit and are not scaled.
   */
  scale?: number;
  /**
   * Which series to read (default: all): a column or `Series` value is a series labelled
   * `series` with its name, so `{series!="Idle"}` leaves out the column `Idle`. The cells of a
   * series left out are not read at all.
   */
  select?: SeriesSelector;
}

/** What {@link readGrafanaCsv} found: the series read, and the names of every series of the file. */
export interface GrafanaCsvResult {
  series: MetricSeries[];
  /** Every column (wide) or `Series` value (long) in order, selected or not, with values or not. */
  names: string[];
}

/** Suffix kinds a value may carry in an export of each unit. */
const ALLOWED_KINDS: Record<MetricUnit, ValueKind[]> = {
  cores: [null, 'cores', 'ratio'],
  bytes: [null, 'bytes'],
  ratio: [null, 'ratio'],
};

interface Row {
  line: number;
  cells: string[];
}

/**
 * Parses a Grafana panel CSV export. The separator (`,` or `;`) is taken from a leading
 * `sep=;` line when there is one, else detected from the header; a BOM is ignored.
 * `Time` is epoch milliseconds or a local date-time `YYYY-MM-DD HH:MM[:SS]` (also with `T`,
 * or with an explicit `Z` / `+02:00` offset) in `options.timezone`.
 * A local time that a clock change makes occur twice (`01:30:00` on the night summer time ends)
 * is the later instant in a wide file when the earlier one would not follow the previous row:
 * Grafana writes those rows in time order but without the offset.
 * Values may carry Grafana's units and are converted to SI (see `parseUnitValue`; a percent
 * becomes a 0..1 ratio, `12.5%` → 0.125); empty, `NaN`, `null` and `undefined` cells are missing
 * values (Grafana's "Series joined by time" writes `undefined` where a series has no sample).
 * Series keep their column (or `Series`) order and are labelled `series` with their name
 * (`{series: "RAM Used"}`, for `select`); a series without any value is left out; samples are
 * sorted by time.
 *
 * Every value of a series is in one unit (Grafana picks a scale per value, `512 KiB` beside
 * `1.2 GiB`, but a panel writes one unit), and none is negative or beyond what a CPU or memory
 * figure can be (see `check-values.ts`; NaN and ±Infinity are missing values).
 *
 * @throws {ParseError} naming the 1-based line for a missing `Time` column, a row of the wrong
 * width, a time or value it cannot read, a second value for the same series and time, a value in
 * another unit than the series' first, or a value that cannot be a measurement.
 * @throws {RangeError} when `options.timezone` is not an IANA zone name.
 */
export function parseGrafanaCsv(content: string, options: GrafanaCsvOptions): MetricSeries[] {
  return readGrafanaCsv(content, options).series;
}

/**
 * {@link parseGrafanaCsv}, also giving the names of every series of the file (for how many
 * `options.select` kept, and what it could have picked).
 *
 * @throws {ParseError} and {@link RangeError} as {@link parseGrafanaCsv}.
 */
export function readGrafanaCsv(content: string, options: GrafanaCsvOptions): GrafanaCsvResult {
  if (!isValidTimeZone(options.timezone)) {
    throw new RangeError(`Cannot use time zone \`${options.timezone}\`: expected an IANA name such as \`Europe/London\``);
  }
  const reader = new SeriesReader(options);
  // Note: records are read one at a time and only their values kept, so memory grows with the
  // samples, not with the cells of the file (a string and more per cell when read whole).
  let onRecord: ((line: number, cells: string[]) => void) | null = null;
  visitRows(content.startsWith('\uFEFF') ? content.slice(1) : content, (line, cells) => {
    if (onRecord === null) onRecord = readHeader({ line, cells }, reader);
    // Note: a row of blanks only is left out, as Grafana ends some exports with one.
    else if (cells.some((cell) => cell.trim() !== '')) onRecord(line, cells);
  });
  if (onRecord === null) throw new ParseError('Cannot read line 1: expected a header line with a `Time` column, got an empty file', 1);
  return { series: reader.series(), names: reader.names() };
}

/** Reads the header; returns what reads each data row. */
function readHeader(header: Row, reader: SeriesReader): (line: number, cells: string[]) => void {
  const names = header.cells.map((cell) => cell.trim());
  const timeIndex = names.findIndex((name) => name.toLowerCase() === 'time');
  if (timeIndex < 0) {
    throw new ParseError(
      `Cannot read line ${header.line}: expected a header with a \`Time\` column (Grafana "Download CSV"), got \`${shorten(names.join(','))}\``,
      header.line,
    );
  }
  const seriesIndex = names.findIndex((name) => name.toLowerCase() === 'series');
  return seriesIndex >= 0 ? readLong(header, names, seriesIndex, timeIndex, reader) : readWide(names, timeIndex, reader);
}

/** `Time, a, b, ...`: one column per series. */
function readWide(names: string[], timeIndex: number, reader: SeriesReader): (line: number, cells: string[]) => void {
  const columns = uniqueNames(names.map((name, i) => (name === '' ? `column ${i + 1}` : name)));
  // Note: each column's series, or null for `Time` and a series `select` leaves out (its cells are not read).
  const series = columns.map((name, i) => (i === timeIndex ? null : reader.declare(name)));
  let previous = -Infinity;
  return (line, cells) => {
    checkWidth(line, cells, names.length);
    const time = parseTime(cells[timeIndex]!, line, reader.timezone);
    const t = time.t <= previous && time.later !== undefined && time.later > previous ? time.later : time.t;
    previous = t;
    for (let i = 0; i < cells.length; i++) {
      const s = series[i];
      if (s) reader.add(s, t, cells[i]!, line);
    }
  };
}

/** `Series, Time, Value`: one row per sample. */
function readLong(header: Row, names: string[], seriesIndex: number, timeIndex: number, reader: SeriesReader): (line: number, cells: string[]) => void {
  const valueIndex = names.findIndex((name) => name.toLowerCase() === 'value');
  if (valueIndex < 0 || names.length !== 3) {
    throw new ParseError(
      `Cannot read line ${header.line}: expected the columns \`Series\`, \`Time\`, \`Value\`, got \`${shorten(names.join(','))}\``,
      header.line,
    );
  }
  return (line, cells) => {
    checkWidth(line, cells, names.length);
    const name = cells[seriesIndex]!.trim();
    if (name === '') throw new ParseError(`Cannot read line ${line}: expected a series name in \`Series\`, got an empty field`, line);
    const { t } = parseTime(cells[timeIndex]!, line, reader.timezone);
    const s = reader.declare(name);
    if (s) reader.add(s, t, cells[valueIndex]!, line);
  };
}

function checkWidth(line: number, cells: string[], width: number): void {
  if (cells.length !== width) {
    throw new ParseError(`Cannot read line ${line}: expected ${width} fields like the header, got ${cells.length}`, line);
  }
}

/**
 * One series being read: its samples, each kept as the model's `{t, v}` once read (the cells
 * themselves are not kept), and the unit its values are written in.
 */
class SeriesSamples {
  samples: Sample[] = [];
  /** The latest time so far: a later time cannot be a second value for a time. */
  latest = -Infinity;
  /** Every time so far, made only once a time comes that is not later than all before it. */
  times: Set<number> | null = null;
  /** The unit the values are written in: the first finite value's, with its cell and line. */
  unit: { family: UnitFamily; text: string; line: number } | null = null;

  constructor(readonly name: string) {}

  has(t: number): boolean {
    if (t > this.latest) return false;
    if (this.times === null) this.times = new Set(this.samples.map((s) => s.t));
    return this.times.has(t);
  }

  push(t: number, v: number): void {
    this.samples.push({ t, v });
    this.times?.add(t);
    if (t > this.latest) this.latest = t;
  }

  /** The samples sorted by time (times are distinct, see {@link has}). */
  sorted(): Sample[] {
    return this.times === null ? this.samples : this.samples.sort((a, b) => a.t - b.t);
  }
}

/** A plain number as Grafana writes one with "Formatted data" off: read without `parseUnitValue`'s regex. */
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/** Collects samples per series name, in order of first appearance. */
class SeriesReader {
  readonly timezone: string;
  private readonly unit: MetricUnit | undefined;
  private readonly scale: number;
  private readonly select: SeriesSelector | undefined;
  /** Every series name met, in order, and its samples, or null when `select` leaves it out. */
  private readonly kept = new Map<string, SeriesSamples | null>();

  constructor(options: GrafanaCsvOptions) {
    this.timezone = options.timezone;
    this.unit = options.unit;
    this.scale = options.scale ?? 1;
    this.select = options.select;
  }

  /** Notes a series of the file; returns its samples when it is read, else null. */
  declare(name: string): SeriesSamples | null {
    let series = this.kept.get(name);
    if (series === undefined) {
      series = this.select === undefined || matchesSelector(this.select, { series: name }) ? new SeriesSamples(name) : null;
      this.kept.set(name, series);
    }
    return series;
  }

  add(series: SeriesSamples, t: number, cell: string, line: number): void {
    const name = series.name;
    const text = cell.trim();
    if (text === '' || text === 'NaN' || text === 'null' || text === 'undefined') return;
    const parsed: UnitValue | null = PLAIN_NUMBER.test(text) ? { value: Number(text), kind: null, family: 'short' } : parseUnitValue(text);
    if (!parsed) {
      throw new ParseError(`Cannot read line ${line}: expected ${UNIT_VALUE_EXPECTED} for \`${name}\`, got \`${shorten(text)}\``, line);
    }
    if (this.unit && !ALLOWED_KINDS[this.unit].includes(parsed.kind)) {
      const expected = this.unit === 'ratio' ? 'a utilisation (a plain number or a percent such as `45.2%`)' : `a value in ${this.unit}`;
      throw new ParseError(`Cannot read line ${line}: expected ${expected} for \`${name}\`, got \`${shorten(text)}\``, line);
    }
    if (series.has(t)) {
      throw new ParseError(
        `Cannot read line ${line}: expected one value per time for \`${name}\`, got a second one at ${toIsoUtc(t * 1000)}`,
        line,
      );
    }
    if (Number.isFinite(parsed.value)) {
      const first = series.unit;
      if (first === null) series.unit = { family: parsed.family, text, line };
      else if (first.family !== parsed.family) {
        // Note: Grafana picks a scale per value within a unit (`512 KiB`, `1.2 GiB`; `950`, `1.23 K`),
        // but one panel never writes two units in a column: a bare number beside `950 mcores` would be
        // read as cores, a thousand times too much.
        throw new ParseError(
          `Cannot read line ${line}: expected every value of \`${name}\` in one unit (${first.family}, as \`${shorten(first.text)}\` on line ${first.line}), got \`${shorten(text)}\` (${parsed.family})`,
          line,
        );
      }
    }
    const v = parsed.kind === null ? scaleValue(parsed.value, this.scale) : parsed.value;
    const expected = unusableValue(v, this.unit);
    if (expected !== null) throw new ParseError(`Cannot use line ${line}: expected ${expected} for \`${name}\`, got \`${shorten(text)}\``, line);
    series.push(t, v);
  }

  series(): MetricSeries[] {
    const read: MetricSeries[] = [];
    for (const [name, series] of this.kept) {
      if (series !== null && series.samples.length > 0) read.push({ name, labels: { series: name }, samples: series.sorted() });
    }
    return read;
  }

  names(): string[] {
    return [...this.kept.keys()];
  }
}

/** Gives each record with its 1-based line to `visit`, honouring a leading `sep=` line. */
function visitRows(text: string, visit: (line: number, cells: string[]) => void): void {
  const firstLine = /^[^\r\n]*/.exec(text)![0];
  const sep = /^"?sep=(.)"?\s*$/i.exec(firstLine);
  const delimiter = sep ? sep[1]! : detectDelimiter(firstLine);
  // Note: what `visit` throws is its own; only csv-parse's errors are about CSV fields.
  let visitError: unknown = null;
  const guarded = (line: number, cells: string[]): void => {
    try {
      visit(line, cells);
    } catch (e) {
      visitError = e;
      throw e;
    }
  };
  try {
    visitCsvRecords(text, delimiter, sep ? 2 : 1, guarded);
  } catch (e) {
    if (e === visitError) throw e;
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : null;
    const reason = e instanceof Error ? e.message : String(e);
    throw new ParseError(`Cannot read line ${line ?? '?'}: expected CSV fields separated by \`${delimiter}\` (${reason})`, line);
  }
}

/** `;` when the header has more semicolons than commas outside quotes, else `,`. */
function detectDelimiter(header: string): string {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A `Time` cell to Unix seconds `t`; for a local time that occurs twice in the zone, `t` is the
 * earlier instant and `later` the other one.
 */
function parseTime(cell: string, line: number, timeZone: string): { t: number; later?: number } {
  const text = cell.trim();
  // Note: 12 to 14 digits are epoch milliseconds from 1973 to 5138; fewer would be seconds, which Grafana does not write.
  if (/^\d{12,14}(?:\.\d+)?$/.test(text)) return { t: Number(text) / 1000 };
  const m = LOCAL_TIME.exec(text);
  const fields = m && {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (!m || !fields || !isValidDateTime(fields)) {
    throw new ParseError(
      `Cannot read line ${line}: expected \`Time\` as epoch milliseconds or \`YYYY-MM-DD HH:MM:SS\`, got \`${shorten(text)}\``,
      line,
    );
  }
  const fraction = m[7] === undefined ? 0 : Number(m[7]);
  const zone = m[8];
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  if (zone === undefined) {
    const [earlier, later] = wallClockInstants(fields, timeZone);
    return { t: earlier! / 1000 + fraction, ...(later === undefined ? {} : { later: later / 1000 + fraction }) };
  }
  if (zone === 'Z') return { t: naive / 1000 + fraction };
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const minutes = Number(offset[2]) * 60 + Number(offset[3]);
  return { t: naive / 1000 + fraction - (offset[1] === '-' ? -1 : 1) * minutes * 60 };
}

function isValidDateTime(f: { year: number; month: number; day: number; hour: number; minute: number; second: number }): boolean {
  const daysInMonth = new Date(Date.UTC(f.year, f.month, 0)).getUTCDate();
  return (
    f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysInMonth && f.hour <= 23 && f.minute <= 59 && f.second <= 59
  );
}

/** Makes column names unique: a repeated `Value` becomes `Value (2)`, `Value (3)`. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
