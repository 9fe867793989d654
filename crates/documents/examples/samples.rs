//! Writes sample documents with demo data (for the README and for a look):
//! `cargo run -p passport-documents --example samples -- OUT_DIR` (`make samples`).

use passport_documents::samples;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/samples".into()),
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("receipt.pdf"),
        passport_documents::receipt(&samples::receipt())?,
    )?;
    std::fs::write(
        dir.join("handover.pdf"),
        passport_documents::handover_protocol(&samples::handover())?,
    )?;
    std::fs::write(
        dir.join("day.pdf"),
        passport_documents::day_report(&samples::day(3))?,
    )?;
    std::fs::write(
        dir.join("day-long.pdf"),
        passport_documents::day_report(&samples::day_long(12))?,
    )?;
    std::fs::write(
        dir.join("handover-long.pdf"),
        passport_documents::handover_protocol(&samples::handover_long())?,
    )?;
    std::fs::write(
        dir.join("receipt-long.pdf"),
        passport_documents::receipt(&samples::receipt_long())?,
    )?;
    println!("samples written to {}", dir.display());
    Ok(())
}
