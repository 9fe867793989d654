//! Receipt render time and size, against a baseline measured in the same
//! run: a page with one line of text in the same embedded fonts (printpdf's
//! own floor for a document with these fonts).
//!
//!   cargo bench -p passport-documents --bench render -- [ROUNDS]

use passport_documents::samples;
use std::time::{Duration, Instant};

fn time(rounds: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(rounds);
    let mut size = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        size = f();
        times.push(t.elapsed());
    }
    times.sort();
    (times[rounds / 2], times[rounds * 95 / 100], size)
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let r = samples::receipt();
    let h = samples::handover();
    // Warm-up.
    let _ = passport_documents::receipt(&r);
    let (b50, b95, bsize) = time(rounds, || {
        passport_documents::baseline_page("Zażółć gęślą jaźń").map_or(0, |b| b.len())
    });
    let (r50, r95, rsize) = time(rounds, || {
        passport_documents::receipt(&r).map_or(0, |b| b.len())
    });
    let (h50, h95, hsize) = time(rounds, || {
        passport_documents::handover_protocol(&h).map_or(0, |b| b.len())
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("rounds: {rounds}");
    println!(
        "baseline (one line, same fonts): median {:.2} ms, p95 {:.2} ms, {} bytes",
        ms(b50),
        ms(b95),
        bsize
    );
    println!(
        "receipt:                         median {:.2} ms, p95 {:.2} ms, {} bytes",
        ms(r50),
        ms(r95),
        rsize
    );
    println!(
        "hand-over protocol:              median {:.2} ms, p95 {:.2} ms, {} bytes",
        ms(h50),
        ms(h95),
        hsize
    );
    println!(
        "receipt / baseline: time {:.2}x, size {:.2}x",
        ms(r50) / ms(b50),
        rsize as f64 / bsize as f64
    );
}
