/**
 * Test helper: runs a Vega-Lite spec through vega without drawing, to read back the scales a
 * reader would see.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A running vega view of `spec` (call `finalize()` when done). */
export async function chartView(spec: TopLevelSpec): Promise<vega.View> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** Domain of scale `name` in `spec` once vega has run it. */
export async function scaleDomain(spec: TopLevelSpec, name: string): Promise<unknown[]> {
  const view = await chartView(spec);
  try {
    return [...(view.scale(name).domain() as unknown[])];
  } finally {
    view.finalize();
  }
}

/** Colour that scale `name` (default `color`) of `spec` gives `value`. */
export async function colorOf(spec: TopLevelSpec, value: string, name = 'color'): Promise<string> {
  const view = await chartView(spec);
  try {
    return String((view.scale(name) as (v: string) => unknown)(value));
  } finally {
    view.finalize();
  }
}

/** A drawn item of a data mark: its position in the SVG's pixels (the chart's origin added) and style. */
export interface DrawnItem {
  x: number;
  y: number;
  /** The other end of a rule. */
  x2?: number;
  y2?: number;
  /** What a text mark reads. */
  text?: string;
  /** The top and bottom of what is drawn (a text's glyphs, with its offset and baseline). */
  top: number;
  bottom: number;
  fill?: string;
  stroke?: string;
  shape?: string;
  size?: number;
  datum: Record<string, unknown>;
}

/** A mark drawing data (not an axis, legend or title), as vega laid it out. */
export interface DrawnMark {
  marktype: string;
  items: DrawnItem[];
}

/** The data marks of `spec` once vega has laid it out, in drawing order, facets' panels in turn. */
export async function dataMarks(spec: TopLevelSpec): Promise<DrawnMark[]> {
  const view = await chartView(spec);
  try {
    // Note: vega draws the scene at its origin plus the padding.
    const padding = view.padding() as { left: number; top: number };
    const originX = view.origin()[0] + padding.left;
    const originY = view.origin()[1] + padding.top;
    const out: DrawnMark[] = [];
    type Node = { marktype?: string; role?: string; items?: Node[]; x?: number; y?: number; bounds?: { y1: number; y2: number } } & Partial<Omit<DrawnItem, 'top' | 'bottom'>>;
    const walk = (node: Node, dx: number, dy: number): void => {
      if (node.marktype === undefined) {
        for (const child of node.items ?? []) walk(child, dx, dy);
        return;
      }
      if (node.marktype === 'group') {
        for (const group of node.items ?? []) for (const child of group.items ?? []) walk(child, dx + (group.x ?? 0), dy + (group.y ?? 0));
        return;
      }
      if (node.role !== 'mark') return;
      out.push({
        marktype: node.marktype,
        items: (node.items ?? []).map((it) => ({
          x: originX + dx + (it.x ?? 0),
          y: originY + dy + (it.y ?? 0),
          ...(it.x2 === undefined ? {} : { x2: originX + dx + it.x2 }),
          ...(it.y2 === undefined ? {} : { y2: originY + dy + it.y2 }),
          ...(it.text === undefined ? {} : { text: it.text }),
          top: originY + dy + (it.bounds?.y1 ?? it.y ?? 0),
          bottom: originY + dy + (it.bounds?.y2 ?? it.y ?? 0),
          fill: it.fill,
          stroke: it.stroke,
          shape: it.shape,
          size: it.size,
          datum: it.datum ?? {},
        })),
      });
    };
    walk((view.scenegraph() as unknown as { root: Node }).root, 0, 0);
    return out;
  } finally {
    view.finalize();
  }
}

/** The labels of the axis of scale `name` (default `x`) of `spec`, in the order drawn. */
export async function axisLabels(spec: TopLevelSpec, name = 'x'): Promise<string[]> {
  const view = await chartView(spec);
  try {
    type Node = { marktype?: string; role?: string; items?: Node[]; text?: string; datum?: { scale?: string; labels?: boolean } };
    const out: string[] = [];
    const walk = (node: Node, inAxis: boolean): void => {
      if (node.role === 'axis-label' && inAxis) out.push(...(node.items ?? []).map((it) => String(it.text)));
      for (const child of node.items ?? []) {
        const axis = node.role === 'axis' && child.datum?.scale === name && child.datum.labels === true;
        walk(child, inAxis || axis);
      }
    };
    walk((view.scenegraph() as unknown as { root: Node }).root, false);
    return out;
  } finally {
    view.finalize();
  }
}
