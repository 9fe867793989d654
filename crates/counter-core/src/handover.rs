//! Handing over a ready passport: find it by the typed or scanned number,
//! record who collected it and how identity was checked, invalidate the
//! previous passport. The chip check (`chip.rs`) must have passed where
//! the policy requires it. While the register is unreachable this is
//! allowed only when the office's policy says so, with a passed chip
//! check, and then marked provisional; the policy's verdict is part of the
//! document's view, so the clerk reads it before filling the form.
//!
//! Who collects is checked by the domain's rule
//! (`passport_domain::collection`) against the guardians of the journaled
//! application: the screen offers them, and whatever it sends is checked
//! again here.
//!
//! One path, online or offline: the hand-over commits to the journal
//! first. Then, on top, the screen waits a bounded time
//! (`handover_wait_secs`) for the register's answer to that entry — the
//! sync engine is asked to send now — so "issued" is said only once the
//! register accepted it, and a refusal is said at once.

use crate::Counter;
use crate::error::CoreError;
use crate::notices::{NoticeSubject, Refusal, When, refusal};
use crate::policy::OfflineHandoverStop;
use passport_domain::application::{GuardianRole, age_on, passport_number};
use passport_domain::collection::{self, Collection, CollectorPaths, CollectorRole};
use passport_domain::{FieldError, Message, Pesel, ValidationErrors};
use passport_journal::{ApplicationSummary, HandoverPayload, LocalDocument, SyncState};
use passport_register_client::ConnectionState;
use passport_sync::{DrainEnd, SyncOptions};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Who collects the document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Collector {
    Holder,
    Parent {
        pesel: String,
        surname: String,
        given_names: String,
    },
    LegalGuardian {
        pesel: String,
        surname: String,
        given_names: String,
        /// The court ruling's reference (sygnatura akt): required for the
        /// guardian of an adult under full guardianship.
        court_ruling: Option<String>,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct HandoverRequest {
    pub document_number: String,
    pub collector: Collector,
    /// The identity document shown, e.g. `dowód osobisty ABC123456`.
    pub identity_document: String,
    /// The holder's previous passport, invalidated by this hand-over.
    pub previous_passport: Option<String>,
}

// Who collects is a person: nothing of them through Debug (see
// `passport_domain::redact`).
passport_domain::personal_data_debug!(Collector, HandoverRequest);

/// A parent or guardian named on the application: one choice of
/// collector on the hand-over screen.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct GuardianChoice {
    pub role: GuardianKind,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
}

/// A guardian's role on the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum GuardianKind {
    Mother,
    Father,
    LegalGuardian,
}

/// What the office's policy says about handing this document over now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum HandoverVerdict {
    /// The register answers: the hand-over is sent at once.
    Online,
    /// The register is unreachable and the policy allows a provisional
    /// hand-over, after the chip check has passed.
    Provisional { chip_passed: bool },
    /// The register is unreachable and the policy forbids it.
    Forbidden {
        stop: OfflineHandoverStop,
        why: Message,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DocumentView {
    pub document: LocalDocument,
    /// The application, when it was taken at this counter.
    pub application: Option<ApplicationSummary>,
    pub holder_age: Option<u32>,
    /// Under 18: a parent or guardian collects it.
    pub holder_minor: bool,
    pub ready_list_synced_at: Option<String>,
    /// The parents and guardians named on the application (empty when the
    /// application was taken elsewhere, or for an adult).
    pub guardians: Vec<GuardianChoice>,
    /// Whether the application is known here, so a collector can be
    /// checked against it.
    pub guardians_known: bool,
    /// The policy's verdict, known before the form is filled.
    pub verdict: HandoverVerdict,
    /// What the register says about this document now, asked on opening
    /// (another counter may have handed it over since the ready list).
    pub register: RegisterCheck,
}

/// The register's word on one document, asked when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RegisterCheck {
    /// Waiting for collection, as here.
    Awaiting,
    /// Already handed over (at another counter): do not hand it over.
    HandedOver,
    /// Invalidated in the register: do not hand it over.
    Invalidated,
    /// The register does not list it among the holder's documents.
    Unknown,
    /// Not asked, or no answer in time (offline, slow): the local state
    /// stands, unconfirmed.
    NotChecked,
}

/// What the register said about a hand-over, as far as the counter knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HandoverOutcome {
    /// The register accepted it: the document is issued.
    Issued,
    /// The register refused it: do not hand the document over.
    Refused { refusal: Refusal },
    /// Recorded while the register is unreachable: provisional, sent when
    /// it answers again.
    Queued,
    /// Sent, or about to be; no answer yet. Ask again
    /// ([`Counter::handover_outcome`]) as the status changes.
    Waiting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidationSaved {
    pub document_number: String,
    pub journal_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct HandoverSaved {
    pub document_number: String,
    pub journal_id: String,
    /// Recorded while the register was unreachable.
    pub provisional: bool,
    /// The register's answer, as far as it came within the wait.
    pub outcome: HandoverOutcome,
}

/// The longest opening a document waits for the register's health answer.
const VERDICT_ASK: Duration = Duration::from_millis(1500);

/// The longest document or application number a scan may be.
const MAX_SCAN_CHARS: usize = 30;

/// The longest opening a document waits for the register's word on it.
const DOCUMENT_ASK: Duration = Duration::from_millis(1500);

fn holder_age(pesel: &str) -> Option<u32> {
    let p = Pesel::parse(pesel).ok()?;
    Some(age_on(p.birth_date(), chrono::Local::now().date_naive()))
}

impl Counter {
    /// The document for a typed or scanned document or application number,
    /// with the application's guardians and the policy's verdict now.
    pub async fn find_document(&self, code: &str) -> Result<DocumentView, CoreError> {
        crate::limits::id("code", code)?;
        // A number is short: a longer scan is refused with words, not
        // echoed back whole in "not found".
        let typed = code.trim().chars().count();
        if typed > MAX_SCAN_CHARS {
            let mut e = ValidationErrors::default();
            e.push(FieldError::new(
                "code",
                "code.too_long",
                format!(
                    "Numer dokumentu albo wniosku ma najwyżej {MAX_SCAN_CHARS} znaków; wpisano {typed}."
                ),
                format!(
                    "A document or application number has at most {MAX_SCAN_CHARS} characters; {typed} were typed."
                ),
            ));
            return Err(CoreError::Invalid(e));
        }
        let (mut view, _) = self.document_view(code).await?;
        // Asked now, as the hand-over itself asks; but opening a document
        // must not hang on a slow register: past VERDICT_ASK the client's
        // last knowledge decides (the hand-over asks again anyway).
        let reachable = match tokio::time::timeout(VERDICT_ASK, self.register_reachable()).await {
            Ok(r) => r,
            Err(_) => !matches!(
                self.inner.client.status().state,
                ConnectionState::Offline | ConnectionState::Probing
            ),
        };
        view.verdict = self.verdict(&view, reachable).await?;
        if reachable {
            view.register = self.register_check(&view.document).await;
        }
        Ok(view)
    }

    /// Asks the register (bounded by [`DOCUMENT_ASK`]) for the document's
    /// state, through the holder's documents (`GET
    /// /v1/persons/{pesel}/documents`, the contract's per-person lookup).
    async fn register_check(&self, doc: &LocalDocument) -> RegisterCheck {
        let asked =
            tokio::time::timeout(DOCUMENT_ASK, self.inner.client.person_documents(&doc.pesel))
                .await;
        let Ok(Ok(list)) = asked else {
            return RegisterCheck::NotChecked;
        };
        match list
            .documents
            .iter()
            .find(|d| d.document_number == doc.document_number)
            .map(|d| d.status.as_str())
        {
            Some("ready_for_collection") => RegisterCheck::Awaiting,
            Some("valid") => RegisterCheck::HandedOver,
            Some("invalidated") => RegisterCheck::Invalidated,
            // A status this release does not know: not confirmed.
            Some(_) => RegisterCheck::NotChecked,
            None => RegisterCheck::Unknown,
        }
    }

    /// The document's view (verdict `Online` until decided) and the
    /// application's guardians in the domain's terms (`None`: the
    /// application is not known here).
    async fn document_view(
        &self,
        code: &str,
    ) -> Result<(DocumentView, Option<Vec<passport_domain::Guardian>>), CoreError> {
        self.reader()?;
        let code = self.inner.cfg.policy.clean_scan(code);
        let journal = &self.inner.journal;
        let document = journal
            .document(&code)
            .await?
            .ok_or_else(|| CoreError::NotFound(code.clone()))?;
        let detail = match &document.application_number {
            Some(n) => journal.application(n).await?,
            None => None,
        };
        let guardians = detail.as_ref().map(|d| d.data.guardians.clone());
        let choices = guardians
            .iter()
            .flatten()
            .map(|g| GuardianChoice {
                role: match g.role {
                    GuardianRole::Mother => GuardianKind::Mother,
                    GuardianRole::Father => GuardianKind::Father,
                    GuardianRole::LegalGuardian => GuardianKind::LegalGuardian,
                },
                pesel: g.pesel.to_string(),
                surname: g.surname.clone(),
                given_names: g.given_names.clone(),
            })
            .collect();
        let age = holder_age(&document.pesel);
        let view = DocumentView {
            holder_minor: age.is_some_and(|a| a < 18),
            holder_age: age,
            application: detail.map(|d| d.summary),
            ready_list_synced_at: journal
                .meta_get(passport_journal::sync::meta::READY_SYNCED_AT)
                .await?,
            guardians: choices,
            guardians_known: guardians.is_some(),
            verdict: HandoverVerdict::Online,
            register: RegisterCheck::NotChecked,
            document,
        };
        Ok((view, guardians))
    }

    async fn verdict(
        &self,
        view: &DocumentView,
        reachable: bool,
    ) -> Result<HandoverVerdict, CoreError> {
        if reachable {
            return Ok(HandoverVerdict::Online);
        }
        let policy = &self.inner.cfg.policy;
        Ok(
            match policy.offline_handover(view.ready_list_synced_at.as_deref(), chrono::Utc::now())
            {
                Ok(()) => HandoverVerdict::Provisional {
                    chip_passed: self
                        .chip_check_for_handover(&view.document.document_number, true)
                        .await
                        .is_ok(),
                },
                Err(stop) => HandoverVerdict::Forbidden {
                    stop,
                    why: stop.words(),
                },
            },
        )
    }

    /// Documents waiting at this office (from the cached ready list).
    pub async fn ready_documents(&self) -> Result<Vec<LocalDocument>, CoreError> {
        self.reader()?;
        Ok(self.inner.journal.ready_documents(200).await?)
    }

    /// Records a hand-over (the same for the app and `counterctl
    /// handover`): checks it, commits it to the journal, and then waits up
    /// to `handover_wait_secs` for the register's answer to that entry.
    pub async fn record_handover(&self, req: &HandoverRequest) -> Result<HandoverSaved, CoreError> {
        crate::limits::form("", req, &[])?;
        let saved = self.journal_handover(req).await?;
        let outcome = if saved.provisional {
            HandoverOutcome::Queued
        } else {
            self.await_handover_answer(&saved.journal_id).await?
        };
        self.publish_status().await;
        Ok(HandoverSaved { outcome, ..saved })
    }

    /// The journal-first part of [`Self::record_handover`]: what is saved
    /// whether the register answers or not.
    async fn journal_handover(&self, req: &HandoverRequest) -> Result<HandoverSaved, CoreError> {
        let clerk = self.clerk()?;
        let (view, guardians) = self.document_view(&req.document_number).await?;
        let doc = &view.document;
        if doc.status != passport_domain::DocumentState::AwaitingCollection {
            return Err(CoreError::NotReady {
                number: doc.document_number.clone(),
                status: doc.status,
            });
        }
        let Checked {
            collector,
            identity,
            previous,
        } = check_request(req, &view, guardians.as_deref())?;
        let provisional = !self.register_reachable().await;
        if provisional {
            self.inner
                .cfg
                .policy
                .offline_handover(view.ready_list_synced_at.as_deref(), chrono::Utc::now())
                .map_err(CoreError::OfflineHandover)?;
        }
        let chip_check = self
            .chip_check_for_handover(&doc.document_number, provisional)
            .await?;
        let input = HandoverPayload {
            document_number: doc.document_number.clone(),
            collected_by: collector,
            identity_check: identity,
            chip_check,
            previous_passport: previous,
            provisional,
        };
        let (_, journal_id) = self
            .inner
            .journal
            .record_handover(&input, &clerk.clerk_id)
            .await?;
        self.chip_check_used(&input.document_number);
        self.sync_now();
        Ok(HandoverSaved {
            document_number: input.document_number,
            journal_id,
            provisional,
            outcome: if provisional {
                HandoverOutcome::Queued
            } else {
                HandoverOutcome::Waiting
            },
        })
    }

    /// Asks the sync engine to send now and waits, at most
    /// `handover_wait_secs`, for the register's answer to `entry_id`. The
    /// engine sends in journal order, so entries queued before this one go
    /// first; a drain already running (the background worker's) is left to
    /// deliver it and watched.
    async fn await_handover_answer(&self, entry_id: &str) -> Result<HandoverOutcome, CoreError> {
        let wait = Duration::from_secs(u64::from(self.inner.cfg.policy.handover_wait_secs));
        let deadline = Instant::now() + wait;
        let mut first = true;
        loop {
            let outcome = self.handover_outcome(entry_id).await?;
            let left = deadline.saturating_duration_since(Instant::now());
            if outcome != HandoverOutcome::Waiting || left.is_zero() {
                return Ok(outcome);
            }
            if !first {
                // Still no answer after a drain (the entry waits behind
                // another, or a retry is due): look again shortly rather
                // than spin.
                tokio::time::sleep(Duration::from_millis(100).min(left)).await;
            }
            first = false;
            let opts = SyncOptions {
                deadline: Some(deadline),
                // The clerk is waiting: no random start (that spreads a
                // herd after an outage; this is one entry, sent now).
                recovery_window: Duration::ZERO,
                ..SyncOptions::default()
            };
            // A hard bound: a request in flight at the deadline is left to
            // the next drain (the register replays by idempotency key).
            match tokio::time::timeout(left, self.inner.engine.drain(&opts)).await {
                Ok(Ok(r)) if r.end == DrainEnd::AlreadyRunning => self.sync_now(),
                Ok(Ok(_)) | Err(_) => {}
                Ok(Err(e)) => return Err(e.into()),
            }
        }
    }

    /// Where a hand-over entry stands with the register now, without
    /// waiting: what the screen asks again as the status changes.
    pub async fn handover_outcome(&self, entry_id: &str) -> Result<HandoverOutcome, CoreError> {
        self.reader()?;
        crate::limits::id("entry_id", entry_id)?;
        let answer = self
            .inner
            .journal
            .entry_answer(entry_id)
            .await?
            .ok_or_else(|| CoreError::NotFound(entry_id.to_owned()))?;
        Ok(match answer.state {
            SyncState::Acknowledged => HandoverOutcome::Issued,
            SyncState::Rejected | SyncState::Conflict => HandoverOutcome::Refused {
                refusal: refusal(
                    answer.register_reason.as_deref(),
                    answer.state,
                    NoticeSubject::Handover,
                    When::Now,
                ),
            },
            // Never sent: a supervisor must look, as with a refusal.
            SyncState::Unsendable | SyncState::Local => HandoverOutcome::Refused {
                refusal: Refusal {
                    code: None,
                    conflict: false,
                    what: Message::new(
                        "Zapisu wydania nie można wysłać do rejestru.",
                        "The hand-over record cannot be sent to the register.",
                    ),
                    todo: Message::new(
                        "Nie wydawaj dokumentu; wezwij kierownika.",
                        "Do not hand the document over; call the supervisor.",
                    ),
                    register_text: String::new(),
                },
            },
            SyncState::Pending | SyncState::InFlight => {
                if self.inner.client.status().state == ConnectionState::Offline {
                    HandoverOutcome::Queued
                } else {
                    HandoverOutcome::Waiting
                }
            }
        })
    }

    /// Records the invalidation of a document (reported lost, stolen,
    /// damaged, …): the same for the app and `counterctl document
    /// invalidate`.
    pub async fn invalidate_document(
        &self,
        number: &str,
        reason: passport_domain::InvalidationReason,
    ) -> Result<InvalidationSaved, CoreError> {
        let clerk = self.clerk()?;
        let (_, journal_id) = self
            .inner
            .journal
            .invalidate_document(number, reason, &clerk.clerk_id)
            .await?;
        self.sync_now();
        self.publish_status().await;
        Ok(InvalidationSaved {
            document_number: passport_domain::application::passport_number(
                number,
                "document_number",
            )
            .map_err(|e| CoreError::Invalid(ValidationErrors(vec![e])))?,
            journal_id,
        })
    }
}

/// A checked request: who collects, as the journal records them, and the
/// previous passport's number, normalised.
struct Checked {
    collector: passport_journal::Collector,
    /// The identity document's kind and number, normalised.
    identity: String,
    previous: Option<String>,
}

/// The collector's person as typed: PESEL, surname, given names.
type Person<'a> = (&'a str, &'a str, &'a str);

/// Checks the request, every field at once: the identity document, the
/// collector's own fields, who may collect (the domain's rule, against the
/// application's guardians when the application is known here), the court
/// ruling's reference, the previous passport.
fn check_request(
    req: &HandoverRequest,
    view: &DocumentView,
    guardians: Option<&[passport_domain::Guardian]>,
) -> Result<Checked, CoreError> {
    let mut errors = ValidationErrors::default();
    // Typed: the kind's words and a number of the kind's format (the
    // screen composes it; checked again here for every caller).
    let identity = match passport_domain::collection::identity_document(
        &req.identity_document,
        "identity_document",
    ) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (role, person, ruling): (CollectorRole, Option<Person<'_>>, Option<&str>) =
        match &req.collector {
            Collector::Holder => (CollectorRole::Holder, None, None),
            Collector::Parent {
                pesel,
                surname,
                given_names,
            } => (
                CollectorRole::Parent,
                Some((pesel.as_str(), surname.as_str(), given_names.as_str())),
                None,
            ),
            Collector::LegalGuardian {
                pesel,
                surname,
                given_names,
                court_ruling,
            } => (
                CollectorRole::LegalGuardian,
                Some((pesel.as_str(), surname.as_str(), given_names.as_str())),
                court_ruling.as_deref().filter(|r| !r.trim().is_empty()),
            ),
        };
    let mut pesel = None;
    if let Some((p, surname, given_names)) = person {
        match Pesel::parse(p.trim()) {
            Ok(p) => pesel = Some(p),
            Err(_) => errors.push(FieldError::new(
                "collector.pesel",
                "pesel.invalid",
                "Nieprawidłowy numer PESEL odbierającego: porównaj go z okazanym dokumentem.",
                "The collector's PESEL is not valid: compare it with the document shown.",
            )),
        }
        for (value, path) in [
            (surname, "collector.surname"),
            (given_names, "collector.given_names"),
        ] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(
                    path,
                    "required",
                    "Pole wymagane.",
                    "Required.",
                ));
            } else if let Err(e) = passport_domain::text::check_free_text(value, path) {
                errors.push(e);
            } else if value.trim().chars().count() > 200 {
                // What the register accepts (the contract's 1–200).
                errors.push(FieldError::new(
                    path,
                    "too_long",
                    "Najwyżej 200 znaków.",
                    "At most 200 characters.",
                ));
            }
        }
    }
    let ruling = match ruling {
        Some(r) => match collection::court_ruling(r, "collector.court_ruling") {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        None => None,
    };
    let rule = Collection {
        holder_minor: view.holder_minor,
        holder_pesel: &view.document.pesel,
        guardians,
        role,
        collector_pesel: pesel.as_ref(),
        // The reference as given: a malformed one is reported above, not
        // again as missing.
        court_ruling: match &req.collector {
            Collector::LegalGuardian { court_ruling, .. } => court_ruling.as_deref(),
            _ => None,
        },
    };
    errors.0.extend(collection::check(
        &rule,
        CollectorPaths {
            role: "collector.kind",
            pesel: "collector.pesel",
            court_ruling: "collector.court_ruling",
        },
    ));
    let collector = match (&req.collector, pesel, person) {
        (Collector::Holder, _, _) => Some(passport_journal::Collector::Holder),
        (Collector::Parent { .. }, Some(pesel), Some((_, surname, given_names))) => {
            Some(passport_journal::Collector::Parent {
                pesel,
                surname: surname.trim().to_owned(),
                given_names: given_names.trim().to_owned(),
            })
        }
        (Collector::LegalGuardian { .. }, Some(pesel), Some((_, surname, given_names))) => {
            Some(passport_journal::Collector::LegalGuardian {
                pesel,
                surname: surname.trim().to_owned(),
                given_names: given_names.trim().to_owned(),
                court_ruling: ruling,
            })
        }
        _ => None,
    };
    let previous = match req.previous_passport.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => match passport_number(p, "previous_passport") {
            Ok(n) => Some(n),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    errors.into_result(()).map_err(CoreError::Invalid)?;
    // Every field error is out by now; a collector is there whenever no
    // error was recorded for it.
    let collector = collector.ok_or_else(|| CoreError::Internal("collector not checked".into()))?;
    let identity = identity.ok_or_else(|| CoreError::Internal("identity not checked".into()))?;
    Ok(Checked {
        collector,
        identity,
        previous,
    })
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(GuardianChoice);
