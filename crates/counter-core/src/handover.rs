//! Handing over a ready passport: find it by the typed or scanned number,
//! record who collected it and how identity was checked, invalidate the
//! previous passport. The chip check (`chip.rs`) must have passed where
//! the policy requires it. While the register is unreachable this is
//! allowed only when the office's policy says so, with a passed chip
//! check, and then marked provisional.

use crate::Counter;
use crate::error::CoreError;
use passport_domain::application::{age_on, passport_number};
use passport_domain::{FieldError, Pesel, ValidationErrors};
use passport_journal::{ApplicationSummary, HandoverPayload, LocalDocument};
use serde::{Deserialize, Serialize};

/// Who collects the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
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
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct HandoverRequest {
    pub document_number: String,
    pub collector: Collector,
    /// The identity document shown, e.g. `dowód osobisty ABC123456`.
    pub identity_document: String,
    /// The holder's previous passport, invalidated by this hand-over.
    pub previous_passport: Option<String>,
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
}

fn holder_age(pesel: &str) -> Option<u32> {
    let p = Pesel::parse(pesel).ok()?;
    Some(age_on(p.birth_date(), chrono::Local::now().date_naive()))
}

impl Counter {
    /// The document for a typed or scanned document or application number.
    pub async fn find_document(&self, code: &str) -> Result<DocumentView, CoreError> {
        self.reader()?;
        let code = self.inner.cfg.policy.clean_scan(code);
        let journal = &self.inner.journal;
        let document = journal
            .document(&code)
            .await?
            .ok_or_else(|| CoreError::NotFound(code.clone()))?;
        let application = match &document.application_number {
            Some(n) => journal.application(n).await?.map(|d| d.summary),
            None => None,
        };
        let age = holder_age(&document.pesel);
        Ok(DocumentView {
            holder_minor: age.is_some_and(|a| a < 18),
            holder_age: age,
            application,
            ready_list_synced_at: journal
                .meta_get(passport_journal::sync::meta::READY_SYNCED_AT)
                .await?,
            document,
        })
    }

    /// Documents waiting at this office (from the cached ready list).
    pub async fn ready_documents(&self) -> Result<Vec<LocalDocument>, CoreError> {
        self.reader()?;
        Ok(self.inner.journal.ready_documents(200).await?)
    }

    pub async fn record_handover(&self, req: &HandoverRequest) -> Result<HandoverSaved, CoreError> {
        let clerk = self.clerk()?;
        let view = self.find_document(&req.document_number).await?;
        let doc = &view.document;
        if doc.status != passport_domain::DocumentState::AwaitingCollection {
            return Err(CoreError::NotReady {
                number: doc.document_number.clone(),
                status: doc.status,
            });
        }
        let Checked {
            collector,
            previous,
        } = check_request(req, view.holder_minor)?;
        let provisional = !self.register_reachable().await;
        if provisional {
            self.offline_handover_allowed(view.ready_list_synced_at.as_deref())?;
        }
        let chip_check = self
            .chip_check_for_handover(&doc.document_number, provisional)
            .await?;
        let input = HandoverPayload {
            document_number: doc.document_number.clone(),
            collected_by: collector,
            identity_check: req.identity_document.trim().to_owned(),
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
        self.publish_status().await;
        Ok(HandoverSaved {
            document_number: input.document_number,
            journal_id,
            provisional,
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

    fn offline_handover_allowed(&self, ready_synced_at: Option<&str>) -> Result<(), CoreError> {
        let policy = &self.inner.cfg.policy;
        if !policy.offline_handover {
            return Err(CoreError::OfflineHandover(
                "switched off in the office policy",
            ));
        }
        let fresh = ready_synced_at
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| {
                chrono::Utc::now().signed_duration_since(t)
                    <= chrono::Duration::hours(i64::from(policy.ready_list_max_age_hours))
            });
        if fresh {
            Ok(())
        } else {
            Err(CoreError::OfflineHandover(
                "the ready list is older than the policy allows",
            ))
        }
    }
}

/// A checked request: who collects, as the journal records them, and the
/// previous passport's number, normalised.
struct Checked {
    collector: passport_journal::Collector,
    previous: Option<String>,
}

/// Checks the request, every field at once.
fn check_request(req: &HandoverRequest, minor: bool) -> Result<Checked, CoreError> {
    let mut errors = ValidationErrors::default();
    if let Err(e) =
        passport_domain::text::check_free_text(&req.identity_document, "identity_document")
    {
        errors.push(e);
    } else if req.identity_document.trim().chars().count() > 200 {
        errors.push(FieldError::new(
            "identity_document",
            "too_long",
            "Najwyżej 200 znaków.",
            "At most 200 characters.",
        ));
    }
    if req.identity_document.trim().len() < 5 {
        errors.push(FieldError::new(
            "identity_document",
            "identity_document.required",
            "Wpisz rodzaj i numer okazanego dokumentu tożsamości.",
            "Enter the kind and number of the identity document shown.",
        ));
    }
    let collector = match &req.collector {
        Collector::Holder if minor => {
            errors.push(FieldError::new(
                "collector.kind",
                "collector.minor",
                "Paszport osoby małoletniej odbiera rodzic lub opiekun prawny.",
                "A minor's passport is collected by a parent or legal guardian.",
            ));
            None
        }
        Collector::Holder => Some(passport_journal::Collector::Holder),
        Collector::Parent {
            pesel,
            surname,
            given_names,
        }
        | Collector::LegalGuardian {
            pesel,
            surname,
            given_names,
        } => {
            let pesel = Pesel::parse(pesel.trim());
            if pesel.is_err() {
                errors.push(FieldError::new(
                    "collector.pesel",
                    "pesel.invalid",
                    "Nieprawidłowy numer PESEL odbierającego.",
                    "The collector's PESEL is not valid.",
                ));
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
            let (surname, given_names) = (surname.trim().to_owned(), given_names.trim().to_owned());
            pesel.ok().map(|pesel| match &req.collector {
                Collector::Parent { .. } => passport_journal::Collector::Parent {
                    pesel,
                    surname,
                    given_names,
                },
                _ => passport_journal::Collector::LegalGuardian {
                    pesel,
                    surname,
                    given_names,
                },
            })
        }
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
    Ok(Checked {
        collector,
        previous,
    })
}
