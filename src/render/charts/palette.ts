/**
 * Colours for chart series. A name maps to a colour through a hash into a fixed categorical
 * palette, so the same series or environment has the same colour in every chart that shares its
 * colour domain, whatever order the names arrive in.
 */

/**
 * The categorical palette: Tableau 10 with its pale pink, yellow and grey replaced by darker
 * shades of Tableau 20 and its teal by a cyan further from the blue and green, so every line
 * stands out on white.
 */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#17becf',
  '#9c755f',
  '#d37295',
  '#b6992d',
  '#79706e',
] as const;

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
