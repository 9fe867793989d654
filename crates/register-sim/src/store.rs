//! The simulator's records and the business rules of each write.

use crate::api::Sim;
use crate::rules;
use passport_domain::Sex;
use passport_domain::mrz::{self, MrzRecord};
use passport_register_contract::{
    ApplicationKind, ChipCheck, InvalidationReason as WireReason, Sex as WireSex,
};
use passport_register_contract::{
    ApplicationReceipt, ApplicationStatus, FieldProblem, HandoverReceipt, InvalidateDocument,
    InvalidationReceipt, Person, PersonDocument, PersonDocuments, Problem, ProblemCode,
    ReadyDocument, ReadyDocumentsPage, RecordHandover, SubmitApplication, paths,
};
use serde_json::{Value, json};
use sqlx::{SqliteConnection, SqlitePool};

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[derive(Debug)]
pub enum WriteOp {
    Submit(Box<SubmitApplication>),
    Handover(RecordHandover),
    Invalidate(InvalidateDocument),
    /// A body of the wrong shape: its 422 is recorded under the key like
    /// any other final answer.
    Malformed(Box<Problem>),
}

fn refuse(code: ProblemCode, message: impl Into<String>) -> (u16, Value) {
    (code.status(), json!(Problem::of(code, message)))
}

fn invalid(fields: Vec<FieldProblem>) -> (u16, Value) {
    let mut p = Problem::of(ProblemCode::Validation, "the request failed validation");
    p.fields = fields;
    (422, json!(p))
}

/// Replays the stored answer for `key`, refuses a reused key, or applies
/// `op` and stores its answer, all in one transaction. Returns the status,
/// the body, and whether it was a replay.
pub async fn apply_idempotent(
    sim: &Sim,
    key: &str,
    hash: &str,
    op: WriteOp,
) -> Result<(u16, Value, bool), sqlx::Error> {
    let mut tx = sim.db.begin_with("BEGIN IMMEDIATE").await?;
    let prev = sqlx::query!(
        "SELECT request_hash, status, body FROM reg_idempotency WHERE key = ?1",
        key
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(prev) = prev {
        tx.commit().await?;
        if prev.request_hash != hash {
            let (s, v) = refuse(
                ProblemCode::IdempotencyKeyReused,
                "this Idempotency-Key was used with a different request",
            );
            return Ok((s, v, false));
        }
        // A stored answer that does not read back is a damaged database:
        // an error (500, retry), never a made-up answer.
        let damaged =
            || sqlx::Error::Decode(format!("the answer stored for key {key} is unreadable").into());
        let body: Value = serde_json::from_str(&prev.body).map_err(|_| damaged())?;
        let status = u16::try_from(prev.status)
            .ok()
            .filter(|s| (200..600).contains(s))
            .ok_or_else(damaged)?;
        sim.stat(|s| s.idempotent_replays += 1);
        return Ok((status, body, true));
    }
    let (status, body) = match &op {
        WriteOp::Submit(r) => submit(sim, &mut tx, key, r).await?,
        WriteOp::Handover(r) => handover(&mut tx, key, r).await?,
        WriteOp::Invalidate(r) => invalidate(&mut tx, key, r).await?,
        WriteOp::Malformed(p) => (ProblemCode::Validation.status(), json!(p)),
    };
    if (200..300).contains(&status) {
        let (path, received) = match &op {
            WriteOp::Submit(r) => (paths::APPLICATIONS, serde_json::to_string(r)),
            WriteOp::Handover(r) => (paths::HANDOVERS, serde_json::to_string(r)),
            WriteOp::Invalidate(r) => (paths::INVALIDATIONS, serde_json::to_string(r)),
            WriteOp::Malformed(_) => {
                return Err(sqlx::Error::Protocol("a malformed write succeeded".into()));
            }
        };
        let received = received.map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let at = now();
        sqlx::query!(
            "INSERT INTO reg_received (idempotency_key, path, body, received_at) VALUES (?1, ?2, ?3, ?4)",
            key,
            path,
            received,
            at
        )
        .execute(&mut *tx)
        .await?;
    }
    let text = body.to_string();
    let status_i = i64::from(status);
    let at = now();
    sqlx::query!(
        "INSERT INTO reg_idempotency (key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        key,
        hash,
        status_i,
        text,
        at
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if (200..300).contains(&status) {
        sim.stat(|s| match op {
            WriteOp::Submit(_) => s.applications += 1,
            WriteOp::Handover(_) => s.handovers += 1,
            WriteOp::Invalidate(_) => s.invalidations += 1,
            WriteOp::Malformed(_) => {}
        });
    }
    Ok((status, body, false))
}

async fn office_known(conn: &mut SqliteConnection, office: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query_scalar!("SELECT code FROM reg_offices WHERE code = ?1", office)
            .fetch_optional(conn)
            .await?
            .is_some(),
    )
}

async fn submit(
    sim: &Sim,
    conn: &mut SqliteConnection,
    key: &str,
    r: &SubmitApplication,
) -> Result<(u16, Value), sqlx::Error> {
    let cutover =
        crate::cutover::Cutover::for_request(conn, sim.biometrics_required_from, r).await?;
    let fields = rules::check_submission(r, chrono::Utc::now().date_naive(), &cutover);
    if !fields.is_empty() {
        return Ok(invalid(fields));
    }
    if !office_known(conn, &r.office).await? {
        return Ok(refuse(
            ProblemCode::UnknownOffice,
            format!("no office {}", r.office),
        ));
    }
    let taken = sqlx::query_scalar!(
        "SELECT idempotency_key FROM reg_applications WHERE number = ?1",
        r.application_number
    )
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        // Same number, another key: the client sent one action twice.
        sim.stat(|s| s.duplicate_attempts += 1);
        return Ok(refuse(
            ProblemCode::ApplicationNumberTaken,
            format!("application {} already exists", r.application_number),
        ));
    }
    let at = now();
    let a = &r.applicant;
    let kind = kind_code(&r.kind);
    let sex = sex_code(a.sex);
    sqlx::query!(
        "INSERT INTO reg_applications (number, office, workstation, kind, pesel, surname, given_names, birth_date, sex, status, idempotency_key, accepted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'accepted', ?10, ?11)",
        r.application_number,
        r.office,
        r.workstation,
        kind,
        a.pesel,
        a.surname,
        a.given_names,
        a.birth_date,
        sex,
        key,
        at
    )
    .execute(&mut *conn)
    .await?;
    crate::cutover::record_accepted(conn, r, &at).await?;
    let receipt = ApplicationReceipt {
        application_number: r.application_number.clone(),
        status: "accepted".into(),
        accepted_at: at,
    };
    Ok((201, json!(receipt)))
}

async fn handover(
    conn: &mut SqliteConnection,
    key: &str,
    r: &RecordHandover,
) -> Result<(u16, Value), sqlx::Error> {
    // Every field rule first, all at once: a malformed number is 422, not
    // a lookup that finds nothing.
    let fields = rules::check_handover(r);
    if !fields.is_empty() {
        return Ok(invalid(fields));
    }
    let doc = sqlx::query!(
        "SELECT office, status, application_number, pesel, birth_date FROM reg_documents WHERE document_number = ?1",
        r.document_number
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(doc) = doc else {
        return Ok(refuse(
            ProblemCode::UnknownDocument,
            format!("no document {}", r.document_number),
        ));
    };
    match doc.status.as_str() {
        "valid" => {
            return Ok(refuse(
                ProblemCode::DocumentAlreadyIssued,
                format!("{} was already handed over", r.document_number),
            ));
        }
        "invalidated" => {
            return Ok(refuse(
                ProblemCode::DocumentInvalidated,
                format!("{} was invalidated", r.document_number),
            ));
        }
        _ => {}
    }
    if doc.office != r.office {
        return Ok(refuse(
            ProblemCode::NotReadyHere,
            format!(
                "{} waits at office {}, not {}",
                r.document_number, doc.office, r.office
            ),
        ));
    }
    // Who may collect it: the holder's age and the application's guardians.
    let Some(birth) = rules::strict_date(&doc.birth_date) else {
        return Err(sqlx::Error::Decode(
            format!("stored birth date {:?} does not read back", doc.birth_date).into(),
        ));
    };
    let guardians = match &doc.application_number {
        Some(n) => application_guardians(&mut *conn, n).await?,
        None => None,
    };
    let fields = rules::check_collector(
        r,
        &doc.pesel,
        birth,
        chrono::Utc::now().date_naive(),
        guardians.as_deref(),
    );
    if !fields.is_empty() {
        return Ok(invalid(fields));
    }
    let at = now();
    let collected =
        serde_json::to_string(&r.collected_by).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let chip_check = match r.chip_check {
        ChipCheck::Passed => "passed",
        ChipCheck::NotChecked => "not_checked",
    };
    let provisional = i64::from(r.provisional);
    sqlx::query!(
        "INSERT INTO reg_handovers (document_number, office, clerk_id, collected_by, chip_check, previous_passport, provisional, idempotency_key, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        r.document_number,
        r.office,
        r.clerk_id,
        collected,
        chip_check,
        r.previous_passport,
        provisional,
        key,
        at
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE reg_documents SET status = 'valid' WHERE document_number = ?1",
        r.document_number
    )
    .execute(&mut *conn)
    .await?;
    if let Some(n) = &doc.application_number {
        sqlx::query!(
            "UPDATE reg_applications SET status = 'handed_over' WHERE number = ?1",
            n
        )
        .execute(&mut *conn)
        .await?;
    }
    if let Some(prev) = &r.previous_passport {
        sqlx::query!(
            "UPDATE reg_documents SET status = 'invalidated', invalidation_reason = 'new_document_collected' WHERE document_number = ?1",
            prev
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "INSERT INTO reg_invalidations (document_number, reason, idempotency_key, recorded_at) VALUES (?1, 'new_document_collected', ?2, ?3)
             ON CONFLICT (document_number) DO NOTHING",
            prev,
            key,
            at
        )
        .execute(&mut *conn)
        .await?;
    }
    let receipt = HandoverReceipt {
        document_number: r.document_number.clone(),
        status: "issued".into(),
        previous_passport_invalidated: r.previous_passport.clone(),
        recorded_at: at,
    };
    Ok((201, json!(receipt)))
}

/// The parents and guardians named on an application, as the register
/// accepted it (`None`: no such application here). A stored submission
/// that does not read back is a loud error, never "no guardians".
async fn application_guardians(
    conn: &mut SqliteConnection,
    number: &str,
) -> Result<Option<Vec<passport_register_contract::Guardian>>, sqlx::Error> {
    let body = sqlx::query_scalar!(
        "SELECT r.body FROM reg_received r JOIN reg_applications a ON a.idempotency_key = r.idempotency_key
         WHERE a.number = ?1",
        number
    )
    .fetch_optional(&mut *conn)
    .await?;
    body.map(|b| {
        serde_json::from_str::<SubmitApplication>(&b)
            .map(|s| s.guardians)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    })
    .transpose()
}

async fn invalidate(
    conn: &mut SqliteConnection,
    key: &str,
    r: &InvalidateDocument,
) -> Result<(u16, Value), sqlx::Error> {
    let fields = rules::check_invalidation(r);
    if !fields.is_empty() {
        return Ok(invalid(fields));
    }
    let status = sqlx::query_scalar!(
        "SELECT status FROM reg_documents WHERE document_number = ?1",
        r.document_number
    )
    .fetch_optional(&mut *conn)
    .await?;
    match status.as_deref() {
        None => {
            return Ok(refuse(
                ProblemCode::UnknownDocument,
                format!("no document {}", r.document_number),
            ));
        }
        Some("invalidated") => {
            return Ok(refuse(
                ProblemCode::DocumentInvalidated,
                format!("{} is already invalidated", r.document_number),
            ));
        }
        Some(_) => {}
    }
    let at = now();
    let reason = reason_code(r.reason);
    sqlx::query!(
        "UPDATE reg_documents SET status = 'invalidated', invalidation_reason = ?1 WHERE document_number = ?2",
        reason,
        r.document_number
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO reg_invalidations (document_number, reason, idempotency_key, recorded_at) VALUES (?1, ?2, ?3, ?4)",
        r.document_number,
        reason,
        key,
        at
    )
    .execute(&mut *conn)
    .await?;
    let receipt = InvalidationReceipt {
        document_number: r.document_number.clone(),
        status: "invalidated".into(),
        reason: r.reason,
        recorded_at: at,
    };
    Ok((201, json!(receipt)))
}

pub async fn application_status(
    db: &SqlitePool,
    number: &str,
) -> Result<Option<ApplicationStatus>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT number, status, document_number FROM reg_applications WHERE number = ?1",
        number
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| ApplicationStatus {
        application_number: r.number,
        status: r.status,
        document_number: r.document_number,
    }))
}

/// What a ready-list read found.
pub enum ReadyPage {
    Page(ReadyDocumentsPage),
    UnknownOffice,
    /// The cursor is not one this register issued for this office.
    UnknownCursor,
}

/// The page after cursor `after` (`None`: from the start). A cursor is the
/// `ready_seq` of the last item served, so the ones issued for an office
/// are `0` and the `ready_seq`s of documents that became ready there (rows
/// are never deleted, so an issued cursor stays valid). Anything else,
/// a number ahead of the list in particular, was never issued: serving it
/// would silently skip the documents that become ready up to it.
pub async fn ready_documents(
    db: &SqlitePool,
    office: &str,
    after: Option<i64>,
    limit: u32,
) -> Result<ReadyPage, sqlx::Error> {
    let mut conn = db.acquire().await?;
    if !office_known(&mut conn, office).await? {
        return Ok(ReadyPage::UnknownOffice);
    }
    let after = match after {
        None | Some(0) => 0,
        Some(seq) => {
            let issued = sqlx::query_scalar!(
                "SELECT ready_seq FROM reg_documents WHERE office = ?1 AND ready_seq = ?2",
                office,
                seq
            )
            .fetch_optional(&mut *conn)
            .await?;
            if issued.is_none() {
                return Ok(ReadyPage::UnknownCursor);
            }
            seq
        }
    };
    let limit = i64::from(limit);
    let rows = sqlx::query!(
        "SELECT document_number, application_number, pesel, surname, given_names, birth_date, sex, mrz_line1, mrz_line2, ready_seq, ready_since
         FROM reg_documents WHERE office = ?1 AND ready_seq > ?2 AND status = 'ready_for_collection'
         ORDER BY ready_seq LIMIT ?3",
        office,
        after,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    // Always a cursor: after an empty page, the one the client sent, so it
    // asks again from the same place.
    let next_cursor = rows.last().map_or(after, |r| r.ready_seq).to_string();
    let items = rows
        .into_iter()
        .map(|r| ReadyDocument {
            expected_dg1_mrz: format!("{}{}", r.mrz_line1, r.mrz_line2),
            document_number: r.document_number,
            application_number: r.application_number,
            holder: Person {
                pesel: r.pesel,
                surname: r.surname,
                given_names: r.given_names,
                birth_date: r.birth_date,
                sex: r.sex,
            },
            mrz_line1: r.mrz_line1,
            mrz_line2: r.mrz_line2,
            status: "ready_for_collection".into(),
            ready_since: r.ready_since,
        })
        .collect();
    Ok(ReadyPage::Page(ReadyDocumentsPage { items, next_cursor }))
}

pub async fn person_documents(
    db: &SqlitePool,
    pesel: &str,
) -> Result<PersonDocuments, sqlx::Error> {
    let rows = sqlx::query!("SELECT document_number, status, invalidation_reason FROM reg_documents WHERE pesel = ?1 ORDER BY ready_seq", pesel)
        .fetch_all(db)
        .await?;
    let documents = rows
        .into_iter()
        .map(|r| PersonDocument {
            document_number: r.document_number,
            status: r.status,
            invalidation_reason: r.invalidation_reason,
        })
        .collect();
    Ok(PersonDocuments {
        pesel: pesel.to_owned(),
        documents,
    })
}

/// A document ready at `office` for a person, with its MRZ.
pub struct NewDocument<'a> {
    pub document_number: &'a str,
    pub application_number: Option<&'a str>,
    pub office: &'a str,
    pub pesel: &'a str,
    pub surname: &'a str,
    pub given_names: &'a str,
    pub birth_date: chrono::NaiveDate,
    pub sex: Sex,
}

pub async fn insert_ready_document(
    conn: &mut SqliteConnection,
    d: &NewDocument<'_>,
) -> Result<Option<ReadyDocument>, sqlx::Error> {
    // Checked: a date near chrono's end would overflow, and a stored row
    // must never panic the register.
    let Some(expiry) = d
        .birth_date
        .max(chrono::Utc::now().date_naive())
        .checked_add_signed(chrono::Duration::days(365 * 10))
    else {
        return Ok(None);
    };
    let rec = MrzRecord {
        document_type: '<',
        issuing_state: "POL".into(),
        surname: d.surname.into(),
        given_names: d.given_names.into(),
        document_number: d.document_number.into(),
        nationality: "POL".into(),
        birth_date: d.birth_date,
        sex: Some(d.sex),
        expiry_date: expiry,
        optional_data: d.pesel.into(),
    };
    let Ok(td3) = mrz::generate(&rec) else {
        return Ok(None);
    };
    let seq = sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(ready_seq), 0) + 1 AS "s!: i64" FROM reg_documents"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let at = now();
    let birth = d.birth_date.to_string();
    let sex = d.sex.code().to_string();
    sqlx::query!(
        "INSERT INTO reg_documents (document_number, application_number, office, pesel, surname, given_names, birth_date, sex, mrz_line1, mrz_line2, status, ready_seq, ready_since)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'ready_for_collection', ?11, ?12)",
        d.document_number,
        d.application_number,
        d.office,
        d.pesel,
        d.surname,
        d.given_names,
        birth,
        sex,
        td3.line1,
        td3.line2,
        seq,
        at
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(ReadyDocument {
        document_number: d.document_number.into(),
        application_number: d.application_number.map(str::to_owned),
        holder: Person {
            pesel: d.pesel.into(),
            surname: d.surname.into(),
            given_names: d.given_names.into(),
            birth_date: birth,
            sex,
        },
        expected_dg1_mrz: format!("{}{}", td3.line1, td3.line2),
        mrz_line1: td3.line1,
        mrz_line2: td3.line2,
        status: "ready_for_collection".into(),
        ready_since: at,
    }))
}

/// Personalises an accepted application: its passport becomes ready at its office.
pub async fn personalise(sim: &Sim, number: &str) -> Result<Option<ReadyDocument>, sqlx::Error> {
    let mut tx = sim.db.begin_with("BEGIN IMMEDIATE").await?;
    let app = sqlx::query!(
        "SELECT office, pesel, surname, given_names, birth_date, sex FROM reg_applications WHERE number = ?1 AND status = 'accepted'",
        number
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(app) = app else { return Ok(None) };
    // Stored rows were validated on the way in; one that does not read
    // back is a damaged database, said loudly, never a guessed passport.
    let unreadable = |what: &str| {
        sqlx::Error::Decode(format!("application {number} has an unreadable {what}").into())
    };
    let birth = chrono::NaiveDate::parse_from_str(&app.birth_date, "%Y-%m-%d")
        .map_err(|_| unreadable("birth date"))?;
    let sex = match app.sex.as_str() {
        "F" => Sex::Female,
        "M" => Sex::Male,
        _ => return Err(unreadable("sex")),
    };
    let count = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM reg_documents"#)
        .fetch_one(&mut *tx)
        .await?;
    let document_number = format!(
        "ER{:07}",
        (count + 1 + i64::from(sim.random_u32(1000)) * 10_000) % 10_000_000
    );
    let doc = NewDocument {
        document_number: &document_number,
        application_number: Some(number),
        office: &app.office,
        pesel: &app.pesel,
        surname: &app.surname,
        given_names: &app.given_names,
        birth_date: birth,
        sex,
    };
    let ready = insert_ready_document(&mut tx, &doc).await?;
    sqlx::query!("UPDATE reg_applications SET status = 'ready_for_collection', document_number = ?1 WHERE number = ?2", document_number, number)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ready)
}

fn kind_code(k: &ApplicationKind) -> &'static str {
    match k {
        ApplicationKind::Passport => "passport",
        ApplicationKind::Temporary { .. } => "temporary",
        ApplicationKind::Second { .. } => "second",
    }
}

fn sex_code(s: WireSex) -> &'static str {
    match s {
        WireSex::F => "F",
        WireSex::M => "M",
    }
}

/// The contract's reason as the register stores it: the domain's text.
fn reason_code(r: WireReason) -> &'static str {
    use passport_domain::InvalidationReason as D;
    let d = match r {
        WireReason::NewDocumentCollected => D::NewDocumentCollected,
        WireReason::ReportedLost => D::ReportedLost,
        WireReason::ReportedStolen => D::ReportedStolen,
        WireReason::Damaged => D::Damaged,
        WireReason::DataChanged => D::DataChanged,
        WireReason::HolderDeceased => D::HolderDeceased,
        WireReason::CitizenshipLost => D::CitizenshipLost,
        WireReason::DefectivePersonalisation => D::DefectivePersonalisation,
        WireReason::LostInTransit => D::LostInTransit,
        WireReason::NotCollectedInTime => D::NotCollectedInTime,
    };
    d.as_str()
}

/// What the register accepted under `key`, exactly as it parsed it.
pub async fn received(sim: &Sim, key: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT path, body FROM reg_received WHERE idempotency_key = ?1",
        key
    )
    .fetch_optional(&sim.db)
    .await?;
    Ok(row.map(|r| (r.path, r.body)))
}
