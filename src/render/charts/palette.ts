/**
 * Colours for chart series. A name maps to a colour through a hash into a fixed categorical
 * palette, so the same series or environment has the same colour in every chart that shares its
 * colour domain, whatever order the names arrive in.
 */

/**
 * The categorical palette: Tableau 10's blue, red and grey, its orange darkened, and six colours
 * picked around them so that every reader can tell any two apart. Every pair differs by a
 * CIEDE2000 ΔE of at least 20 (Tableau's mauve and pink were 9 apart, its red and pink 15), and
 * of at least 10 as a reader with protanopia or deuteranopia sees them (Tableau's red and
 * green were under 1); every colour contrasts at least 3:1 with the white background and differs
 * from {@link NEUTRAL_COLOR}, but for the grey. `test/render/charts/palette.test.ts` checks each.
 */
export const PALETTE = [
  '#4e79a7',
  '#d9730d',
  '#e15759',
  '#2ca478',
  '#b978e6',
  '#0a5546',
  '#646400',
  '#96003c',
  '#5f3291',
  '#79706e',
] as const;

/** The palette's grey, too like {@link NEUTRAL_COLOR} to share a chart with it. */
export const PALETTE_GREY = '#79706e';

/** FNV-1a, 32 bit, over UTF-16 code units: small, stable, and independent of the platform. */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The colour of `name` on its own: a palette entry chosen by a hash of the name.
 * Two names can share a colour; use {@link colorRange} to colour the names of one chart.
 */
export function colorFor(name: string): string {
  return PALETTE[hash(name) % PALETTE.length] ?? PALETTE[0];
}

/**
 * Sorted, de-duplicated names: the colour domain to share between the charts of one comparison
 * (for example every series name seen in any environment), so a legend lists names in one order.
 */
export function colorDomain(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The colours of `domain`, in the order given. Each name starts at {@link colorFor}; a name whose
 * colour is taken by a name sorting before it moves to the next free palette entry. The result
 * depends only on the set of names, so charts given the same domain colour a name alike.
 * Past {@link PALETTE}'s length colours repeat.
 */
export function colorRange(domain: readonly string[]): string[] {
  const taken = new Set<number>();
  const byName = new Map<string, string>();
  for (const name of colorDomain(domain)) {
    let index = hash(name) % PALETTE.length;
    if (taken.size < PALETTE.length) {
      while (taken.has(index)) index = (index + 1) % PALETTE.length;
    }
    taken.add(index);
    byName.set(name, PALETTE[index] ?? PALETTE[0]);
  }
  return domain.map((name) => byName.get(name) ?? PALETTE[0]);
}

/**
 * The colour scale of a chart that shows some of the names of a wider comparison: the names of
 * `domain` that `present` holds, in `domain`'s order, coloured as {@link colorRange} colours the
 * whole domain, so a name keeps its colour in every chart while each legend lists only its own lines.
 */
export function colorScale(domain: readonly string[], present: Iterable<string>): { domain: string[]; range: string[] } {
  const shown = new Set(present);
  const colours = colorRange(domain);
  const kept = domain.map((name, i) => ({ name, colour: colours[i]! })).filter((x) => shown.has(x.name));
  return { domain: kept.map((x) => x.name), range: kept.map((x) => x.colour) };
}

/** Colour of a line that stands for several series together (`other (16 series)`): a neutral grey, lighter than any palette entry. */
export const NEUTRAL_COLOR = '#a8a8a8';

/** Index of {@link PALETTE_GREY} in the palette. */
const NEAR_NEUTRAL = PALETTE.indexOf(PALETTE_GREY);

/**
 * Palette index for `name`: from {@link colorFor}'s entry, the next one in neither `taken` nor
 * `busy`; else the next one not in `taken`; else {@link colorFor}'s entry.
 */
function pickIndex(name: string, taken: ReadonlySet<number>, busy: ReadonlySet<number> = new Set()): number {
  const start = hash(name) % PALETTE.length;
  const probe = (free: (i: number) => boolean): number | null => {
    for (let k = 0; k < PALETTE.length; k++) {
      const i = (start + k) % PALETTE.length;
      if (free(i)) return i;
    }
    return null;
  };
  return probe((i) => !taken.has(i) && !busy.has(i)) ?? probe((i) => !taken.has(i)) ?? start;
}

/**
 * One colour per name for charts compared side by side, `groups` holding the names each chart
 * draws, so that a name has the same colour in every chart and the names of one chart differ.
 * Each name starts at {@link colorFor}'s entry and moves to the next entry that no name sharing a
 * chart with it has taken, preferring one no name has taken yet; names go in sorted order, so with
 * at most {@link PALETTE}'s length of names these are {@link colorRange}'s colours, and past it the
 * names in the most charts go first (ties in sorted order). Names `isNeutral`
 * accepts (lines summing several series) are {@link NEUTRAL_COLOR}, and the names sharing a chart
 * with one avoid the palette's grey. When a name's charts leave it no free entry it keeps a taken
 * one ({@link groupColorScale} then moves it in the chart concerned). Depends only on the names.
 */
export function groupColors(groups: readonly (readonly string[])[], isNeutral: (name: string) => boolean = () => false): Map<string, string> {
  // Note: every chart of a comparison asks with the same groups (see `groupColorScale`); the
  // answer depends only on them, so it is worked out once per groups and `isNeutral`.
  let byNeutral = groupColorsMemo.get(groups);
  if (byNeutral === undefined) groupColorsMemo.set(groups, (byNeutral = new WeakMap()));
  let colours = byNeutral.get(isNeutral);
  if (colours === undefined) byNeutral.set(isNeutral, (colours = computeGroupColors(groups, isNeutral)));
  return new Map(colours);
}

/** {@link groupColors} already worked out, by the identity of the groups and of `isNeutral` (both read-only). */
const groupColorsMemo = new WeakMap<readonly (readonly string[])[], WeakMap<(name: string) => boolean, ReadonlyMap<string, string>>>();

function computeGroupColors(groups: readonly (readonly string[])[], isNeutral: (name: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const index = new Map<string, number>();
  const used = new Set<number>();
  const names = colorDomain(groups.flat());
  for (const name of names.filter(isNeutral)) out.set(name, NEUTRAL_COLOR);
  const charts = (name: string) => groups.filter((group) => group.includes(name)).length;
  const coloured = names.filter((name) => !isNeutral(name));
  // Note: past the palette's length, names in more charts go first: they have the most neighbours.
  const order =
    coloured.length <= PALETTE.length
      ? coloured
      : coloured
          .map((name) => ({ name, charts: charts(name) }))
          .sort((a, b) => b.charts - a.charts || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((x) => x.name);
  for (const name of order) {
    const taken = new Set<number>();
    for (const group of groups) {
      if (!group.includes(name)) continue;
      for (const other of group) {
        const i = index.get(other);
        if (i !== undefined) taken.add(i);
        if (isNeutral(other)) taken.add(NEAR_NEUTRAL);
      }
    }
    const i = pickIndex(name, taken, used);
    index.set(name, i);
    used.add(i);
    out.set(name, PALETTE[i] ?? PALETTE[0]);
  }
  return out;
}

/**
 * The colour scale of one chart drawing `names` among charts compared side by side (`groups`, see
 * {@link groupColors}): each name in {@link groupColors}'s colour, except that a name in no group,
 * or whose colour an earlier name (in sorted order) of this chart already has, moves to the next
 * palette entry this chart does not use; so up to {@link PALETTE}'s length of lines differ (one
 * fewer beside a neutral line, which avoids the palette's grey).
 */
export function groupColorScale(
  groups: readonly (readonly string[])[],
  names: readonly string[],
  isNeutral: (name: string) => boolean = () => false,
): { domain: string[]; range: string[] } {
  const colours = groupColors(groups, isNeutral);
  const used = new Set<number>(names.some(isNeutral) ? [NEAR_NEUTRAL] : []);
  const byName = new Map<string, string>();
  for (const name of colorDomain(names)) {
    if (isNeutral(name)) {
      byName.set(name, NEUTRAL_COLOR);
      continue;
    }
    const given = colours.get(name);
    let index = given === undefined ? -1 : (PALETTE as readonly string[]).indexOf(given);
    if (index < 0 || used.has(index)) index = pickIndex(name, used);
    used.add(index);
    byName.set(name, PALETTE[index] ?? PALETTE[0]);
  }
  return { domain: [...names], range: names.map((name) => byName.get(name) ?? NEUTRAL_COLOR) };
}
