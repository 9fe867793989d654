//! The TypeScript types of everything the screens send and receive,
//! generated from the Rust types (ts-rs) into `ui/src/lib/bindings.ts`.
//! The file is committed; `tests/bindings.rs` fails when it is stale
//! (`UPDATE_BINDINGS=1 cargo test -p passport-counter-core --test bindings`
//! rewrites it).

use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl($cfg))),*]
    };
}

/// The whole bindings file.
pub fn typescript() -> String {
    let cfg = Config::default();
    let decls: Vec<String> = decls![&cfg;
        passport_domain::Lang,
        passport_domain::Message,
        passport_domain::FieldError,
        passport_domain::application::ApplicationDraft,
        passport_domain::application::ApplicantDraft,
        passport_domain::application::Address,
        passport_domain::application::Contact,
        passport_domain::application::GuardianDraft,
        passport_domain::application::ConsentDraft,
        passport_journal::SyncState,
        passport_journal::DecisionOutcome,
        passport_domain::ApplicationStatus,
        passport_domain::DocumentState,
        passport_domain::InvalidationReason,
        passport_journal::QueueStats,
        passport_journal::ApplicationSummary,
        passport_journal::ApplicationDetail,
        passport_journal::KindStateCount,
        passport_journal::LocalDocument,
        crate::IpcError,
        crate::policy::Policy,
        crate::policy::IntakeStop,
        crate::policy::IntakeAllowance,
        crate::Role,
        crate::SessionView,
        crate::Connection,
        crate::ChannelState,
        crate::StatusSnapshot,
        crate::DemoInfo,
        crate::FeeView,
        crate::DraftCheck,
        crate::Submitted,
        crate::ApplicationView,
        crate::OutboxItem,
        crate::OutboxView,
        crate::Collector,
        crate::HandoverRequest,
        crate::DocumentView,
        crate::HandoverSaved,
        crate::GuardianChoice,
        crate::GuardianKind,
        crate::HandoverVerdict,
        crate::RegisterCheck,
        crate::policy::OfflineHandoverStop,
        crate::HandoverOutcome,
        crate::Refusal,
        passport_register_contract::ProblemCode,
        crate::Notice,
        crate::ChainForkNotice,
        crate::NoticeSubject,
        crate::Decision,
        crate::DecisionInput,
        crate::OfflinePeriod,
        crate::DaySummary,
        passport_sync::Progress,
        crate::DocumentRef,
        crate::Printout,
        passport_cards::CardService,
        passport_cards::Reader,
        passport_cards::ChipReport,
        passport_cards::CheckResult,
        passport_cards::Check,
        passport_cards::Outcome,
        passport_cards::MrzFields,
        passport_cards::FaceImage,
        passport_cards::Traffic,
        passport_cards::lds::ImageFormat,
        crate::ChipCheckView,
        passport_journal::DraftKind,
        passport_journal::drafts::FormKind,
        passport_journal::drafts::GuardianFormDraft,
        passport_journal::ApplicationFormDraft,
        passport_journal::drafts::BiometricsProgress,
        passport_journal::drafts::FingerAttempts,
        passport_journal::drafts::RetakePolicy,
        passport_journal::drafts::DrawnSignatureDraft,
        passport_journal::drafts::CollectorKindDraft,
        passport_journal::HandoverFormDraft,
        passport_journal::drafts::PhotoMime,
        crate::DraftSave,
        crate::ApplicationDraftSave,
        crate::DraftPhotoChange,
        crate::DraftPhotoView,
        crate::DraftView,
        crate::scanner::ScannerDevice,
        crate::scanner::CropFrame,
        crate::scanner::ScanView,
        crate::scanner::ScannedPhoto,
        passport_domain::biometrics::StrokePoint,
        passport_domain::biometrics::SignatureDraft,
        passport_domain::biometrics::SignedDraft,
        passport_domain::biometrics::SignatureImageDraft,
        passport_domain::biometrics::CannotSignDraft,
        passport_domain::biometrics::FingerPosition,
        passport_domain::biometrics::FingerCaptureDraft,
        passport_domain::biometrics::FingerExceptionKind,
        passport_domain::biometrics::FingerExceptionDraft,
        passport_domain::biometrics::SupervisorConfirmation,
        crate::confirmations::FingerExceptionConfirm,
        passport_domain::biometrics::BiometricsDraft,
        crate::biometrics::BiometricState,
        crate::biometrics::BiometricDevice,
        crate::biometrics::BiometricDevices,
        crate::biometrics::FingerCaptureView,
        crate::biometrics::PreviewFrame,
        crate::biometrics::PreviewEnd,
        crate::biometrics::PreviewEvent,
    ];
    let mut out = String::from(
        "// Generated from the Rust types by passport-counter-core (ts-rs). Do not edit:\n\
         // UPDATE_BINDINGS=1 cargo test -p passport-counter-core --test bindings\n\n",
    );
    for d in decls {
        // ts-rs renders i64 as `bigint`, but JSON carries numbers: the i64s
        // here are counts, sequence numbers and grosz, far below 2^53.
        out.push_str(&d.replace("bigint", "number"));
        out.push_str("\n\n");
    }
    out
}
