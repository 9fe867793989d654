//! The application and document lifecycle as explicit state machines.
//!
//! Submitted at the counter → accepted by the register → personalisation →
//! ready for collection at the same office → handed over. A document, once
//! issued, is valid until invalidated for one of the statutory reasons.
//! An illegal step is an error value naming both the state and the event.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Saved at the counter; not yet accepted by the register.
    Submitted,
    Accepted,
    Rejected,
    InPersonalisation,
    ReadyForCollection,
    HandedOver,
    Withdrawn,
    /// Not collected within the office's deadline; the document is invalidated.
    Unclaimed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationEvent {
    RegisterAccepted,
    RegisterRejected,
    PersonalisationStarted,
    DocumentReady,
    HandedOver,
    Withdrawn,
    CollectionDeadlinePassed,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 8] = [
        Self::Submitted,
        Self::Accepted,
        Self::Rejected,
        Self::InPersonalisation,
        Self::ReadyForCollection,
        Self::HandedOver,
        Self::Withdrawn,
        Self::Unclaimed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::InPersonalisation => "in_personalisation",
            Self::ReadyForCollection => "ready_for_collection",
            Self::HandedOver => "handed_over",
            Self::Withdrawn => "withdrawn",
            Self::Unclaimed => "unclaimed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether nothing further can happen to the application.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Rejected | Self::HandedOver | Self::Withdrawn | Self::Unclaimed
        )
    }

    /// The state after `event`, or why the step is not allowed.
    pub fn apply(self, event: ApplicationEvent) -> Result<Self, TransitionError> {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        let next = match (self, event) {
            (S::Submitted, E::RegisterAccepted) => S::Accepted,
            (S::Submitted, E::RegisterRejected) => S::Rejected,
            (S::Submitted | S::Accepted, E::Withdrawn) => S::Withdrawn,
            (S::Accepted, E::PersonalisationStarted) => S::InPersonalisation,
            (S::Accepted | S::InPersonalisation, E::DocumentReady) => S::ReadyForCollection,
            (S::ReadyForCollection, E::HandedOver) => S::HandedOver,
            (S::ReadyForCollection, E::CollectionDeadlinePassed) => S::Unclaimed,
            _ => {
                return Err(TransitionError {
                    from: format!("{self:?}"),
                    event: format!("{event:?}"),
                });
            }
        };
        Ok(next)
    }
}

/// Grounds for invalidating a passport (ustawa o dokumentach paszportowych).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum InvalidationReason {
    NewDocumentCollected,
    ReportedLost,
    ReportedStolen,
    Damaged,
    DataChanged,
    HolderDeceased,
    CitizenshipLost,
    DefectivePersonalisation,
    LostInTransit,
    NotCollectedInTime,
}

impl InvalidationReason {
    pub const ALL: [InvalidationReason; 10] = [
        Self::NewDocumentCollected,
        Self::ReportedLost,
        Self::ReportedStolen,
        Self::Damaged,
        Self::DataChanged,
        Self::HolderDeceased,
        Self::CitizenshipLost,
        Self::DefectivePersonalisation,
        Self::LostInTransit,
        Self::NotCollectedInTime,
    ];

    /// The stable text form, as stored and sent to the register.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewDocumentCollected => "new_document_collected",
            Self::ReportedLost => "reported_lost",
            Self::ReportedStolen => "reported_stolen",
            Self::Damaged => "damaged",
            Self::DataChanged => "data_changed",
            Self::HolderDeceased => "holder_deceased",
            Self::CitizenshipLost => "citizenship_lost",
            Self::DefectivePersonalisation => "defective_personalisation",
            Self::LostInTransit => "lost_in_transit",
            Self::NotCollectedInTime => "not_collected_in_time",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Self::NewDocumentCollected => "odbiór nowego dokumentu",
            Self::ReportedLost => "zgłoszenie utraty",
            Self::ReportedStolen => "zgłoszenie kradzieży",
            Self::Damaged => "uszkodzenie",
            Self::DataChanged => "zmiana danych",
            Self::HolderDeceased => "zgon posiadacza",
            Self::CitizenshipLost => "utrata obywatelstwa polskiego",
            Self::DefectivePersonalisation => "wadliwa personalizacja",
            Self::LostInTransit => "utrata w transporcie",
            Self::NotCollectedInTime => "nieodebranie w terminie",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DocumentStatus {
    /// Personalised, waiting at the office.
    AwaitingCollection,
    /// Handed over and in force.
    Valid,
    Invalidated {
        reason: InvalidationReason,
    },
}

/// A document's state without the reason (screens show the reason apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    AwaitingCollection,
    Valid,
    Invalidated,
}

impl DocumentStatus {
    pub fn state(self) -> DocumentState {
        match self {
            Self::AwaitingCollection => DocumentState::AwaitingCollection,
            Self::Valid => DocumentState::Valid,
            Self::Invalidated { .. } => DocumentState::Invalidated,
        }
    }

    pub fn reason(self) -> Option<InvalidationReason> {
        match self {
            Self::Invalidated { reason } => Some(reason),
            Self::AwaitingCollection | Self::Valid => None,
        }
    }

    /// The stable text form of the state (the reason is kept apart).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingCollection => "awaiting_collection",
            Self::Valid => "valid",
            Self::Invalidated { .. } => "invalidated",
        }
    }

    /// Reads a stored state and, for an invalidated document, its reason.
    pub fn parse(status: &str, reason: Option<&str>) -> Option<Self> {
        match status {
            "awaiting_collection" => Some(Self::AwaitingCollection),
            "valid" => Some(Self::Valid),
            "invalidated" => reason
                .and_then(InvalidationReason::parse)
                .map(|reason| Self::Invalidated { reason }),
            _ => None,
        }
    }

    pub fn hand_over(self) -> Result<Self, TransitionError> {
        match self {
            Self::AwaitingCollection => Ok(Self::Valid),
            other => Err(TransitionError {
                from: format!("{other:?}"),
                event: "HandOver".into(),
            }),
        }
    }

    pub fn invalidate(self, reason: InvalidationReason) -> Result<Self, TransitionError> {
        match self {
            Self::AwaitingCollection | Self::Valid => Ok(Self::Invalidated { reason }),
            other @ Self::Invalidated { .. } => Err(TransitionError {
                from: format!("{other:?}"),
                event: format!("Invalidate({reason:?})"),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{event} is not allowed while the record is {from}")]
pub struct TransitionError {
    pub from: String,
    pub event: String,
}

impl TransitionError {
    pub fn to_field_error(&self, path: &str) -> FieldError {
        FieldError::new(
            path,
            "lifecycle.transition",
            format!(
                "Tej czynności nie można wykonać w obecnym stanie ({}).",
                self.from
            ),
            self.to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationEvent as E;
    use ApplicationStatus as S;

    #[test]
    fn the_happy_path() {
        let s = S::Submitted
            .apply(E::RegisterAccepted)
            .and_then(|s| s.apply(E::PersonalisationStarted))
            .and_then(|s| s.apply(E::DocumentReady))
            .and_then(|s| s.apply(E::HandedOver))
            .unwrap();
        assert_eq!(s, S::HandedOver);
        assert!(s.is_final());
    }

    #[test]
    fn illegal_steps_are_errors() {
        assert!(S::Submitted.apply(E::HandedOver).is_err());
        assert!(S::HandedOver.apply(E::Withdrawn).is_err());
        assert!(S::Rejected.apply(E::RegisterAccepted).is_err());
        // A final state accepts no event at all.
        for st in S::ALL.into_iter().filter(|s| s.is_final()) {
            for ev in [
                E::RegisterAccepted,
                E::RegisterRejected,
                E::PersonalisationStarted,
                E::DocumentReady,
                E::HandedOver,
                E::Withdrawn,
                E::CollectionDeadlinePassed,
            ] {
                assert!(st.apply(ev).is_err(), "{st:?} + {ev:?}");
            }
        }
    }

    #[test]
    fn statuses_round_trip_as_text() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn text_forms_round_trip_and_match_serde() {
        for r in InvalidationReason::ALL {
            assert_eq!(InvalidationReason::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            let d = DocumentStatus::Invalidated { reason: r };
            assert_eq!(DocumentStatus::parse(d.as_str(), Some(r.as_str())), Some(d));
        }
        for d in [DocumentStatus::AwaitingCollection, DocumentStatus::Valid] {
            assert_eq!(DocumentStatus::parse(d.as_str(), None), Some(d));
        }
        assert_eq!(
            DocumentStatus::parse("invalidated", Some("misplaced")),
            None
        );
    }

    #[test]
    fn documents_are_invalidated_once() {
        let d = DocumentStatus::AwaitingCollection.hand_over().unwrap();
        let d = d.invalidate(InvalidationReason::ReportedLost).unwrap();
        assert!(d.invalidate(InvalidationReason::Damaged).is_err());
        assert!(d.hand_over().is_err());
    }
}
