import { describe, expect, it, vi } from 'vitest';
import type { DraftSave } from './bindings';
import { DraftKeeper, ProgressStore, displayDate, emptyForm, isApplicationForm, isEmptyForm, isoDate, maskDate, placeErrors, toDraft } from './draft';

describe('toDraft', () => {
  it('sends empty optional fields as null and leaves out an empty address', () => {
    const f = emptyForm();
    f.pesel = ' 85022812343 ';
    f.surname = 'Żółkiewska';
    const d = toDraft(f, false);
    expect(d.applicant.pesel).toBe('85022812343');
    expect(d.applicant.address).toBeNull();
    expect(d.applicant.contact).toBeNull();
    expect(d.previous_passport).toBeNull();
    expect(d.reduction).toBeNull();
    expect(d.guardians).toEqual([]);
  });

  it('sends guardians and the consent only for a minor with one parent', () => {
    const f = emptyForm();
    f.guardians = [{ role: 'mother', pesel: '85022812343', surname: 'Nowak', given_names: 'Anna' }];
    f.consent_basis = 'court_ruling';
    f.consent_reference = 'III RC 12/26';
    expect(toDraft(f, false).guardians).toEqual([]);
    expect(toDraft(f, false).consent).toBeNull();
    const d = toDraft(f, true);
    expect(d.guardians).toHaveLength(1);
    expect(d.consent).toEqual({ basis: 'court_ruling', reference: 'III RC 12/26' });
    f.guardians.push({ role: 'father', pesel: '', surname: '', given_names: '' });
    expect(toDraft(f, true).consent).toBeNull();
  });

  it('keeps kind-specific fields to their kind', () => {
    const f = emptyForm();
    f.urgent_reason = 'flight tomorrow';
    f.validity_days = '30';
    expect(toDraft(f, false).urgent_reason).toBeNull();
    f.kind = 'temporary';
    expect(toDraft(f, false).urgent_reason).toBe('flight tomorrow');
    expect(toDraft(f, false).validity_days).toBe(30);
  });
});

describe('dates as the clerk types them', () => {
  it('masks digits into dd.mm.rrrr', () => {
    expect(maskDate('28021985')).toBe('28.02.1985');
    expect(maskDate('2802')).toBe('28.02');
    expect(maskDate('280')).toBe('28.0');
    expect(maskDate('28')).toBe('28');
    expect(maskDate('28.')).toBe('28.');
    expect(maskDate('5.3.2020')).toBe('05.03.2020');
    expect(maskDate('28-02-1985')).toBe('28.02.1985');
    expect(maskDate('28.02.19851')).toBe('28.02.1985');
    expect(maskDate('')).toBe('');
  });

  it('converts a real date to ISO and nothing else', () => {
    expect(isoDate('28.02.1985')).toBe('1985-02-28');
    expect(isoDate('5.3.2020')).toBe('2020-03-05');
    expect(isoDate('29.02.2023')).toBeNull();
    expect(isoDate('28.02')).toBeNull();
    expect(isoDate('1985-02-28')).toBeNull();
    expect(displayDate('1985-02-28')).toBe('28.02.1985');
  });

  it('sends the birth date as ISO, or as typed for Rust to name', () => {
    const f = emptyForm();
    f.birth_date = '28.02.1985';
    expect(toDraft(f, false).applicant.birth_date).toBe('1985-02-28');
    f.birth_date = '31.02.1985';
    expect(toDraft(f, false).applicant.birth_date).toBe('31.02.1985');
  });
});

describe('the form and its kept draft', () => {
  it('a form read back must have exactly the form fields', () => {
    const f = emptyForm();
    f.surname = 'Nowak';
    expect(isApplicationForm(JSON.parse(JSON.stringify(f)))).toBe(true);
    expect(isApplicationForm({ ...f, nickname: 'x' })).toBe(false);
    const { surname: _, ...missing } = f;
    expect(isApplicationForm(missing)).toBe(false);
    expect(isApplicationForm({ ...f, applicant_present: 'yes' })).toBe(false);
    expect(isEmptyForm(emptyForm())).toBe(true);
    expect(isEmptyForm(f)).toBe(false);
  });

  it('places a PESEL disagreement at the field changed last', () => {
    const e = [{ path: 'applicant.pesel', code: 'pesel.birth_date_mismatch', message: { pl: '', en: '' } }];
    expect(placeErrors(e, ['applicant.pesel'])[0].path).toBe('applicant.pesel');
    expect(placeErrors(e, ['applicant.pesel', 'applicant.birth_date'])[0].path).toBe('applicant.birth_date');
    expect(placeErrors(e, ['applicant.birth_date', 'applicant.pesel'])[0].path).toBe('applicant.pesel');
    const other = [{ path: 'applicant.pesel', code: 'pesel.checksum', message: { pl: '', en: '' } }];
    expect(placeErrors(other, ['applicant.pesel', 'applicant.birth_date'])[0].path).toBe('applicant.pesel');
  });
});

describe('DraftKeeper', () => {
  const photo = { mime: 'image/png' as const, base64: 'iVBOR' };

  function keeper(progress = new ProgressStore()) {
    const saved: DraftSave[] = [];
    let discards = 0;
    const errors: unknown[] = [];
    let fail = false;
    const k = new DraftKeeper(
      async (d) => {
        if (fail) throw new Error('NOT SAVED');
        saved.push(JSON.parse(JSON.stringify(d)));
      },
      async () => {
        discards += 1;
      },
      (e) => {
        if (e !== null) errors.push(e);
      },
      500,
      progress,
    );
    return { k, saved, errors, progress, discards: () => discards, failNext: (v: boolean) => (fail = v) };
  }

  it('saves once, 500 ms after the last change, and sends the photo only when it changed', async () => {
    vi.useFakeTimers();
    const { k, saved } = keeper();
    const f = emptyForm();
    f.pesel = '8';
    k.change({ clerk: 'c1', form: { ...f }, photo: null });
    f.pesel = '85';
    k.change({ clerk: 'c1', form: { ...f }, photo });
    await vi.advanceTimersByTimeAsync(400);
    expect(saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toEqual({ application: { form: { ...f }, photo: { set: photo } } });
    f.surname = 'N';
    k.change({ clerk: 'c1', form: { ...f }, photo });
    await k.flush();
    expect(saved[1]).toEqual({ application: { form: { ...f }, photo: 'keep' } });
    k.change({ clerk: 'c1', form: { ...f }, photo: null });
    await k.flush();
    expect(saved[2]).toMatchObject({ application: { photo: 'remove' } });
    // Nothing changed: nothing sent.
    await k.flush();
    expect(saved).toHaveLength(3);
    vi.useRealTimers();
  });

  it('flushes at once, keeps the form in memory per clerk, and retries after a failure', async () => {
    const { k, saved, errors, failNext } = keeper();
    const f = emptyForm();
    f.surname = 'Nowak';
    failNext(true);
    k.change({ clerk: 'c1', form: f, photo: null });
    await k.flush();
    expect(errors).toHaveLength(1);
    expect(k.memory('c1')?.form.surname).toBe('Nowak');
    expect(k.memory('c2')).toBeNull();
    failNext(false);
    await k.flush();
    expect(saved).toHaveLength(1);
    k.forget();
    expect(k.memory('c1')).toBeNull();
  });

  it('an emptied form deletes the kept one instead of keeping nothing', async () => {
    const { k, saved, discards } = keeper();
    k.change({ clerk: 'c1', form: emptyForm(), photo: null });
    await k.flush();
    expect(saved).toHaveLength(0);
    expect(discards()).toBe(1);
  });

  it('a restored draft is not saved again until it changes, and keeps its photo', async () => {
    const { k, saved } = keeper();
    const f = emptyForm();
    f.surname = 'Nowak';
    k.restored({ clerk: 'c1', form: f, photo });
    await k.flush();
    expect(saved).toHaveLength(0);
    k.change({ clerk: 'c1', form: { ...f, given_names: 'Jan' }, photo });
    await k.flush();
    expect(saved[0]).toMatchObject({ application: { photo: 'keep' } });
  });

  const policy = { threshold: 40, retries: 2 };

  it('saves the biometrics progress with the form, and a change to it alone is saved too', async () => {
    vi.useFakeTimers();
    const { k, saved, progress } = keeper();
    const f = emptyForm();
    f.pesel = '85022812343';
    k.change({ clerk: 'c1', form: f, photo: null });
    await k.flush();
    expect(saved[0]).toMatchObject({ application: { form: { biometrics_progress: null } } });
    // A retake worse than the kept capture changes nothing in the form:
    // the attempt is saved all the same, 500 ms later.
    progress.captured('c1', 'Left IndexFinger', policy);
    progress.captured('c1', 'Left IndexFinger', policy);
    await vi.advanceTimersByTimeAsync(600);
    expect(saved).toHaveLength(2);
    const sent = (saved[1] as { application: { form: { biometrics_progress: unknown } } }).application.form.biometrics_progress;
    expect(sent).toEqual({ attempts: [{ position: 'Left IndexFinger', attempts: 2 }], policy, drawn_signature: null });
    // Another clerk's progress is not this form's.
    progress.restore('c2', { attempts: [], policy, drawn_signature: null });
    k.change({ clerk: 'c1', form: { ...f, surname: 'N' }, photo: null });
    await k.flush();
    expect(saved[2]).toMatchObject({ application: { form: { biometrics_progress: null } } });
    vi.useRealTimers();
  });

  it('takes the progress back from a restored draft, and forgets it with the form', async () => {
    const { k, saved, progress } = keeper();
    const f = emptyForm();
    f.surname = 'Nowak';
    f.biometrics_progress = { attempts: [{ position: 'Right IndexFinger', attempts: 3 }], policy, drawn_signature: null };
    k.restored({ clerk: 'c1', form: f, photo: null });
    expect(progress.attempts('c1', 'Right IndexFinger')).toBe(3);
    expect(progress.attempts('c1', 'Left IndexFinger')).toBe(0);
    expect(progress.policy('c1')).toEqual(policy);
    expect(progress.attempts('c2', 'Right IndexFinger')).toBe(0);
    // Locking and coming back: the count goes on, it does not start again.
    progress.captured('c1', 'Right IndexFinger', policy);
    await k.flush();
    expect(saved[0]).toMatchObject({ application: { form: { biometrics_progress: { attempts: [{ position: 'Right IndexFinger', attempts: 4 }] } } } });
    k.forget();
    expect(progress.get('c1')).toBeNull();
  });

  it('keeps a drawn signature with an otherwise empty form, pressures in percent', async () => {
    const { k, saved, discards, progress } = keeper();
    k.change({ clerk: 'c1', form: emptyForm(), photo: null });
    const strokes = [[{ x: 1, y: 2, t_ms: 0 }, { x: 3, y: 4, t_ms: 8 }], [{ x: 5, y: 6, t_ms: 20 }]];
    progress.keepDrawn('c1', 1000, 300, strokes, [[0.25, 1.7], []]);
    await k.flush();
    expect(discards()).toBe(0);
    expect(saved[0]).toMatchObject({
      application: { form: { biometrics_progress: { drawn_signature: { width: 1000, height: 300, strokes, pressures: [[25, 100], [50]] } } } },
    });
    expect(progress.drawn('c1')).toEqual({ strokes, pressures: [[0.25, 1], [0.5]] });
    expect(progress.drawn('c2')).toBeNull();
    // Accepted or cleared: nothing in progress, so the empty form goes.
    progress.forgetDrawn('c1');
    expect(progress.get('c1')).toBeNull();
    await k.flush();
    expect(discards()).toBe(1);
  });
});
