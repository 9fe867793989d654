//! The core's one error type, and the form the UI receives it in.
//!
//! [`IpcError`] is what crosses to the screens: a stable `code` the UI and
//! tests match on, the message in Polish and English, and, for bad input,
//! every field error with its path so the form can show each at its field.

use crate::config::ConfigError;
use crate::policy::IntakeStop;
use passport_domain::{FieldError, Message, ValidationErrors};
use passport_journal::JournalError;
use passport_register_client::CallError;
use passport_sync::SyncError;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("nobody is logged in")]
    NotLoggedIn,
    #[error("the screen is locked")]
    Locked,
    #[error("this needs a supervisor")]
    NotSupervisor,
    #[error("wrong clerk id or password")]
    BadCredentials,
    /// Too many failed log-ins of this clerk (see `throttle.rs`): refused
    /// unchecked until `wait` has passed.
    #[error("too many failed log-ins for {clerk_id}; try again in {wait:?}")]
    LoginThrottled {
        clerk_id: String,
        wait: std::time::Duration,
    },
    #[error("this clerk has never logged in online at this counter")]
    NeverOnline,
    /// The cached offline credential or card binding did not match its
    /// MAC (edited, or copied from another clerk or counter): refused,
    /// recorded, and removed (`session.rs`).
    #[error(transparent)]
    CredentialRefused(passport_journal::CredentialRefusal),
    #[error("the input is not valid: {0}")]
    Invalid(ValidationErrors),
    #[error("intake is stopped by the offline policy ({0:?})")]
    Intake(IntakeStop),
    #[error("offline hand-over is not allowed: {0:?}")]
    OfflineHandover(crate::policy::OfflineHandoverStop),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("document {number} cannot be handed over: it is {status:?}")]
    NotReady {
        number: String,
        status: passport_domain::DocumentState,
    },
    #[error("this is only available in demo mode")]
    NotDemo,
    #[error("the chip check has not passed for {number}")]
    ChipCheckRequired { number: String, offline: bool },
    #[error("the chip check failed for {number}: {outcome}")]
    ChipCheckFailed {
        number: String,
        outcome: &'static str,
    },
    #[error("the ready list has no MRZ for {0}: the chip cannot be opened")]
    NoMrz(String),
    #[error("the CSCA trust store: {0}")]
    TrustStore(String),
    #[error("clerk card: {0}")]
    Card(#[from] passport_cards::clerk::ClerkCardError),
    #[error("fingerprint device: {0}")]
    Biometrics(#[from] crate::biometrics::BiometricsError),
    #[error("this clerk card is not tied to an account at this counter")]
    CardNotBound,
    #[error("this clerk card is tied to another clerk")]
    CardBoundElsewhere,
    #[error("the counter was locked by another clerk")]
    CardOtherClerk,
    #[error("the register says this clerk account is closed")]
    AccountClosed,
    /// The register knows no open account with this identifier.
    #[error("the register knows no open clerk account {0}")]
    UnknownAccount(String),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("the register: {0}")]
    Register(#[from] CallError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Print(#[from] crate::print::PrintError),
    #[error("{0}")]
    Internal(String),
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct IpcError {
    /// Stable, e.g. `auth.bad_credentials`, `validation`, `intake.pending_cap`.
    pub code: String,
    pub message: Message,
    /// Field errors, each at its field (`applicant.pesel` …).
    pub fields: Vec<FieldError>,
}

impl IpcError {
    fn new(code: &str, pl: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: Message::new(pl, en),
            fields: Vec::new(),
        }
    }
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        use CoreError as E;
        match e {
            E::NotLoggedIn => Self::new("auth.required", "Zaloguj się.", "Please log in."),
            E::Locked => Self::new(
                "auth.locked",
                "Ekran zablokowany: podaj hasło, aby kontynuować.",
                "The screen is locked: enter your password to go on.",
            ),
            E::NotSupervisor => Self::new(
                "auth.supervisor_required",
                "To wymaga uprawnień kierownika.",
                "This needs a supervisor.",
            ),
            E::BadCredentials => Self::new(
                "auth.bad_credentials",
                "Nieprawidłowy identyfikator lub hasło.",
                "Wrong clerk id or password.",
            ),
            E::LoginThrottled { clerk_id, wait } => {
                let when = crate::throttle::retry_in(wait);
                Self::new(
                    "auth.throttled",
                    format!(
                        "Zbyt wiele nieudanych prób logowania na konto {clerk_id}. Następną próbę można podjąć {}. Każda próba jest zapisywana na tym stanowisku.",
                        when.pl
                    ),
                    format!(
                        "Too many failed log-ins for {clerk_id}. The next attempt is possible {}. Every attempt is recorded at this counter.",
                        when.en
                    ),
                )
            }
            E::CredentialRefused(_) | E::Journal(JournalError::CredentialRefused(_)) => Self::new(
                "auth.credential_refused",
                "Zapisane na tym stanowisku dane logowania bez rejestru zostały zmienione poza programem albo skopiowane z innego konta lub stanowiska. Logowanie odrzucono i zapisano; dane usunięto. Zaloguj się, gdy rejestr będzie dostępny, i zgłoś to kierownikowi.",
                "The offline log-in data kept at this counter were changed outside the program or copied from another account or counter. The log-in was refused and recorded; the data were removed. Log in when the register answers, and tell the supervisor.",
            ),
            E::NeverOnline => Self::new(
                "auth.never_online",
                "Rejestr jest niedostępny, a to konto nie logowało się na tym stanowisku online (albo zbyt dawno). Zaloguj się, gdy rejestr będzie dostępny.",
                "The register is unreachable and this account has not logged in online at this counter (or too long ago). Log in when the register answers.",
            ),
            E::Invalid(errors) => Self {
                code: "validation".into(),
                message: Message::new(
                    format!("Popraw zaznaczone pola ({}).", errors.len()),
                    format!("Correct the marked fields ({}).", errors.len()),
                ),
                fields: errors.0,
            },
            E::Intake(IntakeStop::PendingCap) => Self::new(
                "intake.pending_cap",
                "Przyjmowanie wniosków wstrzymane: zbyt wiele operacji czeka na rejestr. Kierownik może zatwierdzić wyjątek.",
                "Intake is stopped: too many actions are waiting for the register. A supervisor may approve an override.",
            ),
            E::Intake(IntakeStop::AgeCap) => Self::new(
                "intake.age_cap",
                "Przyjmowanie wniosków wstrzymane: najstarsza operacja czeka na rejestr zbyt długo. Kierownik może zatwierdzić wyjątek.",
                "Intake is stopped: the oldest action has waited for the register too long. A supervisor may approve an override.",
            ),
            E::OfflineHandover(stop) => Self {
                code: "handover.offline_not_allowed".into(),
                message: stop.words(),
                fields: Vec::new(),
            },
            E::NotFound(what) => Self::new(
                "not_found",
                format!("Nie znaleziono: {what}."),
                format!("Not found: {what}."),
            ),
            E::NotReady { number, status } => {
                use passport_domain::DocumentState as S;
                let (pl, en) = match status {
                    S::AwaitingCollection => ("czeka na odbiór", "waiting for collection"),
                    S::Valid => ("został już wydany", "already handed over"),
                    S::Invalidated => ("jest unieważniony", "invalidated"),
                };
                Self::new(
                    "handover.not_ready",
                    format!("Dokumentu {number} nie można wydać: {pl}."),
                    format!("Document {number} cannot be handed over: {en}."),
                )
            }
            E::ChipCheckRequired {
                number,
                offline: true,
            } => Self::new(
                "handover.chip_required_offline",
                format!(
                    "Bez połączenia z rejestrem dokument {number} można wydać tylko po pozytywnej weryfikacji układu (chipu)."
                ),
                format!(
                    "Without the register, {number} can only be handed over after its chip check passed."
                ),
            ),
            E::ChipCheckRequired {
                number,
                offline: false,
            } => Self::new(
                "handover.chip_required",
                format!(
                    "Najpierw sprawdź układ (chip) dokumentu {number}: połóż paszport na czytniku i naciśnij „Sprawdź chip” (Alt+C)."
                ),
                format!(
                    "Check the chip of {number} first: put the passport on the reader and press \"Check chip\" (Alt+C)."
                ),
            ),
            E::ChipCheckFailed { number, outcome } => {
                let (pl, en) = passport_cards::Outcome::from_code(outcome)
                    .map(passport_cards::Outcome::words)
                    .unwrap_or((outcome, outcome));
                Self::new(
                    "handover.chip_failed",
                    format!(
                        "Dokumentu {number} nie można wydać — weryfikacja układu: {pl}. Zatrzymaj dokument i zgłoś to kierownikowi (reklamacja dokumentu)."
                    ),
                    format!(
                        "{number} cannot be handed over — chip check {en}. Keep the document and tell a supervisor (it goes back as defective)."
                    ),
                )
            }
            E::NoMrz(number) => Self::new(
                "chip.no_mrz",
                format!(
                    "Lista dokumentów gotowych nie ma strefy MRZ dla {number}: nie można otworzyć układu."
                ),
                format!("The ready list has no MRZ for {number}: the chip cannot be opened."),
            ),
            E::Card(e) => {
                use passport_cards::clerk::ClerkCardError as C;
                let code = match e {
                    C::WrongPin { .. } => "card.wrong_pin",
                    C::Blocked => "card.blocked",
                    C::BadPin => "card.bad_pin",
                    C::NotAClerkCard => "card.not_a_clerk_card",
                    C::BadSignature => "card.bad_signature",
                    C::BadCardId => "card.bad_id",
                    C::Transport(_) | C::Card(_) => "card.unreadable",
                };
                let words = e.words();
                Self::new(code, words.pl, words.en)
            }
            E::Biometrics(e) => e.ipc(),
            E::CardNotBound => Self::new(
                "card.not_bound",
                "Ta karta nie jest powiązana z kontem na tym stanowisku: zaloguj się hasłem i powiąż kartę.",
                "This card is not tied to an account at this counter: log in with your password and tie the card.",
            ),
            E::CardBoundElsewhere => Self::new(
                "card.bound_elsewhere",
                "Ta karta jest powiązana z innym urzędnikiem. Zgłoś to kierownikowi.",
                "This card is tied to another clerk. Tell a supervisor.",
            ),
            E::CardOtherClerk => Self::new(
                "card.other_clerk",
                "Stanowisko zablokował inny urzędnik: odblokować może tylko on albo wyloguj go.",
                "Another clerk locked this counter: only they can unlock it, or log them out.",
            ),
            E::UnknownAccount(id) => Self::new(
                "auth.unknown_account",
                format!(
                    "Rejestr nie zna otwartego konta urzędnika „{id}”. Sprawdź identyfikator albo zgłoś się do kierownika."
                ),
                format!(
                    "The register knows no open clerk account \"{id}\". Check the identifier or ask a supervisor."
                ),
            ),
            E::AccountClosed => Self::new(
                "auth.account_closed",
                "Rejestr podaje, że to konto urzędnika jest zamknięte. Karta przestała działać na tym stanowisku.",
                "The register says this clerk account is closed. The card no longer works at this counter.",
            ),
            E::TrustStore(why) => Self::new(
                "chip.trust_store",
                format!(
                    "Nie można wczytać zaufanych certyfikatów CSCA ({why}). Zgłoś to informatykowi."
                ),
                format!("The trusted CSCA certificates cannot be loaded ({why}). Tell office IT."),
            ),
            E::NotDemo => Self::new(
                "demo.only",
                "Dostępne tylko w trybie demonstracyjnym.",
                "Only available in demo mode.",
            ),
            E::Journal(JournalError::Invalid(errors)) => Self::from(E::Invalid(errors)),
            E::Journal(JournalError::NotFound(what)) => Self::from(E::NotFound(what)),
            E::Journal(JournalError::NotSaved { path, why }) => {
                let pl = match why {
                    passport_journal::NotSavedWhy::DiskFull => "dysk jest pełny",
                    passport_journal::NotSavedWhy::ReadOnly => {
                        "plik bazy danych lub jego folder jest tylko do odczytu"
                    }
                    passport_journal::NotSavedWhy::Io => "nie można zapisać na dysk",
                };
                Self::new(
                    "journal.not_saved",
                    format!(
                        "NIE ZAPISANO: {pl} ({path}). Czynność nie została zapisana ani wysłana; dane na ekranie zostają. Zgłoś to informatykowi."
                    ),
                    format!(
                        "NOT SAVED: {why} ({path}). The action was neither saved nor sent; what is on the screen stays. Tell office IT."
                    ),
                )
            }
            E::Journal(JournalError::Draft(d)) => draft_error(d),
            E::Journal(e) => Self::new(
                "journal",
                format!("Błąd lokalnej bazy danych: {e}. Zgłoś to informatykowi."),
                format!("Local database error: {e}. Tell office IT."),
            ),
            // In words from the shared table, never the client's English.
            E::Register(e) => match crate::words::words() {
                Ok(w) => {
                    let said = w.call_error(&e);
                    Self::new(
                        "register",
                        format!("Rejestr: {}.", said.pl),
                        format!("The register: {}.", said.en),
                    )
                }
                Err(_) => Self::new(
                    "register",
                    format!("Rejestr: {e}"),
                    format!("The register: {e}"),
                ),
            },
            E::Sync(SyncError::Register(e)) => Self::from(E::Register(e)),
            E::Sync(e) => Self::new("sync", format!("Synchronizacja: {e}"), format!("Sync: {e}")),
            E::Config(e) => Self::new(
                "config",
                format!("Konfiguracja: {e}"),
                format!("Configuration: {e}"),
            ),
            E::Print(crate::print::PrintError::NoPrintingSystem(why)) => Self::new(
                "print.no_printing_system",
                format!(
                    "Brak systemu drukowania na tym komputerze ({why}). Dokument zapisano; można go wydrukować później."
                ),
                format!(
                    "No printing system on this computer ({why}). The document was saved; it can be printed later."
                ),
            ),
            E::Print(crate::print::PrintError::Printer(why)) => Self::new(
                "print.printer",
                format!(
                    "Drukarka nie przyjęła dokumentu: {why}. Sprawdź, czy jest włączona i podłączona; dokument można wydrukować ponownie."
                ),
                format!(
                    "The printer did not take the document: {why}. Check that it is on and connected; the document can be printed again."
                ),
            ),
            E::Print(e) => {
                let said = e.words();
                Self::new(
                    "print",
                    format!("Nie udało się przygotować dokumentu: {}.", said.pl),
                    format!("The document could not be made: {}.", said.en),
                )
            }
            E::Internal(e) => Self::new(
                "internal",
                format!("Błąd wewnętrzny: {e}"),
                format!("Internal error: {e}"),
            ),
        }
    }
}

/// A kept form that cannot be read or kept, said to the clerk.
fn draft_error(e: passport_journal::DraftError) -> IpcError {
    use passport_journal::DraftError as D;
    match e {
        D::Unreadable {
            kind,
            updated_at,
            reason,
            ..
        } => {
            let (pl, en) = match kind {
                "handover" => ("wydania dokumentu", "hand-over"),
                _ => ("nowego wniosku", "new application"),
            };
            let at = chrono::DateTime::parse_from_rfc3339(&updated_at).map_or(updated_at, |t| {
                t.with_timezone(&chrono::Local)
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            });
            IpcError::new(
                "draft.unreadable",
                format!(
                    "Zachowanego formularza {pl} (z {at}) nie można odczytać. Formularz pozostaje zapisany na stanowisku; zgłoś to informatykowi (szczegóły techniczne: {reason}). Możesz go odrzucić i zacząć od nowa."
                ),
                format!(
                    "The {en} form kept at {at} cannot be read. It stays stored at this counter; tell office IT (technical details: {reason}). You may discard it and start again."
                ),
            )
        }
        D::TooLarge { size, limit } => IpcError::new(
            "draft.too_large",
            format!(
                "Formularz jest za duży, aby go zachować ({} KiB, najwyżej {} KiB); zachowana jest jego wcześniejsza wersja.",
                size / 1024,
                limit / 1024
            ),
            format!(
                "The form is too large to keep ({} KiB, at most {} KiB); its earlier version is kept.",
                size / 1024,
                limit / 1024
            ),
        ),
        D::PhotoTooLarge { .. } => IpcError::new(
            "draft.photo_too_large",
            "Plik zdjęcia jest za duży.",
            "The photo file is too large.",
        ),
    }
}
