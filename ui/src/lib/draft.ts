// The new-application form's state and the draft it sends to Rust.
import type { ApplicationDraft, GuardianDraft } from './bindings';

export interface GuardianForm {
  role: string;
  pesel: string;
  surname: string;
  given_names: string;
}

export interface ApplicationForm {
  kind: 'passport' | 'temporary' | 'second';
  urgent_reason: string;
  validity_days: string;
  second_passport_justification: string;
  existing_passport: string;
  previous_passport: string;
  pesel: string;
  surname: string;
  given_names: string;
  birth_date: string;
  birth_place: string;
  sex: string;
  citizenship: string;
  street: string;
  building: string;
  flat: string;
  postal_code: string;
  city: string;
  phone: string;
  email: string;
  applicant_present: boolean;
  guardians: GuardianForm[];
  consent_basis: string;
  consent_reference: string;
  reduction: string;
  large_family_card: string;
  photo_name: string;
}

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
  };
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The draft as the domain crate reads it: empty optional fields are null,
 *  the address and contact only when something was typed. */
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
      birth_date: f.birth_date.trim(),
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
