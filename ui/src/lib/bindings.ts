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
chip_check_required: boolean, 
/**
 * Online, how long a hand-over waits for the register's answer before
 * the screen says "being sent" and follows it live (seconds).
 */
handover_wait_secs: number, };

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

export type ChannelState = "not_enrolled" | "certificate_expired" | "certificate_not_yet_valid" | "certificate_revoked" | "certificate_refused" | "register_untrusted";

export type StatusSnapshot = { connection: Connection, 
/**
 * What is wrong with the channel to the register, when something is
 * (a certificate expired, revoked, …): the connection is then offline
 * and this says why.
 */
channel: ChannelState | null, 
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
ready_list_synced_at: string | null, session: SessionView | null, office: string, workstation: string, demo: DemoInfo | null, 
/**
 * Refusals no supervisor has decided on yet, newest first: each stays
 * until someone acts (`notices.rs`).
 */
notices: Array<Notice>, 
/**
 * The register refused this workstation's history as a fork: nothing
 * is sent until it accepts the chain heads again (`notices.rs`).
 */
chain_fork: ChainForkNotice | null, };

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
 * The entry kind as stored (`submit_application`, `record_handover`,
 * …); screens show its words from `words.json`.
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
 * The person the entry is about (applicant or holder), when known here.
 */
person: string | null, 
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

export type Collector = { "kind": "holder" } | { "kind": "parent", pesel: string, surname: string, given_names: string, } | { "kind": "legal_guardian", pesel: string, surname: string, given_names: string, 
/**
 * The court ruling's reference (sygnatura akt): required for the
 * guardian of an adult under full guardianship.
 */
court_ruling: string | null, };

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
holder_minor: boolean, ready_list_synced_at: string | null, 
/**
 * The parents and guardians named on the application (empty when the
 * application was taken elsewhere, or for an adult).
 */
guardians: Array<GuardianChoice>, 
/**
 * Whether the application is known here, so a collector can be
 * checked against it.
 */
guardians_known: boolean, 
/**
 * The policy's verdict, known before the form is filled.
 */
verdict: HandoverVerdict, 
/**
 * What the register says about this document now, asked on opening
 * (another counter may have handed it over since the ready list).
 */
register: RegisterCheck, };

export type HandoverSaved = { document_number: string, journal_id: string, 
/**
 * Recorded while the register was unreachable.
 */
provisional: boolean, 
/**
 * The register's answer, as far as it came within the wait.
 */
outcome: HandoverOutcome, };

export type GuardianChoice = { role: GuardianKind, pesel: string, surname: string, given_names: string, };

export type GuardianKind = "mother" | "father" | "legal_guardian";

export type HandoverVerdict = { "verdict": "online" } | { "verdict": "provisional", chip_passed: boolean, } | { "verdict": "forbidden", stop: OfflineHandoverStop, why: Message, };

export type RegisterCheck = { "state": "awaiting" } | { "state": "handed_over" } | { "state": "invalidated" } | { "state": "unknown" } | { "state": "not_checked" };

export type OfflineHandoverStop = "switched_off" | "ready_list_stale";

export type HandoverOutcome = { "state": "issued" } | { "state": "refused", refusal: Refusal, } | { "state": "queued" } | { "state": "waiting" };

export type Refusal = { 
/**
 * The register's code; `None` for one this release does not know
 * (`register_text` then says what the register said).
 */
code: ProblemCode | null, 
/**
 * The register's records disagree with this counter's (rather than
 * the request being at fault).
 */
conflict: boolean, 
/**
 * What happened.
 */
what: Message, 
/**
 * What to do now.
 */
todo: Message, 
/**
 * The register's own answer, word for word, for office IT.
 */
register_text: string, };

export type ProblemCode = "bad_request" | "payload_too_large" | "validation" | "idempotency_key_missing" | "idempotency_key_reused" | "unknown_office" | "unknown_document" | "document_already_issued" | "document_invalidated" | "application_number_taken" | "not_ready_here" | "unknown_application" | "unknown_clerk" | "invalid_credentials" | "not_found" | "method_not_allowed" | "overloaded" | "unavailable" | "internal" | "chain_fork";

export type Notice = { 
/**
 * The journal entry refused (what a supervisor's decision names).
 */
entry_id: string, subject: NoticeSubject, 
/**
 * The document or application number.
 */
number: string, refusal: Refusal, 
/**
 * When the refusal was recorded (RFC 3339).
 */
since: string, };

export type ChainForkNotice = { 
/**
 * What happened.
 */
what: Message, 
/**
 * What the supervisor does now.
 */
todo: Message, 
/**
 * The register's own answer, word for word, for office IT.
 */
register_text: string, 
/**
 * The first refusal (RFC 3339).
 */
since: string, 
/**
 * The latest refusal (RFC 3339).
 */
last_refused_at: string, 
/**
 * Sync rounds refused since the first.
 */
refusals: number, };

export type NoticeSubject = "application" | "handover" | "invalidation" | "other";

export type Decision = { outcome: DecisionOutcome, note: string, 
/**
 * The supervisor's clerk id.
 */
supervisor: string, 
/**
 * Their name, as screens and printouts show it.
 */
supervisor_name: string, decided_at: string, };

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

export type Printout = { 
/**
 * Every page (up to [`PREVIEW_PAGES`]) as a PNG `data:` URL at a
 * resolution a person can read full-width; empty when poppler's
 * `pdftoppm` is not installed (the screen then says so).
 */
preview_pages: Array<string>, 
/**
 * How many pages the document has.
 */
page_count: number, 
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

export type DraftKind = "application" | "handover";

export type FormKind = "passport" | "temporary" | "second";

export type GuardianFormDraft = { role: string, pesel: string, surname: string, given_names: string, };

export type ApplicationFormDraft = { kind: FormKind, urgent_reason: string, validity_days: string, second_passport_justification: string, existing_passport: string, previous_passport: string, pesel: string, surname: string, given_names: string, 
/**
 * As typed, `dd.mm.rrrr` (or part of it).
 */
birth_date: string, birth_place: string, sex: string, citizenship: string, street: string, building: string, flat: string, postal_code: string, city: string, phone: string, email: string, applicant_present: boolean, guardians: Array<GuardianFormDraft>, consent_basis: string, consent_reference: string, reduction: string, large_family_card: string, 
/**
 * The chosen photo's file name; the photo itself is kept beside the
 * body ([`DraftPhoto`]).
 */
photo_name: string, 
/**
 * The biometrics step as left: fingers taken (each PNG within the
 * domain's cap, two of them far below [`DRAFT_MAX_BYTES`]), exceptions,
 * the signature's strokes and the image drawn from them. A draft kept
 * by a release before the step has no such field: read as nothing
 * taken yet, which is what it was (additive, so those drafts still
 * read back).
 */
biometrics: BiometricsDraft, 
/**
 * The biometrics step's work in progress: the captures made of each
 * finger (so a lock, a screen switch or a restart gives no fresh
 * retakes) and a signature drawn but not yet accepted (so a restart or
 * a crash does not make the applicant sign again). A draft kept by an
 * earlier release has none, which means nothing in progress.
 */
biometrics_progress: BiometricsProgress | null, };

export type BiometricsProgress = { 
/**
 * Captures made of each finger so far; a finger not listed has had
 * none. One entry a finger.
 */
attempts: Array<FingerAttempts>, 
/**
 * The office's threshold and retakes as the last capture gave them
 * (none before the first capture): the screen says how many retakes
 * are left after a restart, before the next capture.
 */
policy: RetakePolicy | null, 
/**
 * The strokes on the pad before "Zatwierdź podpis".
 */
drawn_signature: DrawnSignatureDraft | null, };

export type FingerAttempts = { position: FingerPosition, attempts: number, };

export type RetakePolicy = { threshold: number, retries: number, };

export type DrawnSignatureDraft = { width: number, height: number, strokes: Array<Array<StrokePoint>>, pressures: Array<Array<number>>, };

export type CollectorKindDraft = "holder" | "parent" | "legal_guardian";

export type HandoverFormDraft = { 
/**
 * The scanned or typed document number.
 */
document_number: string, collector_kind: CollectorKindDraft, collector_pesel: string, collector_surname: string, collector_given_names: string, identity_document: string, previous_passport: string, 
/**
 * The court ruling of an adult's legal guardian.
 */
court_ruling_reference: string, };

export type PhotoMime = "image/jpeg" | "image/png";

export type DraftSave = { "application": ApplicationDraftSave } | { "handover": HandoverFormDraft };

export type ApplicationDraftSave = { form: ApplicationFormDraft, photo: DraftPhotoChange, };

export type DraftPhotoChange = "keep" | "remove" | { "set": DraftPhotoView };

export type DraftPhotoView = { mime: PhotoMime, base64: string, };

export type DraftView = { "kind": "application", form: ApplicationFormDraft, photo: DraftPhotoView | null, 
/**
 * When it was last kept (RFC 3339).
 */
updated_at: string, } | { "kind": "handover", form: HandoverFormDraft, updated_at: string, };

export type ScannerDevice = { 
/**
 * SANE's device name (`test:0`, `airscan:e0:Canon …`): what a scan names.
 */
name: string, vendor: string, model: string, 
/**
 * `flatbed scanner`, `virtual device` …
 */
kind: string, };

export type CropFrame = { x_mm: number, y_mm: number, width_mm: number, };

export type ScanView = { 
/**
 * A PNG, at most [`PREVIEW_HEIGHT`] high, in base64.
 */
preview_base64: string, width_mm: number, height_mm: number, dpi: number, 
/**
 * 35×45 mm at the top-left corner, where the photo is laid.
 */
frame: CropFrame, };

export type ScannedPhoto = { 
/**
 * A PNG in base64.
 */
base64: string, width: number, height: number, };

export type StrokePoint = { x: number, y: number, t_ms: number, };

export type SignatureDraft = { "kind": "signed" } & SignedDraft | { "kind": "image" } & SignatureImageDraft | { "kind": "cannot_sign" } & CannotSignDraft;

export type SignedDraft = { 
/**
 * The pad's size in pixels; every point lies on it.
 */
width: number, height: number, strokes: Array<Array<StrokePoint>>, 
/**
 * The rendered image, PNG in base64.
 */
png_base64: string, };

export type SignatureImageDraft = { 
/**
 * PNG in base64.
 */
png_base64: string, };

export type CannotSignDraft = { reason: string, };

export type FingerPosition = "Left Thumb" | "Left IndexFinger" | "Left MiddleFinger" | "Left RingFinger" | "Left LittleFinger" | "Right Thumb" | "Right IndexFinger" | "Right MiddleFinger" | "Right RingFinger" | "Right LittleFinger";

export type FingerCaptureDraft = { position: FingerPosition, 
/**
 * 0–100.
 */
quality: number, 
/**
 * The PNG file in base64.
 */
png_base64: string, };

export type FingerExceptionKind = "missing" | "temporarily_impossible";

export type FingerExceptionDraft = { position: FingerPosition, reason: FingerExceptionKind, 
/**
 * The confirming supervisor's clerk id (temporarily impossible only).
 */
supervisor: string | null, 
/**
 * The supervisor's confirmation, given with their password at the
 * counter (temporarily impossible only). Sealed by the core; the
 * domain only asks that it is there. A draft kept before confirmations
 * existed has none, which is what it was: not confirmed.
 */
confirmation: SupervisorConfirmation | null, };

export type SupervisorConfirmation = { 
/**
 * RFC 3339, UTC.
 */
confirmed_at: string, 
/**
 * The PESEL it was confirmed for, as typed then (the seal covers it):
 * the window shows at once that a PESEL changed since needs the
 * supervisor again.
 */
pesel: string, 
/**
 * 64 hexadecimal digits.
 */
seal: string, };

export type FingerExceptionConfirm = { position: FingerPosition, 
/**
 * The supervisor's clerk id.
 */
supervisor: string, password: string, 
/**
 * The applicant's PESEL as typed in the form (may be empty).
 */
pesel: string, };

export type BiometricsDraft = { fingers: Array<FingerCaptureDraft>, finger_exceptions: Array<FingerExceptionDraft>, signature: SignatureDraft | null, };

export type BiometricState = "ready" | "busy" | "not_ready" | "untrusted" | "gone";

export type BiometricDevice = { port: number, serial: string, make: string, model: string, state: BiometricState, spec_version: string, };

export type BiometricDevices = { devices: Array<BiometricDevice>, 
/**
 * The ports searched, for "no device on 4501–4600".
 */
first_port: number, last_port: number, };

export type FingerCaptureView = { 
/**
 * What the application takes (position, quality, PNG in base64).
 */
capture: FingerCaptureDraft, width: number, height: number, 
/**
 * The office's threshold and retakes: the screen counts attempts.
 */
threshold: number, retries: number, meets_threshold: boolean, device_serial: string, port: number, };

export type PreviewFrame = { finger: FingerPosition, port: number, 
/**
 * `data:image/jpeg;base64,…`
 */
data_url: string, width: number, height: number, };

export type PreviewEnd = "stopped" | "finished" | "stalled" | "gone" | "busy" | "not_offered" | "bad_frame" | "no_device";

export type PreviewEvent = { "kind": "frame" } & PreviewFrame | { "kind": "ended", finger: FingerPosition, end: PreviewEnd, };

