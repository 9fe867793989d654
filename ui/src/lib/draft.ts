// The new-application form's state, the draft it sends to Rust, and the
// keeping of what the clerk typed (nothing typed is ever lost).
import type {
  ApplicationDraft,
  ApplicationFormDraft,
  BiometricsProgress,
  DraftPhotoChange,
  DraftPhotoView,
  DraftSave,
  FieldError,
  FingerPosition,
  GuardianDraft,
  GuardianFormDraft,
  RetakePolicy,
  StrokePoint,
} from './bindings';

// The form is exactly what Rust keeps as a draft (ApplicationFormDraft,
// deny_unknown_fields): a field added here and not there fails the build.
export type GuardianForm = GuardianFormDraft;
export type ApplicationForm = ApplicationFormDraft;

export function emptyForm(): ApplicationForm {
  return {
    kind: 'passport',
    urgent_reason: '',
    validity_days: '',
    second_passport_justification: '',
    existing_passport: '',
    previous_passport: '',
    pesel: '',
    surname: '',
    given_names: '',
    birth_date: '',
    birth_place: '',
    sex: '',
    citizenship: 'POL',
    street: '',
    building: '',
    flat: '',
    postal_code: '',
    city: '',
    phone: '',
    email: '',
    applicant_present: true,
    guardians: [],
    consent_basis: '',
    consent_reference: '',
    reduction: 'none',
    large_family_card: '',
    photo_name: '',
    biometrics: { fingers: [], finger_exceptions: [], signature: null },
    biometrics_progress: null,
  };
}

/** Whether nothing was typed or chosen (the prefilled citizenship aside). */
export function isEmptyForm(f: ApplicationForm): boolean {
  return JSON.stringify(f) === JSON.stringify(emptyForm());
}

/** Whether `x` has exactly the fields of the form, each of its type: what
 *  a draft read back must be before the form takes it. */
export function isApplicationForm(x: unknown): x is ApplicationForm {
  if (!x || typeof x !== 'object') return false;
  const empty = emptyForm() as unknown as Record<string, unknown>;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.join() !== Object.keys(empty).sort().join()) return false;
  return keys.every((k) => (k === 'guardians' ? Array.isArray(o[k]) : typeof o[k] === typeof empty[k]));
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

// ---- dates: the clerk types dd.mm.rrrr, Rust gets YYYY-MM-DD ----

/** `dd.mm.rrrr` (or `d.m.rrrr`) as ISO `YYYY-MM-DD` when it is a real
 *  date; null otherwise. */
export function isoDate(typed: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(typed.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO `YYYY-MM-DD` as `dd.mm.rrrr`; anything else unchanged. */
export function displayDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** The date mask: digits and dots only; a dot goes in after the day and the
 *  month as the clerk types on (`28021985` → `28.02.1985`), and a dot typed
 *  after one digit pads it (`5.3.` → `05.03.`). */
export function maskDate(input: string): string {
  let rest = input.replace(/[^\d.]/g, '');
  let out = '';
  for (let field = 0; field < 2; field++) {
    const m = /^\.*(\d{0,2})(\.?)/.exec(rest);
    const digits = m?.[1] ?? '';
    const dot = m?.[2] === '.';
    rest = rest.slice(m?.[0].length ?? 0);
    if (digits.length === 2) {
      out += digits;
      if (rest.length === 0 && !dot) return out;
      out += '.';
    } else if (digits.length === 1 && dot) {
      out += `0${digits}.`;
    } else {
      return out + digits;
    }
  }
  return out + rest.replace(/\./g, '').slice(0, 4);
}

/** The draft as the domain crate reads it: empty optional fields are null,
 *  the address and contact only when something was typed, the birth date
 *  as ISO when it is a whole date (as typed otherwise, for Rust to name). */
export function toDraft(f: ApplicationForm, minor: boolean): ApplicationDraft {
  const anyAddress = [f.street, f.building, f.flat, f.postal_code, f.city].some((s) => s.trim() !== '');
  const anyContact = [f.phone, f.email].some((s) => s.trim() !== '');
  const guardians: GuardianDraft[] = minor
    ? f.guardians.map((g) => ({
        role: g.role,
        pesel: g.pesel.trim(),
        surname: g.surname.trim(),
        given_names: g.given_names.trim(),
      }))
    : [];
  const days = Number.parseInt(f.validity_days, 10);
  return {
    kind: f.kind,
    urgent_reason: f.kind === 'temporary' ? opt(f.urgent_reason) : null,
    validity_days: f.kind === 'temporary' && Number.isFinite(days) ? days : null,
    second_passport_justification: f.kind === 'second' ? opt(f.second_passport_justification) : null,
    existing_passport: f.kind === 'second' ? opt(f.existing_passport) : null,
    previous_passport: opt(f.previous_passport),
    applicant: {
      pesel: f.pesel.trim(),
      surname: f.surname.trim(),
      given_names: f.given_names.trim(),
      birth_date: isoDate(f.birth_date) ?? f.birth_date.trim(),
      birth_place: f.birth_place.trim(),
      sex: f.sex,
      citizenship: f.citizenship.trim().toUpperCase(),
      address: anyAddress
        ? {
            street: opt(f.street),
            building: f.building.trim(),
            flat: opt(f.flat),
            postal_code: f.postal_code.trim(),
            city: f.city.trim(),
            country: null,
          }
        : null,
      contact: anyContact ? { phone: opt(f.phone), email: opt(f.email) } : null,
    },
    photo: opt(f.photo_name),
    applicant_present: f.applicant_present,
    guardians,
    consent:
      minor && guardians.length === 1 && f.consent_basis
        ? { basis: f.consent_basis, reference: opt(f.consent_reference) }
        : null,
    reduction: f.reduction === 'none' ? null : f.reduction,
    large_family_card: opt(f.large_family_card),
  };
}

/** Where a disagreement between two fields is shown: Rust puts the PESEL's
 *  disagreement with the birth date (or sex) at the PESEL; the form shows it
 *  at whichever of the two the clerk changed last, where the mistake most
 *  likely is. `order` lists field paths, most recently changed last. */
export function placeErrors(errors: FieldError[], order: string[]): FieldError[] {
  const other: Record<string, string> = {
    'pesel.birth_date_mismatch': 'applicant.birth_date',
    'pesel.sex_mismatch': 'applicant.sex',
  };
  return errors.map((e) => {
    const at = other[e.code];
    if (!at || e.path !== 'applicant.pesel') return e;
    const later = order.lastIndexOf(at) > order.lastIndexOf('applicant.pesel');
    return later ? { ...e, path: at } : e;
  });
}

/** Reads a photo file as base64 (without the data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error);
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

// ---- keeping the form as the clerk types ----

/** The form as last left by a clerk, with its photo. */
export interface KeptForm {
  clerk: string;
  form: ApplicationForm;
  photo: DraftPhotoView | null;
}

/** Keeps the form in memory (a screen switch or a lock costs no round
 *  trip) and in the journal's database (a restart or crash loses nothing):
 *  saved `delayMs` after the last change, and at once on `flush` (lock,
 *  log-out, window hidden or closed). An empty form deletes the stored one.
 *  The photo is sent only when it changed. The biometrics step's progress
 *  (`progress`) goes with the form: each save takes it as it is then, and a
 *  change to it is saved like a change to the form. */
export class DraftKeeper {
  private kept: KeptForm | null = null;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  /** The photo the database holds for `kept.clerk` (undefined: unknown). */
  private storedPhoto: DraftPhotoView | null | undefined = undefined;

  constructor(
    private readonly save: (d: DraftSave) => Promise<unknown>,
    private readonly discard: () => Promise<unknown>,
    /** Told after each write: null when it was kept, else the error. */
    private readonly report: (error: unknown) => void,
    private readonly delayMs = 500,
    private readonly progress: ProgressStore = biometricsProgress,
  ) {
    progress.onChange((clerk) => {
      if (!this.kept || this.kept.clerk !== clerk) return;
      this.dirty = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
    });
  }

  /** The form kept in memory for `clerk`, if any. */
  memory(clerk: string): KeptForm | null {
    return this.kept && this.kept.clerk === clerk ? this.kept : null;
  }

  /** The form as restored from the database: in memory, nothing to save. */
  restored(kept: KeptForm) {
    clearTimeout(this.timer);
    this.progress.restore(kept.clerk, kept.form.biometrics_progress);
    this.kept = kept;
    this.storedPhoto = kept.photo;
    this.dirty = false;
  }

  /** The clerk changed something: keep it, save it soon. */
  change(kept: KeptForm) {
    if (this.kept && this.kept.clerk !== kept.clerk) this.storedPhoto = undefined;
    this.kept = kept;
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves now what is not saved yet; resolves when it is. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.running = this.running.then(() => this.write());
    return this.running;
  }

  /** Forgets the form in memory (saved, discarded, or the clerk left). */
  forget() {
    this.progress.forget();
    clearTimeout(this.timer);
    this.kept = null;
    this.dirty = false;
    this.storedPhoto = undefined;
  }

  private async write() {
    const k = this.kept;
    if (!k || !this.dirty) return;
    this.dirty = false;
    const form: ApplicationForm = { ...k.form, biometrics_progress: this.progress.get(k.clerk) };
    try {
      if (isEmptyForm(form) && !k.photo) {
        await this.discard();
        this.storedPhoto = null;
        this.report(null);
        return;
      }
      const photo: DraftPhotoChange =
        this.storedPhoto !== undefined && samePhoto(this.storedPhoto, k.photo)
          ? 'keep'
          : k.photo
            ? { set: k.photo }
            : 'remove';
      await this.save({ application: { form, photo } });
      this.storedPhoto = k.photo;
      this.report(null);
    } catch (e) {
      // Tried again with the next change or flush.
      if (this.kept === k) this.dirty = true;
      this.report(e);
    }
  }
}

function samePhoto(a: DraftPhotoView | null, b: DraftPhotoView | null): boolean {
  return a === b || (!!a && !!b && a.mime === b.mime && a.base64 === b.base64);
}

// ---- the biometrics step's work in progress ----

/** The strokes on the pad before "Zatwierdź podpis", with each point's
 *  pressure (0–1; the live line's width). */
export interface DrawnSignature {
  strokes: StrokePoint[][];
  pressures: number[][];
}

/** What the biometrics step has done and not yet put into the application
 *  (ApplicationFormDraft.biometrics_progress): the captures made of each
 *  finger, the office's rule as the last capture gave it, and a signature
 *  drawn but not accepted. It lives here, with the form, not in the
 *  components: leaving the screen or locking does not reset it, and the
 *  keeper saves it with the form, so a restart or a crash does not either
 *  (no fresh retakes by locking; the applicant does not sign again). One
 *  clerk's at a time; another clerk sees none. */
export class ProgressStore {
  private clerk: string | null = null;
  private value: BiometricsProgress | null = null;
  private listeners = new Set<(clerk: string) => void>();

  /** The progress of `clerk`, as it would be kept; null when nothing is
   *  in progress. */
  get(clerk: string): BiometricsProgress | null {
    return this.clerk === clerk ? this.value : null;
  }

  /** Captures made of `position` so far. */
  attempts(clerk: string, position: FingerPosition): number {
    return this.get(clerk)?.attempts.find((a) => a.position === position)?.attempts ?? 0;
  }

  /** The office's rule as the last capture gave it, if any capture was made. */
  policy(clerk: string): RetakePolicy | null {
    return this.get(clerk)?.policy ?? null;
  }

  /** A capture of `position` was made under `policy`. */
  captured(clerk: string, position: FingerPosition, policy: RetakePolicy) {
    const p = this.own(clerk);
    const n = Math.min(255, this.attempts(clerk, position) + 1);
    this.set(clerk, {
      ...p,
      attempts: [...p.attempts.filter((a) => a.position !== position), { position, attempts: n }],
      policy: { threshold: policy.threshold, retries: policy.retries },
    });
  }

  /** The signature on the pad and not yet accepted, if any. */
  drawn(clerk: string): DrawnSignature | null {
    const d = this.get(clerk)?.drawn_signature;
    if (!d) return null;
    return { strokes: d.strokes.map((s) => s.map((p) => ({ ...p }))), pressures: d.pressures.map((s) => s.map((v) => v / 100)) };
  }

  /** Keeps the strokes on the pad of `width`×`height`; none: forgets them. */
  keepDrawn(clerk: string, width: number, height: number, strokes: StrokePoint[][], pressures: number[][]) {
    const drawn = strokes.length === 0
      ? null
      : {
          width,
          height,
          strokes: strokes.map((s) => s.map((p) => ({ ...p }))),
          pressures: strokes.map((s, i) => s.map((_, k) => percent(pressures[i]?.[k]))),
        };
    if (drawn === null && !this.get(clerk)?.drawn_signature) return;
    this.set(clerk, { ...this.own(clerk), drawn_signature: drawn });
  }

  /** The drawn signature was accepted or cleared. */
  forgetDrawn(clerk: string) {
    this.keepDrawn(clerk, 0, 0, [], []);
  }

  /** The progress as kept in a restored draft (not a change to save). */
  restore(clerk: string, p: BiometricsProgress | null) {
    this.clerk = clerk;
    this.value = p ? (JSON.parse(JSON.stringify(p)) as BiometricsProgress) : null;
  }

  /** Forgets it with the form (saved, discarded, the clerk left). */
  forget() {
    this.clerk = null;
    this.value = null;
  }

  /** `f` is told the clerk whose progress changed; returns the unsubscribe. */
  onChange(f: (clerk: string) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private own(clerk: string): BiometricsProgress {
    return this.get(clerk) ?? { attempts: [], policy: null, drawn_signature: null };
  }

  private set(clerk: string, p: BiometricsProgress) {
    this.clerk = clerk;
    const empty = p.attempts.length === 0 && p.policy === null && p.drawn_signature === null;
    this.value = empty ? null : p;
    for (const f of this.listeners) f(clerk);
  }
}

/** A pen's pressure (0–1) as the whole percent kept (0–100). */
function percent(v: number | undefined): number {
  return v === undefined || !Number.isFinite(v) ? 50 : Math.round(Math.min(1, Math.max(0, v)) * 100);
}

/** The one store of the window (the keeper and the biometrics step share
 *  it). */
export const biometricsProgress = new ProgressStore();
