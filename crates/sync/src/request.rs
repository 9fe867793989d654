//! Turning journal entries into register requests.
//!
//! One explicit, total conversion per payload variant: each destructures
//! its payload without `..`, so a field added to a payload or to the
//! contract is a compile error here until it is carried across. Nothing is
//! read by JSON path and nothing is filled in with a default: an entry
//! whose payload cannot be read is [`Unsendable`] and never sent.

use base64::Engine;
use passport_domain::application::{
    Address, Applicant, ApplicationKind, Consent, Contact, Guardian, GuardianRole, Validity,
};
use passport_domain::biometrics::{
    Biometrics, FingerCapture, FingerException, FingerExceptionReason, FingerPosition,
    FingerprintSet, PngImage, Signature, SignatureRecord,
};
use passport_domain::fees::{Fee, FeeCase, ReductionClaim};
use passport_domain::lifecycle::InvalidationReason;
use passport_domain::{Sex, ValidApplication};
use passport_journal::{
    ChipCheck, Collector, EntryPayload, HandoverPayload, InvalidatePayload, Journal, JournalEntry,
    PhotoRef, SubmitPayload,
};
use passport_register_client::{CallError, RegisterClient};
use passport_register_contract as wire;

/// Why an entry cannot be sent at all (its payload is not what this
/// version reads, or what it refers to is gone): recorded as the entry's
/// own state so it never blocks the queue and is never sent with guesses.
#[derive(Debug)]
pub struct Unsendable(pub String);

/// A register write built from a journal entry. (A submission is much
/// larger than the others; requests are built and sent one at a time, so
/// boxing it would buy nothing but an indirection.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    Submit(wire::SubmitApplication),
    Handover(wire::RecordHandover),
    Invalidate(wire::InvalidateDocument),
}

impl Request {
    /// The contract path it is posted to.
    pub fn path(&self) -> &'static str {
        match self {
            Request::Submit(_) => wire::paths::APPLICATIONS,
            Request::Handover(_) => wire::paths::HANDOVERS,
            Request::Invalidate(_) => wire::paths::INVALIDATIONS,
        }
    }
}

/// Who wrote an entry, where and when: what every request carries besides
/// the payload.
#[derive(Debug, Clone)]
pub struct Origin {
    pub office: String,
    pub workstation: String,
    pub clerk_id: String,
    pub device_time: String,
}

/// Builds the register request for entry `e` of `journal`.
pub async fn build(journal: &Journal, e: &JournalEntry) -> Result<Request, Unsendable> {
    let id = journal.identity();
    let origin = Origin {
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        clerk_id: e.clerk_id.clone(),
        device_time: e.device_time.clone(),
    };
    let payload = e
        .payload()
        .map_err(|err| Unsendable(format!("entry {}: {err}", e.seq)))?;
    beyond_key_retention(e, chrono::Utc::now())?;
    Ok(match payload {
        EntryPayload::SubmitApplication(p) => {
            let photo = match journal.photo(&p.photo.sha256).await {
                Ok(Some((_, bytes))) => bytes,
                Ok(None) => {
                    return Err(Unsendable(format!(
                        "the photo {} is missing from the journal",
                        p.photo.sha256
                    )));
                }
                Err(err) => {
                    return Err(Unsendable(format!(
                        "the photo {} cannot be read: {err}",
                        p.photo.sha256
                    )));
                }
            };
            Request::Submit(submit_request(origin, p, &photo)?)
        }
        EntryPayload::RecordHandover(p) => Request::Handover(handover_request(origin, p)),
        EntryPayload::InvalidateDocument(p) => Request::Invalidate(invalidate_request(origin, p)),
        // Recorded at this counter only: such entries are never queued, and
        // one that somehow is must not reach the register.
        EntryPayload::SupervisorDecision(_) | EntryPayload::IntakeOverride(_) => {
            return Err(Unsendable(format!(
                "entry {} ({}) is kept at this counter and never sent",
                e.seq, e.kind
            )));
        }
    })
}

/// The register keeps an idempotency key for at least
/// [`wire::MIN_KEY_RETENTION_DAYS`]. An entry already sent (perhaps applied,
/// its answer lost) and older than that could be applied twice if sent
/// again: it is held for a supervisor to check with the register instead.
/// One never sent before is safe to send at any age.
fn beyond_key_retention(
    e: &JournalEntry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Unsendable> {
    if e.attempts == 0 {
        return Ok(());
    }
    let saved = chrono::DateTime::parse_from_rfc3339(&e.device_time).map_err(|err| {
        Unsendable(format!(
            "entry {} has an unreadable time {:?}: {err}",
            e.seq, e.device_time
        ))
    })?;
    let limit = chrono::Duration::days(i64::from(wire::MIN_KEY_RETENTION_DAYS));
    if now.signed_duration_since(saved) > limit {
        return Err(Unsendable(format!(
            "entry {} was first sent more than {} days ago and the register may no longer know its key: check with the register before sending it again",
            e.seq,
            wire::MIN_KEY_RETENTION_DAYS
        )));
    }
    Ok(())
}

/// A saved application as the register receives it. The photo bytes must
/// still hash to what the journal recorded: a changed photo is not sent.
pub fn submit_request(
    origin: Origin,
    p: SubmitPayload,
    photo: &[u8],
) -> Result<wire::SubmitApplication, Unsendable> {
    let SubmitPayload {
        number,
        application,
        photo: PhotoRef { sha256, mime },
    } = p;
    let actual = passport_journal::entry::sha256_hex(photo);
    if actual != sha256 {
        return Err(Unsendable(format!(
            "the stored photo {sha256} has been changed (its bytes hash to {actual})"
        )));
    }
    let ValidApplication {
        kind,
        applicant,
        applicant_present,
        guardians,
        consent,
        reduction,
        large_family_card,
        previous_passport,
        photo: _dimensions,
        fee,
        validity,
        age: _derived_from_birth_date,
        fingerprints_required,
        signature_required,
        application_date,
        biometrics,
    } = application;
    let Origin {
        office,
        workstation,
        clerk_id,
        device_time,
    } = origin;
    Ok(wire::SubmitApplication {
        application_number: number,
        office,
        workstation,
        clerk_id,
        device_time,
        application_date: application_date.to_string(),
        kind: kind_wire(kind),
        applicant: applicant_wire(applicant),
        applicant_present,
        guardians: guardians.into_iter().map(guardian_wire).collect(),
        consent: consent.map(consent_wire),
        reduction: reduction_wire(reduction),
        large_family_card,
        previous_passport,
        fee: fee_wire(fee),
        validity: match validity {
            Validity::Years(y) => wire::Validity::Years(y),
            Validity::Days(d) => wire::Validity::Days(d),
        },
        fingerprints_required,
        signature_required,
        photo: wire::Photo {
            mime,
            sha256,
            base64: base64::engine::general_purpose::STANDARD.encode(photo),
        },
        biometrics: biometrics.map(biometrics_wire),
    })
}

fn finger_wire(p: FingerPosition) -> wire::FingerPosition {
    use FingerPosition as F;
    use wire::FingerPosition as W;
    match p {
        F::LeftThumb => W::LeftThumb,
        F::LeftIndex => W::LeftIndex,
        F::LeftMiddle => W::LeftMiddle,
        F::LeftRing => W::LeftRing,
        F::LeftLittle => W::LeftLittle,
        F::RightThumb => W::RightThumb,
        F::RightIndex => W::RightIndex,
        F::RightMiddle => W::RightMiddle,
        F::RightRing => W::RightRing,
        F::RightLittle => W::RightLittle,
    }
}

fn png_wire(i: PngImage) -> wire::PngImage {
    wire::PngImage {
        width: i.width(),
        height: i.height(),
        sha256: passport_journal::entry::sha256_hex(i.bytes()),
        base64: i.to_base64(),
    }
}

/// The biometrics as the register receives them. The signature's strokes
/// stay at the counter: the register keeps the image.
fn biometrics_wire(b: Biometrics) -> wire::Biometrics {
    let Biometrics {
        fingerprints,
        signature,
    } = b;
    wire::Biometrics {
        fingerprints: fingerprints.map(|f| {
            let FingerprintSet {
                captures,
                exceptions,
            } = f;
            wire::Fingerprints {
                captures: captures
                    .into_iter()
                    .map(|c| {
                        let FingerCapture {
                            position,
                            quality,
                            image,
                        } = c;
                        wire::FingerImage {
                            position: finger_wire(position),
                            quality: quality.get(),
                            image: png_wire(image),
                        }
                    })
                    .collect(),
                exceptions: exceptions
                    .into_iter()
                    .map(|x| {
                        let FingerException { position, reason } = x;
                        let (reason, supervisor_id) = match reason {
                            FingerExceptionReason::Missing => {
                                (wire::FingerExceptionReason::Missing, None)
                            }
                            FingerExceptionReason::TemporarilyImpossible { supervisor } => (
                                wire::FingerExceptionReason::TemporarilyImpossible,
                                Some(String::from(supervisor)),
                            ),
                        };
                        wire::FingerException {
                            position: finger_wire(position),
                            reason,
                            supervisor_id,
                        }
                    })
                    .collect(),
            }
        }),
        signature: signature.map(|s| match s {
            SignatureRecord::Signed(Signature {
                strokes: _kept_at_the_counter,
                image,
            }) => wire::Signature::Signed {
                image: png_wire(image),
            },
            SignatureRecord::CannotSign { reason } => wire::Signature::CannotSign { reason },
        }),
    }
}

fn kind_wire(k: ApplicationKind) -> wire::ApplicationKind {
    match k {
        ApplicationKind::Passport => wire::ApplicationKind::Passport,
        ApplicationKind::Temporary {
            urgent_reason,
            validity_days,
        } => wire::ApplicationKind::Temporary {
            urgent_reason,
            validity_days,
        },
        ApplicationKind::Second {
            justification,
            existing_passport,
        } => wire::ApplicationKind::Second {
            justification,
            existing_passport,
        },
    }
}

fn sex_wire(s: Sex) -> wire::Sex {
    match s {
        Sex::Female => wire::Sex::F,
        Sex::Male => wire::Sex::M,
    }
}

fn applicant_wire(a: Applicant) -> wire::Applicant {
    let Applicant {
        pesel,
        surname,
        given_names,
        birth_date,
        birth_place,
        sex,
        citizenship,
        address,
        contact,
    } = a;
    wire::Applicant {
        pesel: pesel.to_string(),
        surname,
        given_names,
        birth_date: birth_date.to_string(),
        birth_place,
        sex: sex_wire(sex),
        citizenship,
        address: address.map(|a| {
            let Address {
                street,
                building,
                flat,
                postal_code,
                city,
                country,
            } = a;
            wire::Address {
                street,
                building,
                flat,
                postal_code,
                city,
                country,
            }
        }),
        contact: contact.map(|c| {
            let Contact { phone, email } = c;
            wire::Contact { phone, email }
        }),
    }
}

fn guardian_wire(g: Guardian) -> wire::Guardian {
    let Guardian {
        role,
        pesel,
        surname,
        given_names,
    } = g;
    wire::Guardian {
        role: match role {
            GuardianRole::Mother => wire::GuardianRole::Mother,
            GuardianRole::Father => wire::GuardianRole::Father,
            GuardianRole::LegalGuardian => wire::GuardianRole::LegalGuardian,
        },
        pesel: pesel.to_string(),
        surname,
        given_names,
    }
}

fn consent_wire(c: Consent) -> wire::Consent {
    match c {
        Consent::BothParentsPresent => wire::Consent::BothParentsPresent,
        Consent::OtherParentConsent { reference } => {
            wire::Consent::OtherParentConsent { reference }
        }
        Consent::CourtRuling { reference } => wire::Consent::CourtRuling { reference },
        Consent::OtherParentDeceased { reference } => {
            wire::Consent::OtherParentDeceased { reference }
        }
        Consent::FatherUnknown => wire::Consent::FatherUnknown,
    }
}

fn reduction_wire(r: ReductionClaim) -> wire::Reduction {
    match r {
        ReductionClaim::None => wire::Reduction::None,
        ReductionClaim::Student => wire::Reduction::Student,
        ReductionClaim::Pensioner => wire::Reduction::Pensioner,
        ReductionClaim::Disabled => wire::Reduction::Disabled,
    }
}

fn fee_wire(f: Fee) -> wire::Fee {
    let Fee {
        amount_grosz,
        case,
        description: _words_for_the_screen,
        legal_basis: _the_schedule_names_it,
        schedule_from,
    } = f;
    wire::Fee {
        amount_grosz,
        case: match case {
            FeeCase::Standard => wire::FeeCase::Standard,
            FeeCase::Second => wire::FeeCase::Second,
            FeeCase::Temporary => wire::FeeCase::Temporary,
            FeeCase::Under12 => wire::FeeCase::Under12,
            FeeCase::Reduced => wire::FeeCase::Reduced,
            FeeCase::LargeFamilyStandard => wire::FeeCase::LargeFamilyStandard,
            FeeCase::LargeFamilyReduced => wire::FeeCase::LargeFamilyReduced,
            FeeCase::LargeFamilyUnder12 => wire::FeeCase::LargeFamilyUnder12,
            FeeCase::Age70Plus => wire::FeeCase::Age70Plus,
        },
        schedule_from: schedule_from.to_string(),
    }
}

/// A hand-over as the register receives it: who collected it exactly as
/// the clerk recorded them.
pub fn handover_request(origin: Origin, p: HandoverPayload) -> wire::RecordHandover {
    let HandoverPayload {
        document_number,
        collected_by,
        identity_check,
        chip_check,
        previous_passport,
        provisional,
    } = p;
    let Origin {
        office,
        workstation,
        clerk_id,
        device_time,
    } = origin;
    wire::RecordHandover {
        document_number,
        office,
        workstation,
        clerk_id,
        device_time,
        collected_by: match collected_by {
            Collector::Holder => wire::Collector::Holder,
            Collector::Parent {
                pesel,
                surname,
                given_names,
            } => wire::Collector::Parent {
                pesel: pesel.to_string(),
                surname,
                given_names,
            },
            Collector::LegalGuardian {
                pesel,
                surname,
                given_names,
                court_ruling,
            } => wire::Collector::LegalGuardian {
                pesel: pesel.to_string(),
                surname,
                given_names,
                court_ruling,
            },
        },
        identity_check,
        chip_check: match chip_check {
            ChipCheck::Passed => wire::ChipCheck::Passed,
            ChipCheck::NotChecked => wire::ChipCheck::NotChecked,
        },
        previous_passport,
        provisional,
    }
}

/// An invalidation as the register receives it.
pub fn invalidate_request(origin: Origin, p: InvalidatePayload) -> wire::InvalidateDocument {
    let InvalidatePayload {
        document_number,
        reason,
    } = p;
    let Origin {
        office,
        workstation,
        clerk_id,
        device_time,
    } = origin;
    wire::InvalidateDocument {
        document_number,
        reason: reason_wire(reason),
        office,
        workstation,
        clerk_id,
        device_time,
    }
}

/// The contract's name for each ground.
pub fn reason_wire(r: InvalidationReason) -> wire::InvalidationReason {
    use InvalidationReason as D;
    use wire::InvalidationReason as W;
    match r {
        D::NewDocumentCollected => W::NewDocumentCollected,
        D::ReportedLost => W::ReportedLost,
        D::ReportedStolen => W::ReportedStolen,
        D::Damaged => W::Damaged,
        D::DataChanged => W::DataChanged,
        D::HolderDeceased => W::HolderDeceased,
        D::CitizenshipLost => W::CitizenshipLost,
        D::DefectivePersonalisation => W::DefectivePersonalisation,
        D::LostInTransit => W::LostInTransit,
        D::NotCollectedInTime => W::NotCollectedInTime,
    }
}

/// Posts a built request with the entry's id as its idempotency key.
pub async fn post(client: &RegisterClient, key: &str, req: &Request) -> Result<(), CallError> {
    match req {
        Request::Submit(r) => client.submit_application(key, r).await.map(|_| ()),
        Request::Handover(r) => client.record_handover(key, r).await.map(|_| ()),
        Request::Invalidate(r) => client.invalidate_document(key, r).await.map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use passport_journal::SyncState;

    fn entry(attempts: i64, device_time: &str) -> JournalEntry {
        JournalEntry {
            seq: 7,
            id: "k".into(),
            kind: "invalidate_document".into(),
            record_key: "EK1234567".into(),
            depends_on: None,
            payload_text: "{}".into(),
            clerk_id: "clerk-1".into(),
            device_time: device_time.into(),
            entry_hash: String::new(),
            sync_state: SyncState::Pending,
            attempts,
            last_error: None,
            register_reason: None,
            state_changed_at: device_time.into(),
        }
    }

    #[test]
    fn an_entry_sent_before_and_older_than_the_key_retention_is_held() {
        let now = chrono::DateTime::parse_from_rfc3339("2027-03-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let old = "2026-11-22T10:00:00.000Z";
        assert!(
            beyond_key_retention(&entry(0, old), now).is_ok(),
            "never sent: safe"
        );
        let held = beyond_key_retention(&entry(3, old), now).unwrap_err();
        assert!(held.0.contains("check with the register"), "{}", held.0);
        assert!(beyond_key_retention(&entry(3, "2027-02-20T10:00:00.000Z"), now).is_ok());
        assert!(beyond_key_retention(&entry(3, "yesterday"), now).is_err());
    }
}
