//! The HTTP surface: the v1 contract, the fault gate, the admin endpoints.

use crate::faults::{Faults, Stats, Traffic};
use crate::store::{self, WriteOp};
use crate::{SimConfig, SimError, seed};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use passport_register_contract::{
    ChainReport, ChainSeen, ClerkAccount, ClerkLogin, FieldProblem, Health, IDEMPOTENCY_KEY,
    MAX_BODY_BYTES, Problem, ProblemCode, paths, valid_idempotency_key,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The simulator's shared state.
#[derive(Debug)]
pub struct Sim {
    _scratch: Option<tempfile::TempDir>,
    pub db: SqlitePool,
    faults: Mutex<Faults>,
    rng: Mutex<StdRng>,
    traffic: Mutex<Traffic>,
    stats: Mutex<Stats>,
    /// [`SimConfig::biometrics_required_from`].
    pub biometrics_required_from: Option<chrono::NaiveDate>,
}

/// Locks a mutex, recovering from a poisoned one: the data are counters and
/// settings, always valid.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sim {
    pub async fn open(config: &SimConfig) -> Result<Self, SimError> {
        let opts = SqliteConnectOptions::new()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // The simulator stands in for a remote service; its own
            // durability is not under test, its exactly-once semantics are.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        // Without a file, a temporary one: an in-memory database lives and
        // dies with a single connection, and a connection can be lost.
        let scratch = match &config.db {
            Some(_) => None,
            None => Some(tempfile::tempdir()?),
        };
        let path = match (&config.db, &scratch) {
            (Some(p), _) => p.clone(),
            (None, Some(dir)) => dir.path().join("register.db"),
            (None, None) => std::path::PathBuf::from("register.db"),
        };
        let opts = opts.filename(path);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        seed::seed(&pool).await?;
        Ok(Self {
            _scratch: scratch,
            db: pool,
            faults: Mutex::new(config.faults.clone()),
            rng: Mutex::new(StdRng::seed_from_u64(config.seed)),
            traffic: Mutex::new(Traffic::new()),
            stats: Mutex::new(Stats::default()),
            biometrics_required_from: config.biometrics_required_from,
        })
    }

    fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }

    /// True with probability `p`.
    fn roll(&self, p: f64) -> bool {
        p > 0.0 && lock(&self.rng).random::<f64>() < p
    }

    pub fn stat(&self, f: impl FnOnce(&mut Stats)) {
        f(&mut lock(&self.stats));
    }

    pub fn random_u32(&self, below: u32) -> u32 {
        lock(&self.rng).random_range(0..below)
    }
}

/// The register's routes; `/admin/*` only with `test_admin` (see the crate doc).
pub fn router(sim: Arc<Sim>, test_admin: bool) -> Router {
    let v1 = Router::new()
        .route("/v1/health", get(health))
        .route("/v1/applications", post(submit_application))
        .route("/v1/applications/{number}", get(application_status))
        .route("/v1/offices/{office}/ready-documents", get(ready_documents))
        .route("/v1/handovers", post(record_handover))
        .route("/v1/invalidations", post(invalidate_document))
        .route("/v1/persons/{pesel}/documents", get(person_documents))
        .route("/v1/clerks/login", post(clerk_login))
        .route("/v1/clerks/{clerk_id}", get(clerk_account))
        .route(
            "/v1/offices/{office}/workstations/{workstation}/chain",
            get(chain_seen).put(report_chain),
        )
        .route_layer(middleware::from_fn_with_state(sim.clone(), gate));
    let admin = Router::new()
        .route("/admin/faults", get(get_faults).post(set_faults))
        .route("/admin/stats", get(get_stats))
        .route("/admin/reset-stats", post(reset_stats))
        .route("/admin/personalise", post(personalise))
        .route("/admin/received/{key}", get(received));
    let routes = if test_admin { v1.merge(admin) } else { v1 };
    routes
        .with_state(sim)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(problem_bodies))
        .layer(middleware::from_fn(declared_too_large))
}

/// 413 at once for a body whose `Content-Length` is over the limit, before
/// a byte of it is read: the body limit alone only notices while reading,
/// and a client that declares 100 GB and sends one byte would be waited for
/// for ever. The connection is closed after the answer, since the rest of
/// the body is never read.
async fn declared_too_large(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let limit = u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX);
    if declared.is_some_and(|n| n > limit) {
        let mut r = problem(
            ProblemCode::PayloadTooLarge,
            format!("the body is over {MAX_BODY_BYTES} bytes (16 MiB)"),
        );
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    next.run(req).await
}

/// An answer with a contract code; its HTTP status is the code's.
pub fn problem(code: ProblemCode, message: impl Into<String>) -> Response {
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(Problem::of(code, message))).into_response()
}

/// Gives every error answer a `Problem` body: axum's own refusals (no such
/// route, wrong method, a body over the limit, an unreadable path or query)
/// come as plain text, and a register's answers never do.
async fn problem_bodies(r: Response) -> Response {
    let status = r.status();
    let is_json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return r;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ProblemCode::PayloadTooLarge,
        StatusCode::NOT_FOUND => ProblemCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ProblemCode::MethodNotAllowed,
        StatusCode::UNPROCESSABLE_ENTITY => ProblemCode::Validation,
        s if s.is_client_error() => ProblemCode::BadRequest,
        _ => ProblemCode::Internal,
    };
    let mut out = problem(code, status.canonical_reason().unwrap_or("refused"));
    // Keep the status axum chose (a 415 stays 415), and any Retry-After.
    *out.status_mut() = status;
    if let Some(ra) = r.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, ra.clone());
    }
    out
}

fn with_retry_after(mut r: Response, secs: u64, raw: Option<&str>) -> Response {
    let value = raw.map_or_else(|| secs.to_string(), str::to_owned);
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().insert("retry-after", v);
    }
    r
}

/// Applies the faults in force to every /v1 request, and counts it.
async fn gate(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let faults = sim.faults();
    lock(&sim.traffic).offer();
    sim.stat(|s| s.requests += 1);
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.outage {
        sim.stat(|s| s.refused_by_outage += 1);
        let r = problem(
            ProblemCode::Unavailable,
            "the register is unavailable (simulated outage)",
        );
        return with_retry_after(
            r,
            faults.retry_after_secs,
            faults.retry_after_raw.as_deref(),
        );
    }
    if !lock(&sim.traffic).admit(faults.capacity) {
        sim.stat(|s| s.refused_by_capacity += 1);
        let r = problem(ProblemCode::Overloaded, "over capacity; retry later");
        return with_retry_after(r, 1, None);
    }
    if sim.roll(faults.error_rate) {
        sim.stat(|s| s.injected_errors += 1);
        return problem(ProblemCode::Internal, "simulated internal error");
    }
    next.run(req).await
}

async fn health(State(sim): State<Arc<Sim>>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        time: store::now(),
        biometrics_required_from: sim
            .biometrics_required_from
            .map(|d| d.format("%Y-%m-%d").to_string()),
    })
}

/// Checks a clerk's password against the simulator's accounts
/// ([`seed::CLERKS`]: every office knows them).
async fn clerk_login(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: Bytes) -> Response {
    let req: ClerkLogin = match json_body(&headers, &body).and_then(decode) {
        Ok(r) => r,
        Err(p) => return answer(&p),
    };
    let office_known = seed::OFFICES.iter().any(|(code, _)| *code == req.office);
    let closed = sim.faults().closed_clerks.contains(&req.clerk_id);
    let account = seed::CLERKS
        .iter()
        .find(|c| c.clerk_id == req.clerk_id && c.password == req.password && !closed);
    sim.stat(|s| s.logins += 1);
    match account {
        Some(c) if office_known => Json(ClerkAccount {
            clerk_id: c.clerk_id.into(),
            display_name: c.display_name.into(),
            role: c.role.into(),
        })
        .into_response(),
        _ => problem(
            ProblemCode::InvalidCredentials,
            "unknown clerk, wrong password, or an office the register does not know",
        ),
    }
}

/// The chain heads last accepted from a workstation.
async fn chain_seen(
    State(sim): State<Arc<Sim>>,
    Path((office, workstation)): Path<(String, String)>,
) -> Response {
    if !seed::OFFICES.iter().any(|(code, _)| *code == office) {
        return problem(ProblemCode::UnknownOffice, "unknown office");
    }
    // Kept in the database (`heads.rs`): a restart does not forget them.
    match crate::heads::seen(&sim.db, &office, &workstation).await {
        Ok(seen) => Json(ChainSeen { seen }).into_response(),
        Err(e) => db_failure(&e),
    }
}

/// A workstation's chain heads, once per sync round: accepted when the
/// hashes it holds at the positions last seen are those seen, and neither
/// head is behind them; otherwise 409 `chain_fork` and nothing is kept.
/// The same report twice is accepted twice.
async fn report_chain(
    State(sim): State<Arc<Sim>>,
    Path((office, workstation)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let report: ChainReport = match json_body(&headers, &body).and_then(decode) {
        Ok(r) => r,
        Err(p) => return answer(&p),
    };
    if !seed::OFFICES.iter().any(|(code, _)| *code == office) {
        return problem(ProblemCode::UnknownOffice, "unknown office");
    }
    let points = [&report.head.journal, &report.head.audit]
        .into_iter()
        .chain(report.at_seen.iter().flat_map(|s| [&s.journal, &s.audit]));
    if points.into_iter().any(|p| !p.well_formed()) {
        return problem(
            ProblemCode::Validation,
            "a chain position needs a number of at least 0 and a hash of 64 lower-case hex digits",
        );
    }
    match crate::heads::report(&sim.db, &office, &workstation, &report).await {
        Err(e) => return db_failure(&e),
        Ok(crate::heads::Verdict::Accepted) => {}
        Ok(crate::heads::Verdict::Fork { seen }) => {
            sim.stat(|s| s.chain_forks += 1);
            return problem(
                ProblemCode::ChainFork,
                format!(
                    "the chains do not extend what this register saw from {office}/{workstation}: journal entry {} and audit row {} were {} and {}",
                    seen.journal.seq, seen.audit.seq, seen.journal.hash, seen.audit.hash
                ),
            );
        }
    }
    Json(ChainSeen {
        seen: Some(report.head),
    })
    .into_response()
}

/// Whether a clerk's account is active ([`seed::CLERKS`]; closed ones are
/// the simulator's `closed_clerks`, set through `/admin/faults`).
async fn clerk_account(State(sim): State<Arc<Sim>>, Path(clerk_id): Path<String>) -> Response {
    let closed = sim.faults().closed_clerks.contains(&clerk_id);
    match seed::CLERKS.iter().find(|c| c.clerk_id == clerk_id) {
        Some(c) if !closed => Json(ClerkAccount {
            clerk_id: c.clerk_id.into(),
            display_name: c.display_name.into(),
            role: c.role.into(),
        })
        .into_response(),
        _ => problem(
            ProblemCode::UnknownClerk,
            "no active clerk account with this id",
        ),
    }
}

/// The body of a request as JSON: 400 `bad_request` when it is not
/// declared as JSON or is not well-formed JSON.
fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<serde_json::Value, Box<Problem>> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !declared {
        return Err(Box::new(Problem::of(
            ProblemCode::BadRequest,
            "the body must be sent as Content-Type: application/json",
        )));
    }
    serde_json::from_slice(body).map_err(|e| {
        Box::new(Problem::of(
            ProblemCode::BadRequest,
            format!("the body is not well-formed JSON: {e}"),
        ))
    })
}

/// Reads well-formed JSON as the request it must be: a body of another
/// shape is 422 `validation` with one field error coded `json`.
fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, Box<Problem>> {
    serde_json::from_value(value).map_err(|e| {
        let mut p = Problem::of(
            ProblemCode::Validation,
            format!("the body is not a valid request: {e}"),
        );
        p.fields.push(FieldProblem {
            path: String::new(),
            code: "json".into(),
            message: e.to_string(),
        });
        Box::new(p)
    })
}

/// The body in canonical form (members sorted by name, no whitespace), so
/// that two bodies are the same request when they are the same JSON value.
fn canonical(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = members
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => {
            let inner: Vec<String> = a.iter().map(canonical).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

/// What a failing database means for the client: a busy one is a short
/// outage (503, retry), anything else an internal error (500, retry with
/// the same key: the transaction was rolled back).
fn db_failure(e: &sqlx::Error) -> Response {
    let busy = match e {
        sqlx::Error::Database(d) => matches!(d.code().as_deref(), Some("5" | "6" | "517")),
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    };
    if busy {
        with_retry_after(
            problem(ProblemCode::Unavailable, "the register is busy; retry"),
            1,
            None,
        )
    } else {
        problem(ProblemCode::Internal, format!("simulator database: {e}"))
    }
}

/// A problem as an answer, with its code's status.
fn answer(p: &Problem) -> Response {
    let status = p
        .kind()
        .and_then(|c| StatusCode::from_u16(c.status()).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(p)).into_response()
}

/// The dropped-response fault: the write committed, the client never hears.
/// Unwinding the connection's task closes its socket without an answer;
/// `resume_unwind` skips the panic hook, so nothing is printed.
#[derive(Debug)]
struct DropConnection;

/// Runs one idempotent write: replay, refuse a reused key, or apply it and
/// store the answer under its key in the same transaction. The order of the
/// checks is the contract's: a body that is not JSON (400) or a missing key
/// (422) is refused before the key is looked at, and not recorded.
async fn write(
    sim: &Arc<Sim>,
    path: &'static str,
    headers: &HeaderMap,
    body: &Bytes,
    decode_op: fn(serde_json::Value) -> Result<WriteOp, Box<Problem>>,
) -> Response {
    let value = match json_body(headers, body) {
        Ok(v) => v,
        Err(p) => return answer(&p),
    };
    let Some(key) = headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .filter(|k| valid_idempotency_key(k))
    else {
        return problem(
            ProblemCode::IdempotencyKeyMissing,
            "writes need an Idempotency-Key header of 1-200 visible ASCII characters",
        );
    };
    // The same request: the same endpoint and the same JSON value, whatever
    // the member order or whitespace (the key's scope is all endpoints).
    let hash = format!(
        "{:x}",
        Sha256::digest(format!("{path}\n{}", canonical(&value)).as_bytes())
    );
    // A body of the wrong shape is a final answer too: recorded and replayed.
    let op = decode_op(value).unwrap_or_else(WriteOp::Malformed);
    // The write runs to its end even if the client goes away meanwhile, as
    // on a real server: a request is never half-applied by a disconnect.
    let task = {
        let (sim, key) = (sim.clone(), key.to_owned());
        tokio::spawn(async move { store::apply_idempotent(&sim, &key, &hash, op).await })
    };
    let outcome = match task.await {
        Ok(o) => o,
        Err(e) => {
            return problem(ProblemCode::Internal, format!("write task failed: {e}"));
        }
    };
    let (status, value, replayed) = match outcome {
        Ok(o) => o,
        Err(e) => return db_failure(&e),
    };
    let faults = sim.faults();
    if !replayed && sim.roll(faults.drop_after_commit) {
        sim.stat(|s| s.dropped_after_commit += 1);
        std::panic::resume_unwind(Box::new(DropConnection));
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_success() && sim.roll(faults.malformed_rate) {
        sim.stat(|s| s.malformed_responses += 1);
        return (
            StatusCode::CREATED,
            [("content-type", "application/json")],
            "{\"status\": \"acc",
        )
            .into_response();
    }
    (status, Json(value)).into_response()
}

async fn submit_application(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    write(&sim, paths::APPLICATIONS, &headers, &body, |v| {
        decode(v).map(|r| WriteOp::Submit(Box::new(r)))
    })
    .await
}

async fn record_handover(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: Bytes) -> Response {
    write(&sim, paths::HANDOVERS, &headers, &body, |v| {
        decode(v).map(WriteOp::Handover)
    })
    .await
}

async fn invalidate_document(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    write(&sim, paths::INVALIDATIONS, &headers, &body, |v| {
        decode(v).map(WriteOp::Invalidate)
    })
    .await
}

async fn application_status(State(sim): State<Arc<Sim>>, Path(number): Path<String>) -> Response {
    match store::application_status(&sim.db, &number).await {
        Ok(Some(s)) => Json(s).into_response(),
        Ok(None) => problem(
            ProblemCode::UnknownApplication,
            format!("no application {number}"),
        ),
        Err(e) => db_failure(&e),
    }
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    cursor: Option<String>,
    limit: Option<u32>,
}

async fn ready_documents(
    State(sim): State<Arc<Sim>>,
    Path(office): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    // The cursor is the `ready_seq` of the last item served, in decimal as
    // the register writes it; anything else was not issued here and is
    // refused rather than read as "from the start", which would re-send the
    // whole list (the store refuses a number it never issued).
    let after: Option<i64> = match q.cursor.as_deref() {
        None => None,
        Some(c) => match c.parse::<i64>() {
            Ok(n) if n >= 0 && n.to_string() == c => Some(n),
            _ => {
                return problem(ProblemCode::BadRequest, "not a cursor this register issued");
            }
        },
    };
    let limit = match q.limit {
        None => 100,
        Some(n @ 1..=500) => n,
        Some(_) => return problem(ProblemCode::BadRequest, "limit must be 1 to 500"),
    };
    match store::ready_documents(&sim.db, &office, after, limit).await {
        Ok(store::ReadyPage::Page(page)) => {
            let served = u64::try_from(page.items.len()).unwrap_or(u64::MAX);
            sim.stat(|s| s.ready_items_served = s.ready_items_served.saturating_add(served));
            Json(page).into_response()
        }
        Ok(store::ReadyPage::UnknownOffice) => {
            problem(ProblemCode::UnknownOffice, format!("no office {office}"))
        }
        Ok(store::ReadyPage::UnknownCursor) => problem(
            ProblemCode::BadRequest,
            "not a cursor this register issued for this office",
        ),
        Err(e) => db_failure(&e),
    }
}

async fn person_documents(State(sim): State<Arc<Sim>>, Path(pesel): Path<String>) -> Response {
    match store::person_documents(&sim.db, &pesel).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => db_failure(&e),
    }
}

async fn get_faults(State(sim): State<Arc<Sim>>) -> Json<Faults> {
    Json(sim.faults())
}

/// Takes the JSON body whatever its content type, so a plain
/// `curl -d '{"outage": false}'` works.
async fn set_faults(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let patch: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return problem(ProblemCode::BadRequest, format!("not JSON: {e}"));
        }
    };
    let mut f = lock(&sim.faults);
    match f.merge(&patch) {
        Ok(()) => Json(f.clone()).into_response(),
        Err(e) => problem(ProblemCode::Validation, format!("not a fault setting: {e}")),
    }
}

async fn get_stats(State(sim): State<Arc<Sim>>) -> Json<Stats> {
    let mut s = lock(&sim.stats).clone();
    let t = lock(&sim.traffic);
    s.requests_per_second = t.per_second.clone();
    s.peak_requests_per_second = t.per_second.iter().copied().max().unwrap_or(0);
    Json(s)
}

async fn reset_stats(State(sim): State<Arc<Sim>>) -> StatusCode {
    *lock(&sim.stats) = Stats::default();
    lock(&sim.traffic).reset();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct Personalise {
    application_number: String,
}

/// Makes an accepted application's passport ready for collection.
async fn personalise(State(sim): State<Arc<Sim>>, Json(p): Json<Personalise>) -> Response {
    match store::personalise(&sim, &p.application_number).await {
        Ok(Some(doc)) => (StatusCode::CREATED, Json(doc)).into_response(),
        Ok(None) => problem(
            ProblemCode::UnknownApplication,
            format!("no accepted application {}", p.application_number),
        ),
        Err(e) => db_failure(&e),
    }
}

/// What the register accepted under an idempotency key, as it parsed it:
/// for tests that compare it with what the clerk entered.
async fn received(State(sim): State<Arc<Sim>>, Path(key): Path<String>) -> Response {
    match store::received(&sim, &key).await {
        Ok(Some((path, body))) => (
            StatusCode::OK,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            format!(
                "{{\"path\":{},\"body\":{body}}}",
                serde_json::Value::from(path)
            ),
        )
            .into_response(),
        Ok(None) => problem(
            ProblemCode::NotFound,
            format!("nothing was accepted under {key}"),
        ),
        Err(e) => db_failure(&e),
    }
}
