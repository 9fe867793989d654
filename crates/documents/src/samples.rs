//! Sample documents' data (an applicant whose name uses every kind of
//! Polish letter), for the sample PDFs, the tests and the benchmark.

use crate::{
    DayCount, DayReport, DecisionLine, HandoverProtocol, PurgedSection, Receipt, RefusedItem,
};

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
        clerk: "Anna Kowalska".into(),
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
        clerk: "Anna Kowalska".into(),
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
        generated_by: Some("Piotr Nowak".into()),
        counts: vec![
            DayCount {
                kind: "Wniosek".into(),
                state: "rejestr przyjął".into(),
                count: 17,
            },
            DayCount {
                kind: "Wydanie dokumentu".into(),
                state: "rejestr przyjął".into(),
                count: 9,
            },
        ],
        pending: "2 operacje".into(),
        refused_summary: format!("{refused}, w tym {} bez decyzji", refused - 1),
        refused: (1..=refused)
            .map(|i| RefusedItem {
                seq: i,
                kind: "Wniosek".into(),
                record_key: format!("DEMO-01-{i:06}-00"),
                person: Some("Zofia Żółkiewska".into()),
                state: "rejestr odrzucił".into(),
                reason: "numer wniosku jest już zajęty w rejestrze".into(),
                decision: (i == 1).then(|| DecisionLine {
                    outcome: "Rejestr ma rację: wnioskodawca zostanie poinformowany".into(),
                    note: "wnioskodawca poinformowany telefonicznie".into(),
                    supervisor: "Piotr Nowak".into(),
                    decided_at: "22.11.2026 16:30".into(),
                }),
            })
            .collect(),
        offline_periods: vec![("22.11.2026 10:00".into(), "22.11.2026 10:42".into())],
        purged: PurgedSection {
            retention: Some("90 dni".into()),
            counts: vec![("Wniosek".into(), 12), ("Wydanie dokumentu".into(), 4)],
            oldest: Some("20.08.2026".into()),
            newest: Some("24.08.2026".into()),
        },
    }
}

/// Long Polish names and values everywhere a name or a value goes.
const LONG_NAME: &str =
    "Konstancja Bożydara Małgorzata Żółkiewska-Szczebrzeszyńska-Łęcka-Wierzbicka";
const LONG_CLERK: &str = "Małgorzata Brzęczyszczykiewicz-Źdźbłowska";

/// A receipt with every value as long as the register allows.
pub fn receipt_long() -> Receipt {
    Receipt {
        applicant_name: LONG_NAME.into(),
        fee_description:
            "Ulga 50% – Karta Dużej Rodziny, osoba pobierająca naukę w szkole ponadpodstawowej"
                .into(),
        office:
            "Urząd Wojewódzki w Gorzowie Wielkopolskim, Wydział Spraw Obywatelskich i Cudzoziemców"
                .into(),
        workstation: "07".into(),
        clerk: LONG_CLERK.into(),
        kind: "Paszport tymczasowy".into(),
        ..receipt()
    }
}

/// A hand-over protocol with every value long.
pub fn handover_long() -> HandoverProtocol {
    HandoverProtocol {
        holder_name: LONG_NAME.into(),
        collected_by: format!(
            "opiekun prawny: {LONG_NAME}, PESEL 650505*****, postanowienie sądu sygn. akt III RNs 1234/25"
        ),
        identity_check:
            "dowód osobisty ABC123456 wydany przez Prezydenta Miasta Stołecznego Warszawy".into(),
        chip_check: "układ sprawdzony: dane i podpisy poprawne".into(),
        office:
            "Urząd Wojewódzki w Gorzowie Wielkopolskim, Wydział Spraw Obywatelskich i Cudzoziemców"
                .into(),
        clerk: LONG_CLERK.into(),
        ..handover()
    }
}

/// A day report with long names and many rows of every table.
pub fn day_long(refused: i64) -> DayReport {
    let kinds = [
        "Wniosek",
        "Wydanie dokumentu",
        "Unieważnienie dokumentu",
        "Decyzja kierownika",
        "Wyjątek od limitów przyjmowania",
    ];
    let states = [
        "czeka na wysłanie",
        "rejestr przyjął",
        "rejestr odrzucił",
        "konflikt z rejestrem",
        "nie do wysłania",
        "tylko na tym stanowisku",
    ];
    let mut d = day(refused);
    d.generated_by = Some(LONG_CLERK.into());
    d.counts = kinds
        .iter()
        .flat_map(|k| states.iter().map(move |s| (k, s)))
        .enumerate()
        .map(|(i, (k, s))| DayCount {
            kind: (*k).into(),
            state: (*s).into(),
            count: i64::try_from(i).unwrap_or(0) * 17 + 1,
        })
        .collect();
    for r in &mut d.refused {
        r.person = Some(LONG_NAME.into());
        r.reason = "pierwsza próba wysłania była zbyt dawno: przed ponownym wysłaniem sprawdź stan w rejestrze".into();
        r.decision = Some(DecisionLine {
            outcome: "Poprawione w rejestrze inną drogą".into(),
            note: "Zgłoszono do centrali telefonicznie; numer zgłoszenia 2026/11/22/0042, rozmowa z panią Brzęczyszczykiewicz".into(),
            supervisor: LONG_CLERK.into(),
            decided_at: "22.11.2026 16:30".into(),
        });
    }
    d.offline_periods = (0..12)
        .map(|h| {
            (
                format!("22.11.2026 {:02}:00", 8 + h / 2),
                format!(
                    "22.11.2026 {:02}:{}",
                    8 + h / 2,
                    if h % 2 == 0 { "17" } else { "48" }
                ),
            )
        })
        .collect();
    d
}
