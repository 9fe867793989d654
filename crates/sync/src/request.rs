//! Turning journal entries into register requests.

use base64::Engine;
use passport_journal::{EntryKind, Journal, JournalEntry};
use passport_register_client::{CallError, RegisterClient};
use passport_register_contract::{
    Collector, InvalidateDocument, Person, Photo, RecordHandover, SubmitApplication,
};
use serde_json::Value;

/// Why an entry cannot be sent at all (its payload is not what this version
/// writes): recorded as a rejection so it never blocks the queue.
#[derive(Debug)]
pub struct Unsendable(pub String);

fn text(v: &Value, path: &[&str]) -> String {
    path.iter()
        .fold(v, |v, k| &v[*k])
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A register write built from a journal entry.
#[derive(Debug, Clone)]
pub enum Request {
    Submit(SubmitApplication),
    Handover(RecordHandover),
    Invalidate(InvalidateDocument),
}

impl Request {
    /// The contract path it is posted to.
    pub fn path(&self) -> &'static str {
        match self {
            Request::Submit(_) => passport_register_contract::paths::APPLICATIONS,
            Request::Handover(_) => passport_register_contract::paths::HANDOVERS,
            Request::Invalidate(_) => passport_register_contract::paths::INVALIDATIONS,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        match self {
            Request::Submit(r) => serde_json::to_value(r),
            Request::Handover(r) => serde_json::to_value(r),
            Request::Invalidate(r) => serde_json::to_value(r),
        }
        .unwrap_or_default()
    }
}

/// Builds the register request for entry `e` of `journal`.
pub async fn build(journal: &Journal, e: &JournalEntry) -> Result<Request, Unsendable> {
    let id = journal.identity();
    let (office, workstation) = (id.office_code.clone(), id.workstation_id.clone());
    let p = &e.payload;
    match EntryKind::parse(&e.kind) {
        Some(EntryKind::SubmitApplication) => {
            let app = &p["application"];
            let sha = text(p, &["photo", "sha256"]);
            let photo = match journal.photo(&sha).await {
                Ok(Some((mime, bytes))) => Photo {
                    mime,
                    sha256: sha,
                    base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                },
                _ => {
                    return Err(Unsendable(format!(
                        "the photo {sha} is missing from the journal"
                    )));
                }
            };
            Ok(Request::Submit(SubmitApplication {
                application_number: text(p, &["number"]),
                office,
                workstation,
                clerk_id: e.clerk_id.clone(),
                device_time: e.device_time.clone(),
                kind: text(app, &["kind", "kind"]),
                applicant: Person {
                    pesel: text(app, &["applicant", "pesel"]),
                    surname: text(app, &["applicant", "surname"]),
                    given_names: text(app, &["applicant", "given_names"]),
                    birth_date: text(app, &["applicant", "birth_date"]),
                    sex: text(app, &["applicant", "sex"]),
                },
                fee_grosz: app["fee"]["amount_grosz"]
                    .as_u64()
                    .and_then(|f| u32::try_from(f).ok())
                    .unwrap_or(0),
                photo,
                details: app.clone(),
            }))
        }
        Some(EntryKind::RecordHandover) => {
            let collected_by = serde_json::from_value::<Collector>(p["collected_by"].clone())
                .unwrap_or(Collector {
                    role: "holder".into(),
                    pesel: None,
                    name: None,
                });
            Ok(Request::Handover(RecordHandover {
                document_number: text(p, &["document_number"]),
                office,
                workstation,
                clerk_id: e.clerk_id.clone(),
                device_time: e.device_time.clone(),
                collected_by,
                identity_check: text(p, &["identity_check"]),
                chip_check: text(p, &["chip_check"]),
                previous_passport: p["previous_passport"].as_str().map(str::to_owned),
                provisional: p["provisional"].as_bool().unwrap_or(false),
            }))
        }
        Some(EntryKind::InvalidateDocument) => Ok(Request::Invalidate(InvalidateDocument {
            document_number: text(p, &["document_number"]),
            reason: text(p, &["reason"]),
            office,
            workstation,
            clerk_id: e.clerk_id.clone(),
            device_time: e.device_time.clone(),
        })),
        None => Err(Unsendable(format!("unknown entry kind {}", e.kind))),
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
