//! Demo data: a photo and plausible applicants, for the demo office,
//! examples, tests and benchmarks. Deterministic: the same index gives the
//! same applicant.

use crate::application::{Address, ApplicantDraft, ApplicationDraft, Contact};
use crate::pesel::{Pesel, Sex};
use chrono::{Datelike, NaiveDate};

/// A 600×771 PNG portrait placeholder that passes the photo checks.
pub const PHOTO_PNG: &[u8] = include_bytes!("../data/demo-photo.png");

const SURNAMES: [(&str, &str); 24] = [
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"),
    ("Król", "Król"),
    ("Jabłoński", "Jabłońska"),
    ("Stępień", "Stępień"),
    ("Żak", "Żak"),
    ("Łukasik", "Łukasik"),
];
const MEN: [&str; 10] = [
    "Jan",
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Michał",
    "Łukasz",
    "Jakub",
    "Mateusz",
];
const WOMEN: [&str; 10] = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Zofia",
    "Barbara",
    "Ewa",
    "Joanna",
    "Łucja",
];
const CITIES: [(&str, &str); 8] = [
    ("Warszawa", "00-950"),
    ("Kraków", "30-001"),
    ("Łódź", "90-001"),
    ("Wrocław", "50-001"),
    ("Poznań", "60-001"),
    ("Gdańsk", "80-001"),
    ("Szczecin", "70-001"),
    ("Białystok", "15-001"),
];

/// A small deterministic generator (SplitMix64), so demo data needs no `rand`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick<T: Copy>(list: &[T], r: u64) -> T {
    list[(r % list.len() as u64) as usize]
}

/// An adult applicant (18–69 on `today`) for a standard passport.
pub fn adult_draft(index: u64, today: NaiveDate) -> ApplicationDraft {
    let r = mix(index);
    let female = r & 1 == 0;
    let sex = if female { Sex::Female } else { Sex::Male };
    let age_days = 18 * 366 + (mix(r) % (51 * 365)) as i64;
    let birth = today - chrono::Duration::days(age_days);
    let birth =
        NaiveDate::from_ymd_opt(birth.year(), birth.month(), birth.day().min(28)).unwrap_or(birth);
    let serial = (mix(r ^ 7) % 5000) as u16;
    let pesel = Pesel::from_parts(birth, serial, sex)
        .map(|p| p.to_string())
        .unwrap_or_default();
    let (m, f) = pick(&SURNAMES, mix(r ^ 1));
    let given = if female {
        pick(&WOMEN, mix(r ^ 2))
    } else {
        pick(&MEN, mix(r ^ 2))
    };
    let (city, postal) = pick(&CITIES, mix(r ^ 3));
    ApplicationDraft {
        kind: "passport".into(),
        applicant: ApplicantDraft {
            pesel,
            surname: if female { f } else { m }.into(),
            given_names: given.into(),
            birth_date: birth.to_string(),
            birth_place: city.into(),
            sex: sex.code().to_string(),
            citizenship: "POL".into(),
            address: Some(Address {
                street: Some("Marszałkowska".into()),
                building: format!("{}", 1 + mix(r ^ 4) % 150),
                flat: None,
                postal_code: postal.into(),
                city: city.into(),
                country: None,
            }),
            contact: Some(Contact {
                phone: Some(format!(
                    "+48 600 {:03} {:03}",
                    mix(r ^ 5) % 1000,
                    mix(r ^ 6) % 1000
                )),
                email: None,
            }),
        },
        photo: Some("demo-photo.png".into()),
        applicant_present: true,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::ApplicationRules;

    #[test]
    fn demo_applicants_are_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let rules = ApplicationRules::new(today);
        for i in 0..500 {
            let d = adult_draft(i, today);
            if let Err(e) = d.validate(Some(PHOTO_PNG), &rules) {
                panic!("demo applicant {i} is invalid: {e}");
            }
        }
    }
}
