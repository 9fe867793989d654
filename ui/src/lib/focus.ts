// Where the focus goes when a screen opens: never left on the page's body
// (the control that had it went away with the previous screen).

/** What this needs of a DOM element: enough to test without a browser. */
export interface FocusRoot {
  contains(other: unknown): boolean;
  querySelector(selector: string): { focus(): void } | null;
}

/** A screen marks its first useful control (the search, the first
 *  refusal waiting for a decision, …) with this attribute. */
export const AUTOFOCUS = '[data-autofocus]';

/** The element to focus on `screen` now that it is shown, or null to leave
 *  the focus where it is: a screen that already put it on one of its own
 *  controls keeps it. Otherwise the screen's marked control, else its
 *  heading (made focusable with tabindex="-1"), so the next Tab starts
 *  inside the screen. */
export function screenFocus(screen: FocusRoot | null, active: unknown): { focus(): void } | null {
  if (!screen) return null;
  if (active && screen.contains(active)) return null;
  return screen.querySelector(AUTOFOCUS) ?? screen.querySelector('h2[tabindex="-1"]');
}
