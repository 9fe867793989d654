//! Clerk actions. Each is one transaction: the journal entry and the local
//! tables it changes commit together or not at all.

use crate::db::now_rfc3339;
use crate::entry::{GENESIS_HASH, HashedFields, SyncState, sha256_hex};
use crate::payload::{EntryPayload, HandoverPayload, InvalidatePayload, PhotoRef, SubmitPayload};
use crate::{Journal, JournalError, Result};
use passport_domain::lifecycle::{DocumentStatus, InvalidationReason};
use passport_domain::names;
use passport_domain::number::ApplicationNumber;
use passport_domain::{FieldError, ValidApplication, ValidationErrors};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

/// What the clerk sees once an application is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedApplication {
    pub number: String,
    pub journal_id: String,
    pub seq: i64,
    #[serde(skip)]
    pub(crate) entry_hash: String,
}

/// A document on the office's ready list, as the register sends it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyDocument {
    pub document_number: String,
    pub application_number: Option<String>,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub mrz_line1: Option<String>,
    pub mrz_line2: Option<String>,
}

pub(crate) struct NewEntry<'a> {
    pub record_key: &'a str,
    pub depends_on: Option<&'a str>,
    pub payload: &'a EntryPayload,
    pub clerk_id: &'a str,
    pub device_time: &'a str,
}

/// An appended entry: its number, id and chain hash.
pub(crate) struct Appended {
    pub seq: i64,
    pub id: String,
    pub hash: String,
}

/// Appends an entry inside the caller's transaction.
pub(crate) async fn append(conn: &mut SqliteConnection, e: NewEntry<'_>) -> Result<Appended> {
    let last = sqlx::query!("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (prev_seq, prev_hash) =
        last.map_or((0, GENESIS_HASH.to_owned()), |r| (r.seq, r.entry_hash));
    let seq = prev_seq + 1;
    let id = uuid::Uuid::now_v7().to_string();
    let kind = e.payload.kind();
    let state = if kind.is_sent() {
        SyncState::Pending
    } else {
        SyncState::Local
    }
    .as_str();
    let kind = kind.as_str();
    let payload = e.payload.encode()?;
    let hash = HashedFields {
        prev_hash: &prev_hash,
        seq,
        id: &id,
        kind,
        record_key: e.record_key,
        depends_on: e.depends_on,
        payload: &payload,
        clerk_id: e.clerk_id,
        device_time: e.device_time,
    }
    .hash();
    sqlx::query!(
        "INSERT INTO journal (seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash, state_changed_at, sync_state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?10)",
        seq,
        id,
        kind,
        e.record_key,
        e.depends_on,
        payload,
        e.clerk_id,
        e.device_time,
        hash,
        state
    )
    .execute(&mut *conn)
    .await?;
    Ok(Appended { seq, id, hash })
}

pub(crate) fn refused(path: &str, code: &str, pl: &str, en: &str) -> JournalError {
    JournalError::Invalid(ValidationErrors(vec![FieldError::new(path, code, pl, en)]))
}

/// Whether `clerk_id` is an account identifier (see [`clerk_ok`]).
///
/// Every action names the clerk who took it, by account identifier: 1 to
/// 64 of `A–Z a–z 0–9 . _ @ -`. Whatever else (a newline, an escape
/// sequence, 100 KB) would end up in the journal, the register and every
/// printout, so it is refused here, at the one door into the journal.
pub fn check_clerk_id(clerk_id: &str) -> Result<()> {
    clerk_ok(clerk_id)
}

pub(crate) fn clerk_ok(clerk_id: &str) -> Result<()> {
    if clerk_id.is_empty() {
        return Err(refused(
            "clerk",
            "clerk.required",
            "Nie wskazano urzędnika.",
            "No clerk is logged in.",
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-');
    if clerk_id.len() > 64 || !clerk_id.chars().all(allowed) {
        return Err(refused(
            "clerk",
            "clerk.invalid",
            "Identyfikator urzędnika to od 1 do 64 znaków: litery a–z i A–Z (bez polskich znaków), cyfry oraz . _ @ -.",
            "A clerk identifier is 1 to 64 characters: letters a–z and A–Z (no accents), digits and . _ @ -.",
        ));
    }
    Ok(())
}

impl Journal {
    pub(crate) async fn pause_for_crash_test(&self) {
        if let Some(d) = self.options.pause_before_commit {
            tokio::time::sleep(d).await;
        }
    }

    /// Saves a validated application: assigns its number, stores the photo,
    /// and journals the submission, in one transaction.
    pub async fn submit_application(
        &self,
        app: &ValidApplication,
        photo: &[u8],
        clerk_id: &str,
    ) -> Result<SubmittedApplication> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let saved = async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let saved = self.submit_in(&mut tx, app, photo, clerk_id).await?;
            self.pause_for_crash_test().await;
            tx.commit().await?;
            Ok(saved)
        }
        .await
        .map_err(|e| self.not_saved(e))?;
        self.after_commit(1, saved.seq, &saved.entry_hash);
        Ok(saved)
    }

    /// Saves many applications in one transaction, all or nothing: for
    /// imports and for building benchmark data sets.
    pub async fn submit_many(
        &self,
        apps: &[(ValidApplication, Vec<u8>)],
        clerk_id: &str,
    ) -> Result<Vec<SubmittedApplication>> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut out = Vec::with_capacity(apps.len());
        for (app, photo) in apps {
            out.push(self.submit_in(&mut tx, app, photo, clerk_id).await?);
        }
        tx.commit().await?;
        if let Some(last) = out.last() {
            self.after_commit(
                u32::try_from(out.len()).unwrap_or(u32::MAX),
                last.seq,
                &last.entry_hash,
            );
        }
        Ok(out)
    }

    pub(crate) async fn submit_in(
        &self,
        conn: &mut SqliteConnection,
        app: &ValidApplication,
        photo: &[u8],
        clerk_id: &str,
    ) -> Result<SubmittedApplication> {
        let sequence = sqlx::query_scalar!(
            r#"INSERT INTO counters (name, value) VALUES ('application', 1)
               ON CONFLICT (name) DO UPDATE SET value = value + 1
               RETURNING value AS "value!: i64""#
        )
        .fetch_one(&mut *conn)
        .await?;
        let number = ApplicationNumber::new(
            &self.identity.office_code,
            &self.identity.workstation_id,
            u64::try_from(sequence).map_err(|_| {
                JournalError::Corrupt(format!("the application counter is {sequence}"))
            })?,
        )
        .map_err(|e| JournalError::Invalid(ValidationErrors(vec![e.to_field_error("office")])))?
        .to_string();

        let photo_sha = sha256_hex(photo);
        let mime = app.photo.format.mime();
        let (w, h) = (i64::from(app.photo.width), i64::from(app.photo.height));
        sqlx::query!(
            "INSERT INTO photos (sha256, mime, width, height, bytes) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (sha256) DO NOTHING",
            photo_sha,
            mime,
            w,
            h,
            photo
        )
        .execute(&mut *conn)
        .await?;

        let payload = EntryPayload::SubmitApplication(SubmitPayload {
            number: number.clone(),
            application: app.clone(),
            photo: PhotoRef {
                sha256: photo_sha.clone(),
                mime: mime.to_owned(),
            },
        });
        let device_time = now_rfc3339();
        let Appended {
            seq,
            id: journal_id,
            hash,
        } = append(
            conn,
            NewEntry {
                record_key: &number,
                depends_on: None,
                payload: &payload,
                clerk_id,
                device_time: &device_time,
            },
        )
        .await?;

        let a = &app.applicant;
        let kind = app.kind.code();
        let pesel = a.pesel.to_string();
        let surname_key = names::search_key(&a.surname);
        let birth = a.birth_date.to_string();
        let status = passport_domain::ApplicationStatus::Submitted.as_str();
        let fee = i64::from(app.fee.amount_grosz);
        sqlx::query!(
            "INSERT INTO applications (number, kind, pesel, surname, surname_key, given_names, birth_date, status, fee_grosz, photo_sha256, journal_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            number,
            kind,
            pesel,
            a.surname,
            surname_key,
            a.given_names,
            birth,
            status,
            fee,
            photo_sha,
            journal_id,
            device_time
        )
        .execute(&mut *conn)
        .await?;
        Ok(SubmittedApplication {
            number,
            journal_id,
            seq,
            entry_hash: hash,
        })
    }

    /// Stores the register's ready list for this office (upsert), so that a
    /// hand-over can be prepared when the register is unreachable.
    pub async fn cache_ready_documents(&self, docs: &[ReadyDocument]) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let now = now_rfc3339();
        let status = DocumentStatus::AwaitingCollection.as_str();
        for d in docs {
            sqlx::query!(
                "INSERT INTO documents (document_number, application_number, pesel, surname, given_names, mrz_line1, mrz_line2, status, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (document_number) DO UPDATE SET
                   application_number = excluded.application_number, pesel = excluded.pesel,
                   surname = excluded.surname, given_names = excluded.given_names,
                   mrz_line1 = excluded.mrz_line1, mrz_line2 = excluded.mrz_line2,
                   synced_at = excluded.synced_at",
                d.document_number,
                d.application_number,
                d.pesel,
                d.surname,
                d.given_names,
                d.mrz_line1,
                d.mrz_line2,
                status,
                now
            )
            .execute(&mut *tx)
            .await?;
            // The register personalised it: the application taken here is now ready.
            let ready = passport_domain::ApplicationStatus::ReadyForCollection.as_str();
            sqlx::query!(
                "UPDATE applications SET status = ?1 WHERE number = ?2 AND status IN ('submitted', 'accepted', 'in_personalisation')",
                ready,
                d.application_number
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the hand-over of a ready document, and with it the
    /// invalidation of the holder's previous passport when one is named.
    pub async fn record_handover(
        &self,
        h: &HandoverPayload,
        clerk_id: &str,
    ) -> Result<(i64, String)> {
        self.record_handover_tx(h, clerk_id)
            .await
            .map_err(|e| self.not_saved(e))
    }

    async fn record_handover_tx(
        &self,
        h: &HandoverPayload,
        clerk_id: &str,
    ) -> Result<(i64, String)> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let doc = sqlx::query!(
            "SELECT status, invalidation_reason, application_number FROM documents WHERE document_number = ?1",
            h.document_number
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| JournalError::NotFound(format!("document {}", h.document_number)))?;
        let next = parse_status(
            &h.document_number,
            &doc.status,
            doc.invalidation_reason.as_deref(),
        )?
        .hand_over()
        .map_err(|e| {
            JournalError::Invalid(ValidationErrors(vec![e.to_field_error("document_number")]))
        })?;
        // The hand-over must reach the register after the application it
        // concerns, when that application was taken at this counter.
        let depends_on = match &doc.application_number {
            Some(n) => {
                sqlx::query_scalar!("SELECT journal_id FROM applications WHERE number = ?1", n)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        let payload = EntryPayload::RecordHandover(h.clone());
        let now = now_rfc3339();
        let Appended { seq, id, hash } = append(
            &mut tx,
            NewEntry {
                record_key: &h.document_number,
                depends_on: depends_on.as_deref(),
                payload: &payload,
                clerk_id,
                device_time: &now,
            },
        )
        .await?;
        let collected_by = serde_json::to_string(&h.collected_by)?;
        let chip_check = h.chip_check.as_str();
        let provisional = i64::from(h.provisional);
        sqlx::query!(
            "INSERT INTO handovers (document_number, application_number, collected_by, identity_check, chip_check, previous_passport, provisional, journal_id, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            h.document_number,
            doc.application_number,
            collected_by,
            h.identity_check,
            chip_check,
            h.previous_passport,
            provisional,
            id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let status = next.as_str();
        sqlx::query!(
            "UPDATE documents SET status = ?1 WHERE document_number = ?2",
            status,
            h.document_number
        )
        .execute(&mut *tx)
        .await?;
        if let Some(prev) = &h.previous_passport {
            mark_invalidated(&mut tx, prev, InvalidationReason::NewDocumentCollected).await?;
        }
        if let Some(n) = &doc.application_number {
            let handed = passport_domain::ApplicationStatus::HandedOver.as_str();
            sqlx::query!(
                "UPDATE applications SET status = ?1 WHERE number = ?2",
                handed,
                n
            )
            .execute(&mut *tx)
            .await?;
        }
        self.pause_for_crash_test().await;
        tx.commit().await?;
        self.after_commit(1, seq, &hash);
        Ok((seq, id))
    }

    /// Records the invalidation of a document (reported lost, damaged, …).
    pub async fn invalidate_document(
        &self,
        document_number: &str,
        reason: InvalidationReason,
        clerk_id: &str,
    ) -> Result<(i64, String)> {
        self.invalidate_document_tx(document_number, reason, clerk_id)
            .await
            .map_err(|e| self.not_saved(e))
    }

    async fn invalidate_document_tx(
        &self,
        document_number: &str,
        reason: InvalidationReason,
        clerk_id: &str,
    ) -> Result<(i64, String)> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let number =
            passport_domain::application::passport_number(document_number, "document_number")
                .map_err(|e| JournalError::Invalid(ValidationErrors(vec![e])))?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let already = sqlx::query_scalar!(
            "SELECT reason FROM invalidations WHERE document_number = ?1",
            number
        )
        .fetch_optional(&mut *tx)
        .await?;
        if already.is_some() {
            return Err(refused(
                "document_number",
                "document.already_invalidated",
                "Ten dokument został już unieważniony.",
                "This document has already been invalidated.",
            ));
        }
        let doc = sqlx::query!(
            "SELECT status, invalidation_reason FROM documents WHERE document_number = ?1",
            number
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(d) = &doc {
            let next = parse_status(&number, &d.status, d.invalidation_reason.as_deref())?
                .invalidate(reason)
                .map_err(|e| {
                    JournalError::Invalid(ValidationErrors(vec![
                        e.to_field_error("document_number"),
                    ]))
                })?;
            if let DocumentStatus::Invalidated { reason } = next {
                mark_invalidated(&mut tx, &number, reason).await?;
            }
        }
        let payload = EntryPayload::InvalidateDocument(InvalidatePayload {
            document_number: number.clone(),
            reason,
        });
        let now = now_rfc3339();
        let Appended { seq, id, hash } = append(
            &mut tx,
            NewEntry {
                record_key: &number,
                depends_on: None,
                payload: &payload,
                clerk_id,
                device_time: &now,
            },
        )
        .await?;
        let reason_s = reason.as_str();
        sqlx::query!(
            "INSERT INTO invalidations (document_number, reason, journal_id, recorded_at) VALUES (?1, ?2, ?3, ?4)",
            number,
            reason_s,
            id,
            now
        )
        .execute(&mut *tx)
        .await?;
        self.pause_for_crash_test().await;
        tx.commit().await?;
        self.after_commit(1, seq, &hash);
        Ok((seq, id))
    }
}

/// Marks a known document invalidated; an unknown one is left alone (the
/// register keeps the authoritative record).
async fn mark_invalidated(
    conn: &mut SqliteConnection,
    number: &str,
    reason: InvalidationReason,
) -> Result<()> {
    let status = DocumentStatus::Invalidated { reason }.as_str();
    let reason = reason.as_str();
    sqlx::query!(
        "UPDATE documents SET status = ?1, invalidation_reason = ?2 WHERE document_number = ?3",
        status,
        reason,
        number
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored document state; only this crate writes it, so an unreadable one
/// means the database was changed behind the journal's back.
fn parse_status(number: &str, status: &str, reason: Option<&str>) -> Result<DocumentStatus> {
    DocumentStatus::parse(status, reason).ok_or_else(|| {
        JournalError::NotFound(format!("a readable state of document {number} ({status})"))
    })
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(ReadyDocument);
