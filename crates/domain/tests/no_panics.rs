//! Outside input never panics the domain: every parser and check of data
//! from a file, a form, a card or the register returns a value or field
//! errors for any input. Property tests, a few seconds in all; failures
//! found are kept in `no_panics.proptest-regressions` beside this file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::NaiveDate;
use passport_domain::application::{ApplicantDraft, ConsentDraft, GuardianDraft};
use passport_domain::names::{self, NameKind};
use passport_domain::photo::{self, PhotoRules};
use passport_domain::{
    Address, ApplicationDraft, ApplicationNumber, ApplicationRules, Contact, Pesel, demo, mrz, text,
};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> ApplicationRules {
    ApplicationRules::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
}

/// Text as it may arrive: plausible values, or anything at all, with
/// controls, format characters and astral planes.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("passport".to_owned()),
        Just("temporary".to_owned()),
        Just("second".to_owned()),
        Just("85022812345".to_owned()),
        Just("1985-02-28".to_owned()),
        Just("Łódź".to_owned()),
        Just("EA1234567".to_owned()),
        Just("court_ruling".to_owned()),
        Just("mother".to_owned()),
        "[0-9]{11}",
        "[A-Za-z0-9 '-]{0,12}",
        any::<String>(),
        ".{0,80}",
    ]
}

fn opt_field() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(field())
}

fn draft() -> impl Strategy<Value = ApplicationDraft> {
    let applicant = (
        (
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
            field(),
        ),
        proptest::option::of((
            opt_field(),
            field(),
            opt_field(),
            field(),
            field(),
            opt_field(),
        )),
        proptest::option::of((opt_field(), opt_field())),
    )
        .prop_map(
            |(
                (pesel, surname, given_names, birth_date, birth_place, sex, citizenship),
                address,
                contact,
            )| ApplicantDraft {
                pesel,
                surname,
                given_names,
                birth_date,
                birth_place,
                sex,
                citizenship,
                address: address.map(|(street, building, flat, postal_code, city, country)| {
                    Address {
                        street,
                        building,
                        flat,
                        postal_code,
                        city,
                        country,
                    }
                }),
                contact: contact.map(|(phone, email)| Contact { phone, email }),
            },
        );
    let guardian =
        (field(), field(), field(), field()).prop_map(|(role, pesel, surname, given_names)| {
            GuardianDraft {
                role,
                pesel,
                surname,
                given_names,
            }
        });
    (
        (
            field(),
            opt_field(),
            any::<Option<u32>>(),
            opt_field(),
            opt_field(),
            opt_field(),
        ),
        applicant,
        (
            opt_field(),
            any::<bool>(),
            proptest::collection::vec(guardian, 0..4),
            proptest::option::of((field(), opt_field())),
            opt_field(),
            opt_field(),
        ),
    )
        .prop_map(
            |(
                (kind, urgent_reason, validity_days, justification, existing, previous),
                applicant,
                (photo, present, guardians, consent, reduction, large_family_card),
            )| ApplicationDraft {
                kind,
                urgent_reason,
                validity_days,
                second_passport_justification: justification,
                existing_passport: existing,
                previous_passport: previous,
                applicant,
                photo,
                applicant_present: present,
                guardians,
                consent: consent.map(|(basis, reference)| ConsentDraft { basis, reference }),
                reduction,
                large_family_card,
            },
        )
}

/// Arbitrary JSON, shallow enough to stay fast.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        field().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("kind".to_owned()),
                    Just("applicant".to_owned()),
                    Just("pesel".to_owned()),
                    Just("surname".to_owned()),
                    Just("address".to_owned()),
                    Just("guardians".to_owned()),
                    Just("consent".to_owned()),
                    Just("validity_days".to_owned()),
                    any::<String>(),
                ],
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn every_error_is_complete(errors: &passport_domain::ValidationErrors) {
    for e in errors.iter() {
        assert!(!e.code.is_empty());
        assert!(!e.message.pl.is_empty() && !e.message.en.is_empty());
    }
}

/// Small real images, so mutations reach the decoders' inner loops fast.
fn real_png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(|| {
        let (w, h) = (48u32, 60u32);
        let data: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    })
}

fn real_jpeg() -> &'static [u8] {
    static JPEG: OnceLock<Vec<u8>> = OnceLock::new();
    JPEG.get_or_init(|| {
        let (w, h) = (48u16, 60u16);
        let data: Vec<u8> = (0..u32::from(w) * u32::from(h) * 3)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 80)
            .encode(&data, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    })
}

fn photo_codes_are_complete(bytes: &[u8]) {
    if let Err(errors) = photo::validate(bytes, &PhotoRules::default(), "photo") {
        assert!(!errors.is_empty());
        for e in errors {
            assert_eq!(e.path, "photo");
            assert!(e.code.starts_with("photo."));
        }
    }
}

/// Flips, overwrites, inserts or deletes bytes of `base` and cuts it.
fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..6),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(edits, cut, do_cut)| {
            let mut v = base.to_vec();
            for (at, byte, how) in edits {
                if v.is_empty() {
                    break;
                }
                let i = at.index(v.len());
                match how {
                    0 => v[i] ^= byte | 1,
                    1 => v[i] = byte,
                    2 => v.insert(i, byte),
                    _ => {
                        v.remove(i);
                    }
                }
            }
            if do_cut && !v.is_empty() {
                v.truncate(cut.index(v.len()));
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn drafts_from_any_json_text_never_panic(s in any::<String>()) {
        if let Ok(d) = ApplicationDraft::from_json(&s) {
            let _ = d.validate(Some(demo::PHOTO_PNG), &rules());
        }
    }

    #[test]
    fn drafts_from_any_json_value_never_panic(v in json()) {
        if let Ok(d) = ApplicationDraft::from_json(&v.to_string())
            && let Err(e) = d.validate(None, &rules())
        {
            every_error_is_complete(&e);
        }
    }

    #[test]
    fn validating_any_draft_never_panics(d in draft(), with_photo in any::<bool>()) {
        let photo = with_photo.then_some(demo::PHOTO_PNG);
        match d.validate(photo, &rules()) {
            Ok(v) => {
                // What passed holds no invisible character anywhere.
                let stored = serde_json::to_string(&v).unwrap();
                let stored: String = serde_json::from_str::<serde_json::Value>(&stored)
                    .unwrap()
                    .to_string();
                prop_assert!(!stored.chars().any(text::is_invisible));
            }
            Err(e) => every_error_is_complete(&e),
        }
        // The JSON round trip of any draft is itself a draft.
        let again = ApplicationDraft::from_json(&serde_json::to_string(&d).unwrap()).unwrap();
        prop_assert_eq!(again, d);
    }

    #[test]
    fn any_bytes_as_a_photo_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        photo_codes_are_complete(&bytes);
        let _ = photo::inspect(&bytes);
    }

    #[test]
    fn any_bytes_after_an_image_signature_never_panic(
        png in any::<bool>(),
        tail in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = if png {
            b"\x89PNG\r\n\x1a\n".to_vec()
        } else {
            vec![0xFF, 0xD8, 0xFF]
        };
        bytes.extend(tail);
        photo_codes_are_complete(&bytes);
    }

    #[test]
    fn a_mutated_png_never_panics(bytes in mutated(real_png())) {
        photo_codes_are_complete(&bytes);
    }

    #[test]
    fn a_mutated_jpeg_never_panics(bytes in mutated(real_jpeg())) {
        photo_codes_are_complete(&bytes);
    }

    #[test]
    fn any_two_mrz_lines_never_panic(l1 in any::<String>(), l2 in any::<String>()) {
        let _ = mrz::parse(&l1, &l2);
    }

    #[test]
    fn any_44_character_mrz_lines_never_panic(
        l1 in "[A-Z0-9<]{44}",
        l2 in "[A-Z0-9<]{44}",
        odd in "\\PC{44}",
    ) {
        let _ = mrz::parse(&l1, &l2);
        let _ = mrz::parse(&format!("P<POL{}", &l1[5..]), &l2);
        let _ = mrz::parse(&odd, &l2);
        let _ = mrz::parse(&l1, &odd);
        let _ = mrz::check_digit(&l2);
    }

    #[test]
    fn any_pesel_never_panics(s in prop_oneof![any::<String>(), "[0-9]{11}", " ?[0-9]{10,12} ?"]) {
        if let Ok(p) = Pesel::parse(&s) {
            prop_assert_eq!(Pesel::parse(&p.to_string()).unwrap(), p);
            let _ = p.masked();
        }
    }

    #[test]
    fn names_and_numbers_never_panic(s in any::<String>()) {
        for kind in [NameKind::Surname, NameKind::GivenNames, NameKind::Place] {
            let _ = names::validate(&s, kind, "x");
        }
        let _ = names::transliterate(&s);
        let _ = ApplicationNumber::parse(&s);
    }

    #[test]
    fn the_free_text_check_is_exactly_the_invisible_characters(s in any::<String>()) {
        let refused = text::check_free_text(&s, "x").is_err();
        prop_assert_eq!(refused, s.chars().any(text::is_invisible));
    }

    #[test]
    fn terminal_text_holds_no_invisible_character(s in any::<String>()) {
        let safe = text::terminal_safe(&s);
        prop_assert!(!safe.chars().any(text::is_invisible));
        if !s.chars().any(text::is_invisible) {
            prop_assert_eq!(safe.as_ref(), s.as_str());
        }
    }
}
