/**
 * How far apart two colours look: sRGB hex colours to CIELAB (D65 white), the CIEDE2000 colour
 * difference (ΔE00) between two of them, the WCAG contrast ratio of two colours, and how a colour
 * looks to a reader with protanopia or deuteranopia. Pure functions; what the palette is checked
 * against (see `test/render/charts/palette.test.ts`).
 */

/** A colour in CIELAB: lightness `L` (0 to 100) and the opponent axes `a` (green to red) and `b` (blue to yellow). */
export interface Lab {
  L: number;
  a: number;
  b: number;
}

/** The red, green and blue of an sRGB `#rrggbb` colour, each from 0 to 1. Throws a `RangeError` for anything else. */
export function parseHex(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (match === null) throw new RangeError(`Cannot read colour \`${hex}\`: expected \`#rrggbb\``);
  return [match[1]!, match[2]!, match[3]!].map((h) => Number.parseInt(h, 16) / 255) as [number, number, number];
}

/** An sRGB channel (0 to 1) without its gamma: proportional to light (IEC 61966-2-1). */
function linear(channel: number): number {
  return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
}

/** A linear channel (0 to 1, clamped) with the sRGB gamma put back. */
function gamma(channel: number): number {
  const c = Math.min(1, Math.max(0, channel));
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** Linear sRGB of `hex`. */
function linearRgb(hex: string): [number, number, number] {
  const [r, g, b] = parseHex(hex);
  return [linear(r), linear(g), linear(b)];
}

/** `#rrggbb` of a linear sRGB colour, each channel clamped to the gamut. */
function hexOfLinear(rgb: readonly [number, number, number]): string {
  return `#${rgb.map((c) => Math.round(gamma(c) * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** The D65 white point in XYZ, Y = 1. */
const WHITE = { X: 0.95047, Y: 1, Z: 1.08883 } as const;

/** `hex` in CIELAB under the D65 white point (sRGB's own), so white is L = 100, a = b = 0. */
export function labOf(hex: string): Lab {
  const [r, g, b] = linearRgb(hex);
  const X = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const Y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const Z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(X / WHITE.X);
  const fy = f(Y / WHITE.Y);
  const fz = f(Z / WHITE.Z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

/** Degrees to radians. */
const rad = (degrees: number) => (degrees * Math.PI) / 180;

/** Hue angle of (`a`, `b`) in degrees from 0 to 360; 0 for a grey. */
function hueAngle(a: number, b: number): number {
  if (a === 0 && b === 0) return 0;
  const h = (Math.atan2(b, a) * 180) / Math.PI;
  return h < 0 ? h + 360 : h;
}

/**
 * The CIEDE2000 colour difference of two CIELAB colours, with the reference conditions' weights
 * (kL = kC = kH = 1), after Sharma, Wu and Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes", 2005. About 1 is the smallest difference a reader notices side by side;
 * symmetric, 0 only for equal colours.
 */
export function deltaE2000(x: Lab, y: Lab): number {
  const meanC = (Math.hypot(x.a, x.b) + Math.hypot(y.a, y.b)) / 2;
  const G = 0.5 * (1 - Math.sqrt(meanC ** 7 / (meanC ** 7 + 25 ** 7)));
  const a1 = (1 + G) * x.a;
  const a2 = (1 + G) * y.a;
  const C1 = Math.hypot(a1, x.b);
  const C2 = Math.hypot(a2, y.b);
  const h1 = hueAngle(a1, x.b);
  const h2 = hueAngle(a2, y.b);

  const dL = y.L - x.L;
  const dC = C2 - C1;
  let dh = 0;
  if (C1 * C2 !== 0) dh = h2 - h1 > 180 ? h2 - h1 - 360 : h2 - h1 < -180 ? h2 - h1 + 360 : h2 - h1;
  const dH = 2 * Math.sqrt(C1 * C2) * Math.sin(rad(dh / 2));

  const L = (x.L + y.L) / 2;
  const C = (C1 + C2) / 2;
  let h = h1 + h2;
  if (C1 * C2 !== 0) h = Math.abs(h1 - h2) <= 180 ? (h1 + h2) / 2 : h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  const T = 1 - 0.17 * Math.cos(rad(h - 30)) + 0.24 * Math.cos(rad(2 * h)) + 0.32 * Math.cos(rad(3 * h + 6)) - 0.2 * Math.cos(rad(4 * h - 63));
  const SL = 1 + (0.015 * (L - 50) ** 2) / Math.sqrt(20 + (L - 50) ** 2);
  const SC = 1 + 0.045 * C;
  const SH = 1 + 0.015 * C * T;
  const RT = -2 * Math.sqrt(C ** 7 / (C ** 7 + 25 ** 7)) * Math.sin(rad(60 * Math.exp(-(((h - 275) / 25) ** 2))));
  return Math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH));
}

/** {@link deltaE2000} of two sRGB `#rrggbb` colours. */
export function colourDistance(x: string, y: string): number {
  return deltaE2000(labOf(x), labOf(y));
}

/** Relative luminance of `hex` as WCAG 2 defines it: 0 for black, 1 for white. */
export function luminance(hex: string): number {
  const [r, g, b] = linearRgb(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(x: string, y: string): number {
  const [dark, light] = [luminance(x), luminance(y)].sort((p, q) => p - q) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A red-green colour-vision deficiency: no working L cones (`protanopia`) or no working M cones (`deuteranopia`). */
export type ColourVision = 'protanopia' | 'deuteranopia';

/**
 * Machado, Oliveira and Fernandes, "A physiologically-based model for simulation of color vision
 * deficiency", 2009: the matrices of severity 1, on linear sRGB.
 */
const SIMULATION: Record<ColourVision, readonly (readonly [number, number, number])[]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
};

/** `hex` as a reader with `vision` sees it (see {@link SIMULATION}), as `#rrggbb`. */
export function simulateVision(hex: string, vision: ColourVision): string {
  const rgb = linearRgb(hex);
  const row = (m: readonly [number, number, number]) => m[0] * rgb[0] + m[1] * rgb[1] + m[2] * rgb[2];
  const [r, g, b] = SIMULATION[vision];
  return hexOfLinear([row(r!), row(g!), row(b!)]);
}
