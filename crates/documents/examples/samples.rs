//! Writes sample documents with demo data (for the README and for a look):
//! `cargo run -p passport-documents --example samples -- OUT_DIR`.

use passport_documents::{DayCount, DayReport, HandoverProtocol, Receipt, RefusedItem};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/samples".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let receipt = Receipt {
        number: "DEMO-01-000003-24".into(),
        kind: "Paszport".into(),
        applicant_name: "Zofia Małgorzata Żółkiewska-Łęcka".into(),
        birth_date: "28.02.1985".into(),
        pesel_masked: "850228*****".into(),
        fee: "140,00 zł".into(),
        fee_description: "Opłata pełna".into(),
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk: "demo-clerk".into(),
        saved_at: "22.11.2026 14:05".into(),
        pending_register: true,
    };
    std::fs::write(
        dir.join("receipt.pdf"),
        passport_documents::receipt(&receipt)?,
    )?;
    let handover = HandoverProtocol {
        document_number: "DA0000001".into(),
        holder_name: "Jan Kowalski".into(),
        holder_pesel_masked: "900101*****".into(),
        application_number: Some("DEMO-01-000003-24".into()),
        collected_by: "posiadacz (osobiście)".into(),
        identity_check: "dowód osobisty ABC123456".into(),
        chip_check: "nie wykonano (stanowisko bez czytnika)".into(),
        previous_passport: Some("EA0999999".into()),
        provisional: false,
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk: "demo-clerk".into(),
        recorded_at: "22.11.2026 15:00".into(),
    };
    std::fs::write(
        dir.join("handover.pdf"),
        passport_documents::handover_protocol(&handover)?,
    )?;
    let day = DayReport {
        date: "22.11.2026".into(),
        office: "DEMO".into(),
        workstation: "01".into(),
        generated_at: "22.11.2026 18:00".into(),
        counts: vec![
            DayCount {
                kind: "wniosek".into(),
                state: "przyjęte przez rejestr".into(),
                count: 17,
            },
            DayCount {
                kind: "wydanie".into(),
                state: "przyjęte przez rejestr".into(),
                count: 9,
            },
        ],
        pending: 0,
        refused: vec![RefusedItem {
            seq: 12,
            kind: "wydanie".into(),
            record_key: "DA0000004".into(),
            state: "konflikt".into(),
            reason: "document_already_issued".into(),
            decision: Some(
                "accept_refusal – wydany wcześniej w innym urzędzie (demo-supervisor)".into(),
            ),
        }],
        offline_periods: vec![("22.11.2026 10:00".into(), "22.11.2026 10:42".into())],
    };
    std::fs::write(dir.join("day.pdf"), passport_documents::day_report(&day)?)?;
    println!("samples written to {}", dir.display());
    Ok(())
}
