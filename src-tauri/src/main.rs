//! The Passport Counter desktop app.
//!
//! This crate alone depends on Tauri: it opens the window, hands the core
//! crates' services to the UI as thin commands, and pushes state to the UI as
//! events. The screens themselves live in `ui/`.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let context = tauri::generate_context!();
    if let Err(e) = tauri::Builder::default().run(context) {
        eprintln!("passport-counter: cannot start the window: {e}");
        std::process::exit(1);
    }
}
