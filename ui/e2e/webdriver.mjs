// A minimal W3C WebDriver client over fetch: enough to drive the app.
export const Key = {
  Enter: '\uE007',
  Tab: '\uE004',
  Escape: '\uE00C',
  Control: '\uE009',
  Alt: '\uE00A',
  Shift: '\uE008',
};

/** The keys of a chord as ARIA writes it (`aria-keyshortcuts`): "Alt+Shift+Q". */
export function chord(spec) {
  const named = { Alt: Key.Alt, Shift: Key.Shift, Control: Key.Control, Enter: Key.Enter, Tab: Key.Tab, Escape: Key.Escape };
  return spec.split('+').map((k) => named[k] ?? k.toLowerCase()).join('');
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const r = await req(base, 'POST', '/session', { capabilities });
    return new Session(base, r.sessionId);
  }

  cmd(method, path, body) {
    return req(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const r = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return r[ELEMENT];
  }

  async findAll(css) {
    const r = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return r.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches an element (and `pred(el)` holds). */
  async waitFor(css, what, { timeout = 20000, pred } = {}) {
    const start = Date.now();
    let last;
    for (;;) {
      try {
        const els = await this.findAll(css);
        for (const el of els) if (!pred || (await pred(el))) return el;
      } catch (e) {
        last = e;
      }
      if (Date.now() - start > timeout) {
        throw new Error(`timed out after ${timeout} ms waiting for ${what} (${css})${last ? `: ${last.message}` : ''}`);
      }
      await sleep(150);
    }
  }

  async type(css, text) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/click`, {});
    await this.cmd('POST', `/element/${el}/value`, { text });
    return el;
  }

  /** Keys to whatever has focus (modifiers stay down to the end). */
  async keys(text) {
    const active = (await this.cmd('GET', '/element/active'))[ELEMENT];
    await this.cmd('POST', `/element/${active}/value`, { text });
  }

  /** Keys pressed on the keyboard, to whatever has focus, through the
   *  actions API (element send-keys refuses a focused <select> or button).
   *  A modifier stays down until the end. */
  async keyboard(text) {
    const modifiers = new Set([Key.Control, Key.Alt, Key.Shift]);
    const actions = [];
    const held = [];
    for (const ch of text) {
      if (modifiers.has(ch)) {
        actions.push({ type: 'keyDown', value: ch });
        held.push(ch);
      } else {
        actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
      }
    }
    for (const m of held.reverse()) actions.push({ type: 'keyUp', value: m });
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /** Draws with the pointer on the element `css` (as a pen on a pad):
   *  `strokes` are lists of [x, y] offsets from the element's centre, each
   *  stroke pressed from its first point to its last. */
  async draw(css, strokes) {
    const el = await this.find(css);
    const origin = { [ELEMENT]: el };
    // Pointer moves must land inside the viewport.
    await this.execute('arguments[0].scrollIntoView({ block: "center" });', [origin]);
    const actions = [];
    for (const stroke of strokes) {
      const [x0, y0] = stroke[0];
      actions.push({ type: 'pointerMove', origin, x: Math.round(x0), y: Math.round(y0), duration: 0 });
      actions.push({ type: 'pointerDown', button: 0 });
      for (const [x, y] of stroke.slice(1)) actions.push({ type: 'pointerMove', origin, x: Math.round(x), y: Math.round(y), duration: 10 });
      actions.push({ type: 'pointerUp', button: 0 });
    }
    await this.cmd('POST', '/actions', { actions: [{ type: 'pointer', id: 'pen', parameters: { pointerType: 'mouse' }, actions }] });
    await this.cmd('DELETE', '/actions');
  }

  async click(css) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/click`, {});
  }

  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  attr(el, name) {
    return this.cmd('GET', `/element/${el}/attribute/${name}`);
  }

  prop(el, name) {
    return this.cmd('GET', `/element/${el}/property/${name}`);
  }

  /** Runs `script` (a function body; `arguments` are `args`) in the page. */
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs `script` whose last argument is a callback, and waits for it. */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  /** Does the focused element match `css`? */
  focused(css) {
    return this.execute('return !!document.activeElement && document.activeElement.matches(arguments[0]);', [css]);
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  delete() {
    return req(this.base, 'DELETE', `/session/${this.id}`);
  }
}

async function req(base, method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) {
    const v = json.value ?? {};
    throw new Error(`${method} ${path}: ${r.status} ${v.error ?? ''} ${v.message ?? ''}`);
  }
  return json.value;
}

export const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
