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
