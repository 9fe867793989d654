// The print preview's zoom steps (1 = the page fills the window's width).

export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

/** The next zoom step in `direction` (+1 larger, −1 smaller), staying
 *  within the steps; a zoom between steps goes to the nearest one that way. */
export function zoomStep(current: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOMS.find((z) => z > current + 1e-9) ?? ZOOMS[ZOOMS.length - 1];
  return [...ZOOMS].reverse().find((z) => z < current - 1e-9) ?? ZOOMS[0];
}
