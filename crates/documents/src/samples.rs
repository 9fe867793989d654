//! Sample documents' data (an applicant whose name uses every kind of
//! Polish letter), for the sample PDFs, the tests and the benchmark.

use crate::{DayCount, DayReport, HandoverProtocol, Receipt, RefusedItem};

/// A receipt for an application saved while the register was unreachable.
pub fn receipt() -> Receipt {
    Receipt {
        number: "DEMO-01-000042-37".into(),
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
    }
}

/// A provisional hand-over to a parent, with the old passport invalidated.
pub fn handover() -> HandoverProtocol {
    HandoverProtocol {
        document_number: "DA0000001".into(),
        holder_name: "Łukasz Źdźbło-Ęcki".into(),
        holder_pesel_masked: "100101*****".into(),
        application_number: Some("DEMO-01-000042-37".into()),
        collected_by: "rodzic: Anna Ślęzak, PESEL 650505*****".into(),
        identity_check: "dowód osobisty ABC123456".into(),
        chip_check: "nie wykonano (stanowisko bez czytnika)".into(),
        previous_passport: Some("EA0999999".into()),
        provisional: true,
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk: "demo-clerk".into(),
        recorded_at: "22.11.2026 15:00".into(),
    }
}

/// A day with `refused` refusals (enough of them take more than a page).
pub fn day(refused: i64) -> DayReport {
    DayReport {
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
        pending: 2,
        refused: (1..=refused)
            .map(|i| RefusedItem {
                seq: i,
                kind: "wniosek".into(),
                record_key: format!("DEMO-01-{i:06}-00"),
                state: "odrzucone".into(),
                reason: "application_number_taken: numer zajęty".into(),
                decision: (i == 1).then(|| {
                    "accept_refusal – wnioskodawca poinformowany (demo-supervisor)".into()
                }),
            })
            .collect(),
        offline_periods: vec![("22.11.2026 10:00".into(), "22.11.2026 10:42".into())],
    }
}
