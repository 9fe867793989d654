//! The benchmark baseline: a minimal Tauri 2 window (one static page) with
//! the same start-up probe as the app, so `make bench-app` can compare the
//! app's start-up time and memory against Tauri itself in the same run.

use std::time::Instant;

#[tauri::command]
fn app_ready(app: tauri::AppHandle, started: tauri::State<'_, Started>) {
    println!("interactive-after-ms {}", started.0.elapsed().as_millis());
    if std::env::var("PASSPORT_COUNTER_STARTUP_PROBE").as_deref() == Ok("exit") {
        app.exit(0);
    }
}

struct Started(Instant);

fn main() {
    let started = Started(Instant::now());
    let result = tauri::Builder::default()
        .manage(started)
        .invoke_handler(tauri::generate_handler![app_ready])
        .run(tauri::generate_context!("examples/minimal/tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("minimal: {e}");
        std::process::exit(1);
    }
}
