// Generated from the Rust types by passport-counter-core (ts-rs). Do not edit:
// UPDATE_BINDINGS=1 cargo test -p passport-counter-core --test bindings

export type Lang = "pl" | "en";

export type Message = { pl: string, en: string, };

export type FieldError = { 
/**
 * Dotted path of the field, e.g. `applicant.pesel`.
 */
path: string, 
/**
 * Stable code, e.g. `pesel.checksum`.
 */
code: string, message: Message, };

export type ApplicationDraft = { kind: string, 
/**
 * Temporary passport: the documented urgent reason.
 */
urgent_reason: string | null, 
/**
 * Temporary passport: validity in days (at most 365; default 365).
 */
validity_days: number | null, 
/**
 * Second passport: the justification, and the passport already held.
 */
second_passport_justification: string | null, existing_passport: string | null, 
/**
 * The passport held now, to be invalidated when the new one is collected.
 */
previous_passport: string | null, applicant: ApplicantDraft, 
/**
 * Path of the photo file (JPEG or PNG), as given; the bytes are checked separately.
 */
photo: string | null, 
/**
 * Whether the applicant is at the counter (a child under 5 need not be).
 */
applicant_present: boolean, guardians: Array<GuardianDraft>, consent: ConsentDraft | null, reduction: string | null, 
/**
 * Large Family Card number, when the applicant holds one.
 */
large_family_card: string | null, };

export type ApplicantDraft = { pesel: string, surname: string, given_names: string, 
/**
 * `YYYY-MM-DD`.
 */
birth_date: string, birth_place: string, 
/**
 * `F` or `M`.
 */
sex: string, 
/**
 * ISO 3166-1 alpha-3 (`POL`).
 */
citizenship: string, address: Address | null, contact: Contact | null, };

export type Address = { street: string | null, building: string, flat: string | null, postal_code: string, city: string, 
/**
 * ISO 3166-1 alpha-3; `POL` when omitted.
 */
country: string | null, };

export type Contact = { phone: string | null, email: string | null, };

export type GuardianDraft = { 
/**
 * `mother`, `father` or `legal_guardian`.
 */
role: string, pesel: string, surname: string, given_names: string, };

export type ConsentDraft = { 
/**
 * `other_parent_consent` (certified), `court_ruling`,
 * `other_parent_deceased`, `father_unknown`.
 */
basis: string, 
/**
 * The certified consent's, ruling's or death certificate's reference.
 */
reference: string | null, };

export type SyncState = "pending" | "in_flight" | "acknowledged" | "rejected" | "conflict" | "unsendable" | "local";

export type DecisionOutcome = "accept_refusal" | "corrected_elsewhere" | "escalated";

export type ApplicationStatus = "submitted" | "accepted" | "rejected" | "in_personalisation" | "ready_for_collection" | "handed_over" | "withdrawn" | "unclaimed";

export type DocumentState = "awaiting_collection" | "valid" | "invalidated";

export type InvalidationReason = "new_document_collected" | "reported_lost" | "reported_stolen" | "damaged" | "data_changed" | "holder_deceased" | "citizenship_lost" | "defective_personalisation" | "lost_in_transit" | "not_collected_in_time";

export type QueueStats = { 
/**
 * Entries not yet acknowledged nor finally refused (pending + in flight).
 */
depth: number, pending: number, in_flight: number, acknowledged: number, rejected: number, conflict: number, 
/**
 * Entries whose stored payload this release cannot read: never sent.
 */
unsendable: number, 
/**
 * Records kept at this counter only (decisions, overrides).
 */
local: number, 
/**
 * Device time of the oldest entry still in the queue.
 */
oldest_pending: string | null, oldest_pending_age_secs: number | null, 
/**
 * Last time the register answered this workstation (set by sync).
 */
last_register_contact: string | null, };

export type ApplicationSummary = { number: string, kind: string, pesel: string, surname: string, given_names: string, birth_date: string, status: ApplicationStatus, fee_grosz: number, created_at: string, sync_state: SyncState, register_reason: string | null, };

export type ApplicationDetail = { journal_id: string, journal_seq: number, attempts: number, last_error: string | null, photo_sha256: string, 
/**
 * Who took it.
 */
clerk_id: string, 
/**
 * The application as validated and journaled.
 */
data: Record<string, unknown>, number: string, kind: string, pesel: string, surname: string, given_names: string, birth_date: string, status: ApplicationStatus, fee_grosz: number, created_at: string, sync_state: SyncState, register_reason: string | null, };

export type KindStateCount = { kind: string, sync_state: SyncState, count: number, };

export type LocalDocument = { document_number: string, application_number: string | null, pesel: string, surname: string, given_names: string, mrz_line1: string | null, mrz_line2: string | null, 
/**
 * Waiting, handed over and in force, or invalidated (with the reason).
 */
status: DocumentState, invalidation_reason: InvalidationReason | null, 
/**
 * When the ready list last brought it.
 */
synced_at: string | null, };

export type IpcError = { 
/**
 * Stable, e.g. `auth.bad_credentials`, `validation`, `intake.pending_cap`.
 */
code: string, message: Message, 
/**
 * Field errors, each at its field (`applicant.pesel` …).
 */
fields: Array<FieldError>, };

export type Policy = { 
/**
 * Intake stops when this many actions wait for the register.
 */
max_pending: number, 
/**
 * Intake stops when the oldest waiting action is this many hours old.
 */
max_pending_age_hours: number, 
/**
 * Hand-over while the register is unreachable (provisional). Off by default.
 */
offline_handover: boolean, 
/**
 * Offline hand-over needs the ready list synced within this many hours.
 */
ready_list_max_age_hours: number, 
/**
 * The screen locks after this many minutes without input.
 */
auto_lock_minutes: number, 
/**
 * A clerk may log in offline for this many days after their last
 * online log-in at this counter.
 */
offline_login_days: number, 
/**
 * What the keyboard-wedge scanner sends before and after a code.
 */
scanner_prefix: string, scanner_suffix: string, 
/**
 * How often an idle counter checks that the register answers.
 */
health_probe_secs: number, 
/**
 * After an outage, wait a random time up to this before sending.
 */
recovery_window_secs: number, 
/**
 * The longest wait a register's `Retry-After` may impose on this
 * counter; a longer one is read as this.
 */
max_retry_after_secs: number, 
/**
 * A passport is handed over only after its chip check passed (BAC,
 * passive authentication, DG1 equal to the register's record). On by
 * default; the demo office, which usually has no reader, skips it.
 * Offline hand-over always needs it, whatever this says.
 */
chip_check_required: boolean, };

export type IntakeStop = "pending_cap" | "age_cap";

export type IntakeAllowance = { 
/**
 * More actions that may be saved before the pending cap.
 */
pending_left: number, max_pending: number, 
/**
 * When the age cap stops intake (RFC 3339), if anything is waiting.
 */
stops_at: string | null, 
/**
 * Set when intake is stopped now.
 */
stopped: IntakeStop | null, 
/**
 * A supervisor's override lets intake go on until this time.
 */
override_until: string | null, };

export type Role = "clerk" | "supervisor";

export type SessionView = { clerk_id: string, display_name: string, role: Role, 
/**
 * False when the log-in was checked against the cached verifier.
 */
verified_online: boolean, locked: boolean, auto_lock_minutes: number, };

export type Connection = "connecting" | "online" | "degraded" | "offline";

export type StatusSnapshot = { connection: Connection, 
/**
 * The register's last answer of any kind (a 503 included).
 */
last_contact: string | null, 
/**
 * The last exchange that showed a working register: the age the
 * status bar shows, online or offline ("last successful contact").
 */
last_success: string | null, 
/**
 * Since when the register has been unreachable, when it is.
 */
offline_since: string | null, queue: QueueStats, intake: IntakeAllowance | null, 
/**
 * When the ready list was last brought from the register.
 */
ready_list_synced_at: string | null, session: SessionView | null, office: string, workstation: string, demo: DemoInfo | null, };

export type DemoInfo = { 
/**
 * The embedded simulator (its `/admin/stats` shows what it stored).
 */
register_url: string, register_cut: boolean, 
/**
 * Accounts the simulator knows: `(clerk id, password, role)`.
 */
accounts: Array<[string, string, string]>, };

export type FeeView = { amount_grosz: number, 
/**
 * `140,00 zł`.
 */
display: string, description: Message, legal_basis: string, };

export type DraftCheck = { errors: Array<FieldError>, fee: FeeView | null, age: number | null, fingerprints_required: boolean, signature_required: boolean, 
/**
 * `10 years`, `5 years`, `365 days`.
 */
validity: Message | null, };

export type Submitted = { number: string, journal_id: string, fee: FeeView, 
/**
 * The register could not be reached when it was saved: it will be sent
 * automatically.
 */
saved_offline: boolean, };

export type ApplicationView = { detail: ApplicationDetail, 
/**
 * The photo as a `data:` URL for the preview.
 */
photo_data_url: string | null, };

export type OutboxItem = { id: string, seq: number, 
/**
 * `application_submitted`, `document_handed_over`, …
 */
kind: string, 
/**
 * The application or document the entry is about.
 */
record_key: string, device_time: string, sync_state: SyncState, attempts: number, last_error: string | null, register_reason: string | null, 
/**
 * Waits for this entry (refused or not yet sent).
 */
depends_on: string | null, clerk_id: string, 
/**
 * A supervisor's recorded decision on a refused entry.
 */
decision: Decision | null, };

export type OutboxView = { 
/**
 * Waiting or being sent, oldest first.
 */
queued: Array<OutboxItem>, 
/**
 * Refused by the register (rejected or conflict), oldest first.
 */
refused: Array<OutboxItem>, 
/**
 * The latest acknowledged, newest first.
 */
recent: Array<OutboxItem>, };

export type Collector = { "kind": "holder" } | { "kind": "parent", pesel: string, surname: string, given_names: string, } | { "kind": "legal_guardian", pesel: string, surname: string, given_names: string, };

export type HandoverRequest = { document_number: string, collector: Collector, 
/**
 * The identity document shown, e.g. `dowód osobisty ABC123456`.
 */
identity_document: string, 
/**
 * The holder's previous passport, invalidated by this hand-over.
 */
previous_passport: string | null, };

export type DocumentView = { document: LocalDocument, 
/**
 * The application, when it was taken at this counter.
 */
application: ApplicationSummary | null, holder_age: number | null, 
/**
 * Under 18: a parent or guardian collects it.
 */
holder_minor: boolean, ready_list_synced_at: string | null, };

export type HandoverSaved = { document_number: string, journal_id: string, 
/**
 * Recorded while the register was unreachable.
 */
provisional: boolean, };

export type Decision = { outcome: DecisionOutcome, note: string, supervisor: string, decided_at: string, };

export type DecisionInput = { entry_id: string, outcome: DecisionOutcome, note: string, };

export type OfflinePeriod = { from: string, to: string, };

export type DaySummary = { date: string, counts: Array<KindStateCount>, 
/**
 * Still waiting for the register (any day).
 */
pending: number, refused: number, 
/**
 * Refused entries without a supervisor's decision.
 */
undecided: number, offline_periods: Array<OfflinePeriod>, };

export type Progress = { 
/**
 * `idle`, `starting`, `sending`, `waiting`, `offline`, `done`.
 */
phase: string, done: number, total: number, 
/**
 * Entries a second over the drain so far.
 */
rate_per_sec: number, eta_secs: number | null, last_error: string | null, };

export type DocumentRef = { "kind": "receipt", number: string, } | { "kind": "handover", document_number: string, } | { "kind": "day", date: string | null, };

export type Printout = { pdf_path: string, 
/**
 * The first page as a PNG `data:` URL, when poppler's `pdftoppm` is there.
 */
preview_png: string | null, 
/**
 * The print job, when it was sent to a printer (`lp`'s request id).
 */
job: string | null, };

export type CardService = { 
/**
 * pcscd (or the Windows smart-card service) answers.
 */
running: boolean, readers: Array<Reader>, };

export type Reader = { name: string, card_present: boolean, 
/**
 * The card's answer to reset, hex, when a card is present.
 */
atr: string | null, };

export type ChipReport = { outcome: Outcome, 
/**
 * Whether the chip could be read at all (exit 3 when not).
 */
readable: boolean, 
/**
 * A failure worth retrying as is (the passport was lifted off the
 * reader, no card yet): put it back and check again.
 */
retryable: boolean, 
/**
 * Why it could not be read, when it could not.
 */
error: Message | null, mrz: MrzFields | null, data_groups_listed: Array<number>, data_groups_read: Array<number>, checks: Array<CheckResult>, 
/**
 * DG2's first face image (left out of `counterctl`'s JSON).
 */
face: FaceImage | null, traffic: Traffic, millis: number, };

export type CheckResult = { check: Check, passed: boolean, 
/**
 * What was found, in the clerk's language.
 */
detail: Message, };

export type Check = "access" | "data_groups" | "structure" | "hashes" | "signature" | "chain" | "validity" | "mrz";

export type Outcome = "passed" | "unreadable" | "wrong_access_key" | "data_group_missing" | "hash_mismatch" | "bad_signature" | "unknown_csca" | "certificate_expired" | "mrz_mismatch" | "unsupported_algorithm" | "malformed_data";

export type MrzFields = { line1: string, line2: string, document_number: string, issuing_state: string, surname: string, given_names: string, nationality: string, 
/**
 * YYMMDD.
 */
birth: string, sex: string, 
/**
 * YYMMDD.
 */
expiry: string, };

export type FaceImage = { format: ImageFormat, width: number, height: number, 
/**
 * The image, base64 (JPEG shows in the app; JPEG 2000 does not).
 */
base64: string, };

export type Traffic = { apdus: number, bytes_sent: number, bytes_received: number, };

export type ImageFormat = "jpeg" | "jpeg2000" | "unknown";

export type ChipCheckView = { document_number: string, report: ChipReport, 
/**
 * The verdict in words.
 */
verdict: Message, 
/**
 * The chip check allows the hand-over (it passed).
 */
passed: boolean, };

