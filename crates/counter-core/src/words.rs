//! The words a person reads for every code, decision, state, reason and
//! kind, in Polish and English: one table (`words.json`, beside this
//! crate's `Cargo.toml`) that the printouts read here and the screens
//! import (`ui/src/lib/i18n.ts`), so a screen and a printout never name the
//! same thing differently, and no raw code reaches a person.
//!
//! The table is read into typed maps keyed by the enums themselves (an
//! unknown key is a parse error) and checked to be complete when first
//! used; the tests below fail when a variant has no words.
//!
//! Also here: Polish plural forms (the CLDR rule `Intl.PluralRules('pl')`
//! applies on the screens) and the dd.mm.rrrr date form.

use passport_domain::{ApplicationStatus, DocumentState, InvalidationReason, Lang};
use passport_journal::{ChipCheck, DecisionOutcome, EntryKind, SyncState};
use passport_register_contract::ProblemCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

const TABLE: &str = include_str!("../words.json");

/// One thing's words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    pub pl: String,
    pub en: String,
}

impl Word {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Pl => &self.pl,
            Lang::En => &self.en,
        }
    }
}

/// Polish forms after a number: 1 próba, 2 próby, 5 prób.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluralPl {
    pub one: String,
    pub few: String,
    pub many: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluralEn {
    pub one: String,
    pub other: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plural {
    pub pl: PluralPl,
    pub en: PluralEn,
}

/// The nouns counted on screens and printouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Noun {
    Attempt,
    Character,
    Operation,
    Application,
    Document,
    Field,
    Refusal,
    Page,
    Retake,
}

impl Noun {
    pub const ALL: [Noun; 9] = [
        Self::Attempt,
        Self::Character,
        Self::Operation,
        Self::Application,
        Self::Document,
        Self::Field,
        Self::Refusal,
        Self::Page,
        Self::Retake,
    ];
}

/// Why an entry cannot be sent, as the sync engine words it in
/// `last_error` (English, for logs): read back into a reason a person is
/// shown in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsendableReason {
    PayloadUnreadable,
    PhotoMissing,
    PhotoUnreadable,
    PhotoChanged,
    LocalOnly,
    TimeUnreadable,
    BeyondKeyRetention,
    /// A reason this release does not recognise.
    Other,
}

impl UnsendableReason {
    pub const ALL: [UnsendableReason; 8] = [
        Self::PayloadUnreadable,
        Self::PhotoMissing,
        Self::PhotoUnreadable,
        Self::PhotoChanged,
        Self::LocalOnly,
        Self::TimeUnreadable,
        Self::BeyondKeyRetention,
        Self::Other,
    ];

    /// The reason behind `passport_sync`'s `Unsendable` text (its messages
    /// are fixed sentences with values inside; see `sync/src/request.rs`).
    pub fn classify(last_error: &str) -> Self {
        let e = last_error;
        if e.contains("kept at this counter") {
            Self::LocalOnly
        } else if e.contains("no longer know its key") || e.contains("first sent more than") {
            Self::BeyondKeyRetention
        } else if e.contains("unreadable time") {
            Self::TimeUnreadable
        } else if e.contains("photo") && e.contains("missing") {
            Self::PhotoMissing
        } else if e.contains("photo") && e.contains("has been changed") {
            Self::PhotoChanged
        } else if e.contains("photo") && e.contains("cannot be read") {
            Self::PhotoUnreadable
        } else if e.starts_with("entry ") {
            Self::PayloadUnreadable
        } else {
            Self::Other
        }
    }
}

/// One section of the table: each key (an enum variant, read by serde, so
/// a key that is no variant is an error) with its words. A map in the
/// file; a short list here, since not every key type is hashable.
#[derive(Debug)]
pub struct Section<K>(Vec<(K, Word)>);

impl<K: PartialEq> Section<K> {
    fn get(&self, k: &K) -> Option<&Word> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, w)| w)
    }
}

impl<'de, K: Deserialize<'de> + PartialEq + std::fmt::Debug> Deserialize<'de> for Section<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K>(std::marker::PhantomData<K>);
        impl<'de, K: Deserialize<'de> + PartialEq + std::fmt::Debug> serde::de::Visitor<'de> for Visit<K> {
            type Value = Section<K>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of codes to their words")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items: Vec<(K, Word)> = Vec::new();
                while let Some((k, w)) = map.next_entry::<K, Word>()? {
                    if items.iter().any(|(key, _)| *key == k) {
                        return Err(serde::de::Error::custom(format!("{k:?} twice")));
                    }
                    items.push((k, w));
                }
                Ok(Section(items))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(rename = "_about")]
    _about: String,
    entry_kind: Section<EntryKind>,
    sync_state: Section<SyncState>,
    application_status: Section<ApplicationStatus>,
    document_state: Section<DocumentState>,
    invalidation_reason: Section<InvalidationReason>,
    decision_outcome: Section<DecisionOutcome>,
    /// The decision's words where `decision_outcome` (an application's)
    /// does not fit the subject: by the refused entry's kind code.
    decision_outcome_by_subject: HashMap<String, Section<DecisionOutcome>>,
    /// By the account's role (`clerk`, `supervisor`).
    role: Section<String>,
    /// By `ApplicationKind::code()`.
    application_kind: Section<String>,
    /// By the collector's `kind` tag.
    collector: Section<String>,
    chip_check: Section<ChipCheck>,
    problem_code: Section<ProblemCode>,
    unsendable: Section<UnsendableReason>,
    /// Why a call to the register failed (`FailureKind`, and an open circuit).
    call_failure: Section<String>,
    /// `IpcError` codes.
    error_code: Section<String>,
    /// `FieldError` codes.
    field_error: Section<String>,
    /// Notices that are not a refused entry ([`NoticeWord`]).
    notice: Section<NoticeWord>,
    /// Fingerprint devices' states in the status bar.
    biometric_state: Section<crate::biometrics::BiometricState>,
    /// What is wrong with the channel to the register (the status bar).
    channel: Section<crate::status::ChannelState>,
    plural: HashMap<Noun, Plural>,
}

/// Every variant of enums that list none themselves. The matches make a new
/// variant a compile error here, where its words must be added.
fn all_document_states() -> [DocumentState; 3] {
    use DocumentState as S;
    let _exhaustive = |s: S| match s {
        S::AwaitingCollection | S::Valid | S::Invalidated => (),
    };
    [S::AwaitingCollection, S::Valid, S::Invalidated]
}

fn all_decisions() -> [DecisionOutcome; 3] {
    use DecisionOutcome as D;
    let _exhaustive = |d: D| match d {
        D::AcceptRefusal | D::CorrectedElsewhere | D::Escalated => (),
    };
    [D::AcceptRefusal, D::CorrectedElsewhere, D::Escalated]
}

fn all_chip_checks() -> [ChipCheck; 2] {
    let _exhaustive = |c: ChipCheck| match c {
        ChipCheck::Passed | ChipCheck::NotChecked => (),
    };
    [ChipCheck::Passed, ChipCheck::NotChecked]
}

/// The application kinds' codes (`ApplicationKind::code`).
fn all_application_kinds() -> [&'static str; 3] {
    use passport_domain::application::ApplicationKind as K;
    let _exhaustive = |k: &K| match k {
        K::Passport | K::Temporary { .. } | K::Second { .. } => (),
    };
    ["passport", "temporary", "second"]
}

/// The register client's failure kinds, and its open circuit.
fn all_call_failures() -> [&'static str; 8] {
    use passport_register_client::FailureKind as F;
    let _exhaustive = |k: F| match k {
        F::Network
        | F::Timeout
        | F::Server
        | F::Overloaded
        | F::Unavailable
        | F::Malformed
        | F::Channel(_) => (),
    };
    [
        "channel",
        "network",
        "timeout",
        "server",
        "overloaded",
        "unavailable",
        "malformed",
        "circuit_open",
    ]
}

fn failure_key(k: passport_register_client::FailureKind) -> &'static str {
    use passport_register_client::FailureKind as F;
    match k {
        F::Network => "network",
        F::Timeout => "timeout",
        F::Server => "server",
        F::Overloaded => "overloaded",
        F::Unavailable => "unavailable",
        F::Malformed => "malformed",
        F::Channel(_) => "channel",
    }
}

/// The collectors' `kind` tags.
fn all_collectors() -> [&'static str; 3] {
    use passport_journal::Collector as C;
    let _exhaustive = |c: &C| match c {
        C::Holder | C::Parent { .. } | C::LegalGuardian { .. } => (),
    };
    ["holder", "parent", "legal_guardian"]
}

fn missing_in<K: PartialEq + std::fmt::Debug>(
    section: &str,
    map: &Section<K>,
    all: impl IntoIterator<Item = K>,
) -> Vec<String> {
    all.into_iter()
        .filter(|k| {
            map.get(k)
                .is_none_or(|w| w.pl.trim().is_empty() || w.en.trim().is_empty())
        })
        .map(|k| format!("{section}: {k:?}"))
        .collect()
}

fn missing_str(section: &str, map: &Section<String>, all: &[&str]) -> Vec<String> {
    all.iter()
        .filter(|k| {
            map.get(&(**k).to_owned())
                .is_none_or(|w| w.pl.trim().is_empty() || w.en.trim().is_empty())
        })
        .map(|k| format!("{section}: {k}"))
        .collect()
}

impl Words {
    /// Reads the table and checks that every variant has both words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let w: Words = serde_json::from_str(text).map_err(|e| format!("words.json: {e}"))?;
        let missing = w.missing();
        if missing.is_empty() {
            Ok(w)
        } else {
            Err(format!(
                "words.json has no words for {}",
                missing.join(", ")
            ))
        }
    }

    /// What has no words (both languages, non-empty), by section.
    pub fn missing(&self) -> Vec<String> {
        let mut m = Vec::new();
        m.extend(missing_in("entry_kind", &self.entry_kind, EntryKind::ALL));
        m.extend(missing_in("sync_state", &self.sync_state, SyncState::ALL));
        m.extend(missing_in(
            "application_status",
            &self.application_status,
            ApplicationStatus::ALL,
        ));
        m.extend(missing_in(
            "document_state",
            &self.document_state,
            all_document_states(),
        ));
        m.extend(missing_in(
            "invalidation_reason",
            &self.invalidation_reason,
            InvalidationReason::ALL,
        ));
        m.extend(missing_in(
            "decision_outcome",
            &self.decision_outcome,
            all_decisions(),
        ));
        for subject in ["record_handover", "invalidate_document"] {
            match self.decision_outcome_by_subject.get(subject) {
                Some(s) => m.extend(missing_in(
                    &format!("decision_outcome_by_subject.{subject}"),
                    s,
                    all_decisions(),
                )),
                None => m.push(format!("decision_outcome_by_subject: {subject}")),
            }
        }
        m.extend(missing_str("role", &self.role, &["clerk", "supervisor"]));
        m.extend(missing_str(
            "application_kind",
            &self.application_kind,
            &all_application_kinds(),
        ));
        m.extend(missing_str("collector", &self.collector, &all_collectors()));
        m.extend(missing_in(
            "chip_check",
            &self.chip_check,
            all_chip_checks(),
        ));
        m.extend(missing_in(
            "problem_code",
            &self.problem_code,
            ProblemCode::ALL,
        ));
        m.extend(missing_str(
            "call_failure",
            &self.call_failure,
            &all_call_failures(),
        ));
        m.extend(missing_in(
            "unsendable",
            &self.unsendable,
            UnsendableReason::ALL,
        ));
        m.extend(missing_in("notice", &self.notice, NoticeWord::ALL));
        m.extend(missing_in(
            "biometric_state",
            &self.biometric_state,
            crate::biometrics::BiometricState::ALL,
        ));
        m.extend(missing_in(
            "channel",
            &self.channel,
            crate::status::ChannelState::ALL,
        ));
        for n in Noun::ALL {
            let ok = self.plural.get(&n).is_some_and(|p| {
                [&p.pl.one, &p.pl.few, &p.pl.many, &p.en.one, &p.en.other]
                    .iter()
                    .all(|s| !s.trim().is_empty())
            });
            if !ok {
                m.push(format!("plural: {n:?}"));
            }
        }
        m
    }

    pub fn entry_kind(&self, k: EntryKind) -> &Word {
        word(self.entry_kind.get(&k))
    }

    /// An entry kind as stored (text); one this release cannot read is
    /// named as such, never shown as its code.
    pub fn entry_kind_text(&self, stored: &str) -> &Word {
        EntryKind::parse(stored).map_or(&*UNKNOWN_KIND, |k| self.entry_kind(k))
    }

    pub fn sync_state(&self, s: SyncState) -> &Word {
        word(self.sync_state.get(&s))
    }

    pub fn application_status(&self, s: ApplicationStatus) -> &Word {
        word(self.application_status.get(&s))
    }

    pub fn document_state(&self, s: DocumentState) -> &Word {
        word(self.document_state.get(&s))
    }

    pub fn invalidation_reason(&self, r: InvalidationReason) -> &Word {
        word(self.invalidation_reason.get(&r))
    }

    pub fn decision(&self, d: DecisionOutcome) -> &Word {
        word(self.decision_outcome.get(&d))
    }

    /// A decision in words that fit what was refused (`kind`, the entry's
    /// kind code): a hand-over has a holder, not an applicant.
    pub fn decision_for(&self, kind: &str, d: DecisionOutcome) -> &Word {
        match self.decision_outcome_by_subject.get(kind) {
            Some(s) => word(s.get(&d)),
            None => self.decision(d),
        }
    }

    /// By `ApplicationKind::code()` as stored.
    pub fn application_kind(&self, code: &str) -> &Word {
        self.application_kind
            .get(&code.to_owned())
            .unwrap_or(&*UNKNOWN_KIND)
    }

    /// By the collector's `kind` tag.
    pub fn collector(&self, kind: &str) -> &Word {
        self.collector
            .get(&kind.to_owned())
            .unwrap_or(&*UNKNOWN_KIND)
    }

    pub fn chip_check(&self, c: ChipCheck) -> &Word {
        word(self.chip_check.get(&c))
    }

    pub fn problem(&self, p: ProblemCode) -> &Word {
        word(self.problem_code.get(&p))
    }

    pub fn unsendable(&self, r: UnsendableReason) -> &Word {
        word(self.unsendable.get(&r))
    }

    pub fn notice(&self, n: NoticeWord) -> &Word {
        word(self.notice.get(&n))
    }

    /// What is wrong with the channel to the register, in words.
    pub fn channel(&self, c: crate::status::ChannelState) -> &Word {
        word(self.channel.get(&c))
    }

    /// Why a call to the register failed, in words: the register's refusal
    /// by its problem code, a failed call by its kind; never the client's
    /// English text.
    pub fn call_error(&self, e: &passport_register_client::CallError) -> &Word {
        use passport_register_client::CallError as C;
        match e {
            C::Rejected { problem, .. } => {
                problem.kind().map_or(&*UNKNOWN_REASON, |p| self.problem(p))
            }
            C::Retryable { kind, .. } => {
                word(self.call_failure.get(&failure_key(*kind).to_owned()))
            }
            C::CircuitOpen { .. } => word(self.call_failure.get(&"circuit_open".to_owned())),
        }
    }

    /// An `IpcError` code's words, when the table has them.
    /// A fingerprint device's state.
    pub fn biometric_state(&self, s: crate::biometrics::BiometricState) -> Option<&Word> {
        self.biometric_state.get(&s)
    }

    pub fn error_code(&self, code: &str) -> Option<&Word> {
        self.error_code.get(&code.to_owned())
    }

    /// A `FieldError` code's words, when the table has them.
    pub fn field_error(&self, code: &str) -> Option<&Word> {
        self.field_error.get(&code.to_owned())
    }

    /// The register's reason as the sync engine stores it
    /// (`"409 document_already_issued: <the register's message>"`), in
    /// words: the code's words; a code this release does not know is said
    /// to be unknown, never shown raw.
    pub fn register_reason(&self, stored: &str) -> &Word {
        problem_of(stored).map_or(&*UNKNOWN_REASON, |p| self.problem(p))
    }

    /// Why an entry was refused or cannot be sent, in words: the register's
    /// reason when it gave one, else the unsendable reason read from the
    /// sync engine's note.
    pub fn refusal(
        &self,
        state: SyncState,
        register_reason: Option<&str>,
        last_error: Option<&str>,
    ) -> &Word {
        match (register_reason, state) {
            (Some(r), _) => self.register_reason(r),
            (None, SyncState::Unsendable) => {
                self.unsendable(UnsendableReason::classify(last_error.unwrap_or_default()))
            }
            (None, _) => &UNKNOWN_REASON,
        }
    }

    /// `n` and the noun in the right form: "1 próba", "2 próby", "5 prób",
    /// "22 próby"; "1 attempt", "2 attempts".
    pub fn count(&self, noun: Noun, n: i64, lang: Lang) -> String {
        let Some(p) = self.plural.get(&noun) else {
            return n.to_string();
        };
        let form = match lang {
            Lang::Pl => match plural_pl(n) {
                PluralPl::ONE => &p.pl.one,
                PluralPl::FEW => &p.pl.few,
                _ => &p.pl.many,
            },
            Lang::En => {
                if n == 1 {
                    &p.en.one
                } else {
                    &p.en.other
                }
            }
        };
        format!("{n} {form}")
    }
}

impl PluralPl {
    pub const ONE: &'static str = "one";
    pub const FEW: &'static str = "few";
    pub const MANY: &'static str = "many";
}

/// The CLDR Polish plural category of a whole number, as
/// `Intl.PluralRules('pl').select(n)` gives it: `one` for 1; `few` when the
/// last digit is 2–4 but the last two are not 12–14; `many` otherwise.
pub fn plural_pl(n: i64) -> &'static str {
    let n = n.unsigned_abs();
    if n == 1 {
        PluralPl::ONE
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        PluralPl::FEW
    } else {
        PluralPl::MANY
    }
}

/// The register's problem code in a stored reason: `"<status> <code>: …"`.
fn problem_of(stored: &str) -> Option<ProblemCode> {
    let head = stored.split(':').next()?;
    let code = head.split_whitespace().last()?;
    ProblemCode::parse(code)
}

/// A kind a newer release wrote (this one cannot read it).
static UNKNOWN_KIND: LazyLock<Word> = LazyLock::new(|| Word {
    pl: "zapis nieznanego rodzaju (z nowszej wersji programu)".into(),
    en: "a record of an unknown kind (from a newer release)".into(),
});

/// A register's reason whose code this release does not know.
static UNKNOWN_REASON: LazyLock<Word> = LazyLock::new(|| Word {
    pl: "rejestr podał powód, którego ta wersja programu nie zna".into(),
    en: "the register gave a reason this release does not know".into(),
});

/// A looked-up word. `words()` has checked the table is complete, so the
/// fallback is for a table that failed that check in a test only.
fn word(w: Option<&Word>) -> &Word {
    w.unwrap_or(&*UNKNOWN_KIND)
}

/// The words of notices that are not a refused entry (`notices.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeWord {
    /// The register refused this workstation's history as a fork: what.
    ChainFork,
    /// … and what to do.
    ChainForkTodo,
}

impl NoticeWord {
    pub const ALL: [NoticeWord; 2] = [Self::ChainFork, Self::ChainForkTodo];
}

/// The table, read and checked once.
pub fn words() -> Result<&'static Words, crate::CoreError> {
    static WORDS: OnceLock<Result<Words, String>> = OnceLock::new();
    WORDS
        .get_or_init(|| Words::parse(TABLE))
        .as_ref()
        .map_err(|e| crate::CoreError::Internal(e.clone()))
}

/// A date as a person reads it: `dd.mm.rrrr`.
pub fn date_pl(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_every_variant_has_both_words() {
        let w = Words::parse(TABLE).unwrap();
        assert!(w.missing().is_empty());
        assert!(words().is_ok());
    }

    #[test]
    fn a_variant_without_words_is_refused() {
        let mut table: serde_json::Value = serde_json::from_str(TABLE).unwrap();
        table["sync_state"]
            .as_object_mut()
            .unwrap()
            .remove("conflict");
        table["decision_outcome"]["escalated"]["en"] = "".into();
        let e = Words::parse(&table.to_string()).unwrap_err();
        assert!(e.contains("sync_state: Conflict"), "{e}");
        assert!(e.contains("decision_outcome: Escalated"), "{e}");
        // A key that is no variant is a parse error, not ignored.
        let mut table: serde_json::Value = serde_json::from_str(TABLE).unwrap();
        table["sync_state"]["sent_maybe"] = serde_json::json!({"pl": "x", "en": "x"});
        assert!(Words::parse(&table.to_string()).is_err());
    }

    #[test]
    fn polish_plural_categories_match_cldr() {
        let cases = [
            (0, "many"),
            (1, "one"),
            (2, "few"),
            (4, "few"),
            (5, "many"),
            (11, "many"),
            (12, "many"),
            (14, "many"),
            (21, "many"),
            (22, "few"),
            (25, "many"),
            (112, "many"),
        ];
        for (n, want) in cases {
            assert_eq!(plural_pl(n), want, "{n}");
        }
    }

    /// Before: a hand-over's supervisor was offered "the applicant is
    /// told" (there is no applicant), and roles were shown as codes.
    #[test]
    fn decisions_fit_their_subject_and_roles_have_words() {
        let w = words().unwrap();
        let accept = |kind| {
            w.decision_for(kind, DecisionOutcome::AcceptRefusal)
                .pl
                .clone()
        };
        assert!(accept("submit_application").contains("wnioskodawca"));
        assert_eq!(
            accept("record_handover"),
            "Rejestr ma rację: dokument nie zostanie wydany, posiadacz zostanie poinformowany"
        );
        assert!(!accept("invalidate_document").contains("wnioskodawca"));
        assert_eq!(
            w.role.get(&"supervisor".to_owned()).unwrap().pl,
            "kierownik"
        );
        assert_eq!(w.role.get(&"clerk".to_owned()).unwrap().pl, "urzędnik");
    }

    #[test]
    fn counts_read_as_polish() {
        let w = words().unwrap();
        let pl = |noun, n| w.count(noun, n, Lang::Pl);
        assert_eq!(pl(Noun::Attempt, 1), "1 próba");
        assert_eq!(pl(Noun::Attempt, 2), "2 próby");
        assert_eq!(pl(Noun::Attempt, 5), "5 prób");
        assert_eq!(pl(Noun::Attempt, 22), "22 próby");
        assert_eq!(pl(Noun::Attempt, 12), "12 prób");
        assert_eq!(pl(Noun::Attempt, 0), "0 prób");
        assert_eq!(pl(Noun::Character, 1), "1 znak");
        assert_eq!(pl(Noun::Character, 3), "3 znaki");
        assert_eq!(pl(Noun::Character, 5), "5 znaków");
        assert_eq!(w.count(Noun::Attempt, 1, Lang::En), "1 attempt");
        assert_eq!(w.count(Noun::Attempt, 2, Lang::En), "2 attempts");
    }

    #[test]
    fn the_registers_reason_is_said_in_words() {
        let w = words().unwrap();
        let r = w.register_reason(
            "409 document_already_issued: document DA0000003 was handed over at DEMO-02",
        );
        assert_eq!(r.pl, "rejestr ma już zapisane wydanie tego dokumentu");
        let r = w.register_reason("409 application_number_taken: taken");
        assert!(r.pl.contains("numer wniosku"), "{}", r.pl);
        let r = w.register_reason("422 some_future_code: ?");
        assert!(!r.pl.contains("some_future_code"));
        assert!(r.pl.contains("nie zna"));
    }

    #[test]
    fn unsendable_notes_are_read_back_into_reasons() {
        use UnsendableReason as U;
        for (note, want) in [
            (
                "entry 7: the payload version 3 is newer than this release",
                U::PayloadUnreadable,
            ),
            (
                "the photo ab12 is missing from the journal",
                U::PhotoMissing,
            ),
            ("the photo ab12 cannot be read: disk", U::PhotoUnreadable),
            (
                "the stored photo ab12 has been changed (its bytes hash to cd34)",
                U::PhotoChanged,
            ),
            (
                "entry 9 (intake_override) is kept at this counter and never sent",
                U::LocalOnly,
            ),
            (
                "entry 9 has an unreadable time \"x\": bad",
                U::TimeUnreadable,
            ),
            (
                "entry 9 was first sent more than 90 days ago and the register may no longer know its key: check",
                U::BeyondKeyRetention,
            ),
            ("something else", U::Other),
        ] {
            assert_eq!(U::classify(note), want, "{note}");
        }
        let w = words().unwrap();
        let r = w.refusal(
            SyncState::Unsendable,
            None,
            Some("the photo ab is missing from the journal"),
        );
        assert_eq!(r.pl, "brak zdjęcia w bazie stanowiska");
    }

    #[test]
    fn unknown_kinds_are_named_not_shown_raw() {
        let w = words().unwrap();
        assert_eq!(w.entry_kind_text("submit_application").pl, "Wniosek");
        assert!(!w.entry_kind_text("future_kind").pl.contains("future_kind"));
        assert_eq!(w.application_kind("temporary").pl, "Paszport tymczasowy");
    }
}

#[cfg(test)]
mod call_error_tests {
    use super::*;
    use passport_register_client::{CallError, FailureKind};
    use passport_register_contract::Problem;

    #[test]
    fn a_failed_call_is_said_in_words() {
        let w = words().unwrap();
        let refused = CallError::Rejected {
            status: 404,
            problem: Problem::of(ProblemCode::UnknownClerk, "no clerk x"),
        };
        assert_eq!(w.call_error(&refused).pl, "rejestr nie zna tego urzędnika");
        let timeout = CallError::Retryable {
            kind: FailureKind::Timeout,
            status: None,
            retry_after: None,
            message: "operation timed out".into(),
        };
        assert_eq!(
            w.call_error(&timeout).pl,
            "rejestr nie odpowiedział na czas"
        );
        let open = CallError::CircuitOpen {
            retry_in: std::time::Duration::from_secs(5),
        };
        assert!(w.call_error(&open).pl.contains("ponowi"));
        let ipc = crate::IpcError::from(crate::CoreError::Register(timeout));
        assert_eq!(ipc.message.pl, "Rejestr: rejestr nie odpowiedział na czas.");
        assert!(!ipc.message.pl.contains("timed out"));
    }
}
