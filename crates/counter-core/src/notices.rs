//! Refusals someone must act on. Whatever the register refuses — at once,
//! while the hand-over screen waits, or later, from the background sync
//! after an offline period — stays a notice in the status bar until a
//! supervisor records a decision on it (`decide`).
//!
//! Why a supervisor and not the clerk's acknowledgement: a refusal here
//! means the register's records and the counter's disagree (a passport
//! handed over at two counters, a document invalidated meanwhile, data the
//! register would not take). The clerk can do nothing about it but call
//! the supervisor; the domain's rule is that a provisional hand-over the
//! register later disputes is surfaced to a supervisor, and a supervisor's
//! decision is already a chained, signed-for record (`decisions`). A clerk
//! clicking "seen" would make the notice disappear while nothing was done.
//!
//! Notices are derived from the journal and its `decisions` table on each
//! status snapshot: nothing extra is stored, so they survive a restart and
//! cannot disagree with the journal.

use crate::Counter;
use crate::error::CoreError;
use passport_domain::Message;
use passport_journal::{EntryKind, OpenRefusal, SyncState};
use passport_register_contract::ProblemCode;
use serde::{Deserialize, Serialize};

/// The most notices the status carries (newest first); more is a day for
/// the supervisor's screen, not the status bar.
const MAX_NOTICES: u32 = 50;

/// What a refused entry was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeSubject {
    Application,
    Handover,
    Invalidation,
    /// An entry kind this release does not know.
    Other,
}

/// The register's refusal of one entry, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Refusal {
    /// The register's code; `None` for one this release does not know
    /// (`register_text` then says what the register said).
    pub code: Option<ProblemCode>,
    /// The register's records disagree with this counter's (rather than
    /// the request being at fault).
    pub conflict: bool,
    /// What happened.
    pub what: Message,
    /// What to do now.
    pub todo: Message,
    /// The register's own answer, word for word, for office IT.
    pub register_text: String,
}

/// One refusal nobody has acted on yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Notice {
    /// The journal entry refused (what a supervisor's decision names).
    pub entry_id: String,
    pub subject: NoticeSubject,
    /// The document or application number.
    pub number: String,
    pub refusal: Refusal,
    /// When the refusal was recorded (RFC 3339).
    pub since: String,
}

/// The register's code in a reason as the sync engine records it
/// (`"<status> <code>: <message>"`, `passport_sync::drain`).
fn code_of(reason: &str) -> Option<ProblemCode> {
    let (_, rest) = reason.split_once(' ')?;
    let (code, _) = rest.split_once(':')?;
    ProblemCode::parse(code)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Whether the clerk is still at the counter with the document in hand
/// (the answer came while the hand-over screen waited) or the refusal came
/// later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    Now,
    Later,
}

/// The words for a refusal of an entry about `subject`.
pub(crate) fn refusal(
    reason: Option<&str>,
    state: SyncState,
    subject: NoticeSubject,
    when: When,
) -> Refusal {
    let text = reason.unwrap_or("").to_owned();
    let code = reason.and_then(code_of);
    let handover_now = subject == NoticeSubject::Handover && when == When::Now;
    let do_not_hand = |pl: &str, en: &str| {
        if handover_now {
            Message::new(
                format!("Nie wydawaj go; {pl}"),
                format!("Do not hand it over; {en}"),
            )
        } else if subject == NoticeSubject::Handover {
            Message::new(
                format!("Nie wydawaj dokumentu; jeśli został już wydany warunkowo, {pl}"),
                format!("Do not hand it over; if it was already handed over provisionally, {en}"),
            )
        } else {
            Message::new(capitalised(pl), capitalised(en))
        }
    };
    let supervisor = || do_not_hand("wezwij kierownika.", "call the supervisor.");
    let (what, todo) = match code {
        Some(ProblemCode::DocumentAlreadyIssued) => (
            Message::new(
                "Dokument został już wydany na innym stanowisku lub w innym punkcie.",
                "The document has already been handed over at another counter or office.",
            ),
            supervisor(),
        ),
        Some(ProblemCode::DocumentInvalidated) => (
            Message::new(
                "Dokument jest w rejestrze unieważniony.",
                "The register has this document as invalidated.",
            ),
            supervisor(),
        ),
        Some(ProblemCode::NotReadyHere) => (
            Message::new(
                "Dokument nie czeka na odbiór w tym urzędzie.",
                "The document is not waiting for collection at this office.",
            ),
            supervisor(),
        ),
        Some(ProblemCode::UnknownDocument) => (
            Message::new(
                "Rejestr nie zna tego dokumentu.",
                "The register does not know this document.",
            ),
            supervisor(),
        ),
        Some(ProblemCode::Validation) => (
            Message::new(
                "Rejestr nie przyjął danych zapisu.",
                "The register did not accept the record's data.",
            ),
            do_not_hand(
                "wezwij kierownika — zapisu nie można poprawić na stanowisku.",
                "call the supervisor — the record cannot be corrected at this counter.",
            ),
        ),
        Some(ProblemCode::ApplicationNumberTaken) => (
            Message::new(
                "Numer wniosku jest już zajęty w rejestrze.",
                "The application number is already taken at the register.",
            ),
            supervisor(),
        ),
        Some(
            ProblemCode::UnknownOffice
            | ProblemCode::UnknownClerk
            | ProblemCode::UnknownApplication,
        ) => (
            Message::new(
                "Rejestr nie rozpoznał urzędu, urzędnika lub wniosku tego zapisu.",
                "The register did not recognise the office, clerk or application of this record.",
            ),
            do_not_hand(
                "wezwij kierownika i zgłoś to informatykowi.",
                "call the supervisor and tell office IT.",
            ),
        ),
        Some(_) | None => (
            Message::new(
                "Rejestr odrzucił zapis.",
                "The register refused the record.",
            ),
            do_not_hand(
                "wezwij kierownika i zgłoś to informatykowi.",
                "call the supervisor and tell office IT.",
            ),
        ),
    };
    Refusal {
        code,
        conflict: state == SyncState::Conflict,
        what,
        todo,
        register_text: text,
    }
}

pub(crate) fn subject_of(kind: &str) -> NoticeSubject {
    match EntryKind::parse(kind) {
        Some(EntryKind::SubmitApplication) => NoticeSubject::Application,
        Some(EntryKind::RecordHandover) => NoticeSubject::Handover,
        Some(EntryKind::InvalidateDocument) => NoticeSubject::Invalidation,
        Some(_) | None => NoticeSubject::Other,
    }
}

impl From<OpenRefusal> for Notice {
    fn from(r: OpenRefusal) -> Self {
        let subject = subject_of(&r.kind);
        Self {
            refusal: refusal(r.register_reason.as_deref(), r.state, subject, When::Later),
            entry_id: r.entry_id,
            subject,
            number: r.record_key,
            since: r.since,
        }
    }
}

/// The register refused this workstation's history as a fork (409
/// `chain_fork`: an older copy of the journal restored, or the journal
/// changed outside the program). Kept by the journal until a report of the
/// chain heads is accepted again: while it stands nothing is sent, and the
/// status bar says so to the supervisor instead of the rounds failing
/// unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChainForkNotice {
    /// What happened.
    pub what: Message,
    /// What the supervisor does now.
    pub todo: Message,
    /// The register's own answer, word for word, for office IT.
    pub register_text: String,
    /// The first refusal (RFC 3339).
    pub since: String,
    /// The latest refusal (RFC 3339).
    pub last_refused_at: String,
    /// Sync rounds refused since the first.
    pub refusals: u32,
}

impl ChainForkNotice {
    pub fn of(f: passport_journal::ChainFork) -> Result<Self, CoreError> {
        use crate::words::NoticeWord;
        let w = crate::words::words()?;
        let message = |n| {
            let word = w.notice(n);
            Message::new(word.pl.clone(), word.en.clone())
        };
        Ok(Self {
            what: message(NoticeWord::ChainFork),
            todo: message(NoticeWord::ChainForkTodo),
            register_text: f.register_text,
            since: f.first_refused_at,
            last_refused_at: f.last_refused_at,
            refusals: u32::try_from(f.refusals).map_err(|_| {
                CoreError::Journal(passport_journal::JournalError::Corrupt(format!(
                    "the chain fork was refused {} times",
                    f.refusals
                )))
            })?,
        })
    }
}

impl Counter {
    /// The register's standing refusal of this workstation's history, if
    /// the last report of the chain heads was refused.
    pub async fn chain_fork_notice(&self) -> Result<Option<ChainForkNotice>, CoreError> {
        self.inner
            .journal
            .chain_fork()
            .await?
            .map(ChainForkNotice::of)
            .transpose()
    }

    /// Every refusal without a supervisor's decision, newest first.
    pub async fn notices(&self) -> Result<Vec<Notice>, CoreError> {
        Ok(self
            .inner
            .journal
            .open_refusals(MAX_NOTICES)
            .await?
            .into_iter()
            .map(Notice::from)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_says_what_happened_and_what_to_do_in_both_languages() {
        let r = refusal(
            Some("409 document_already_issued: DA0000003 was already handed over"),
            SyncState::Conflict,
            NoticeSubject::Handover,
            When::Now,
        );
        assert_eq!(r.code, Some(ProblemCode::DocumentAlreadyIssued));
        assert!(r.conflict);
        assert_eq!(
            format!("{} {}", r.what.pl, r.todo.pl),
            "Dokument został już wydany na innym stanowisku lub w innym punkcie. Nie wydawaj go; wezwij kierownika."
        );
        assert_eq!(r.todo.en, "Do not hand it over; call the supervisor.");
        let later = refusal(
            Some("409 document_already_issued: x"),
            SyncState::Conflict,
            NoticeSubject::Handover,
            When::Later,
        );
        assert!(
            later
                .todo
                .pl
                .starts_with("Nie wydawaj dokumentu; jeśli został już wydany warunkowo")
        );
        let app = refusal(
            Some("409 application_number_taken: x"),
            SyncState::Conflict,
            NoticeSubject::Application,
            When::Later,
        );
        assert_eq!(app.todo.pl, "Wezwij kierownika.");
    }

    #[test]
    fn an_unknown_code_keeps_the_registers_words() {
        let r = refusal(
            Some("409 brand_new_code: something"),
            SyncState::Rejected,
            NoticeSubject::Application,
            When::Later,
        );
        assert_eq!(r.code, None);
        assert_eq!(r.register_text, "409 brand_new_code: something");
        assert!(!r.conflict);
    }
}
