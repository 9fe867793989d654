// Accessibility check of the real window: axe-core (from ui/node_modules)
// injected through WebDriver's execute script, run on the screen as it is
// now. Serious and critical violations fail the test and are printed with
// the elements they concern; moderate and minor ones are printed only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

const AXE = readFileSync(join(root, 'ui/node_modules/axe-core/axe.min.js'), 'utf8');
const FAILING = new Set(['serious', 'critical']);

/** Runs axe-core on the current screen; throws on serious or critical violations. */
export async function checkA11y(s, screen) {
  // Once per document: the window is one page, so this happens once.
  const loaded = await s.execute('return typeof window.axe === "object";');
  if (!loaded) await s.execute(`${AXE}\nreturn true;`);
  const violations = await s.executeAsync(`
    const done = arguments[arguments.length - 1];
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done(r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }))))
      .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
  `);
  const failing = violations.filter((v) => FAILING.has(v.impact));
  const report = (v) =>
    `    [${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.map((n) => `      ${n.target}\n        ${(n.summary ?? '').replace(/\n/g, '\n        ')}`).join('\n');
  for (const v of violations.filter((v) => !FAILING.has(v.impact))) console.log(`  (axe, ${screen}) ${report(v).trim()}`);
  if (failing.length > 0) {
    const text = failing.map(report).join('\n');
    console.error(`  ✗ axe-core on ${screen}: ${failing.length} serious or critical\n${text}`);
    throw new Error(`axe-core: ${failing.length} serious or critical violation(s) on ${screen}: ${failing.map((v) => v.id).join(', ')}`);
  }
  console.log(`  ✓ axe-core clean on ${screen} (no serious or critical violations)`);
}
