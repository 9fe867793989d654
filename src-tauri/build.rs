//! Declares the app's commands so the capability files can grant each one
//! by name (`allow-login` …): a command not granted cannot be called.

const COMMANDS: &[&str] = &[
    "login",
    "logout",
    "lock",
    "unlock",
    "card_login",
    "bind_card",
    "touch",
    "status",
    "policy",
    "app_ready",
    "check_application",
    "submit_application",
    "draft_save",
    "draft_load",
    "draft_discard",
    "search_applications",
    "application",
    "find_document",
    "ready_documents",
    "record_handover",
    "check_chip",
    "outbox",
    "sync_now",
    "printout",
    "handover_outcome",
    "cards",
    "decide",
    "approve_intake_override",
    "day_summary",
    "demo_cut_register",
    "demo_restore_register",
    "scanners",
    "scan",
    "crop_scan",
    "render_signature",
    "biometric_devices",
    "capture_finger",
    "confirm_finger_exception",
    "biometric_preview_start",
    "biometric_preview_stop",
    "start_failure",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build script: {e:#}"));
}
