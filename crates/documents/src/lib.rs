//! The counter's printed documents, as PDF: the applicant's receipt, the
//! hand-over protocol and the supervisor's end-of-day report.
//!
//! Pure rendering: the caller gathers the data (`passport-counter-core`
//! reads the journal) and gets bytes back. A4, Polish, real text (selectable
//! and searchable, with a ToUnicode map) in an embedded DejaVu Sans cut down
//! to the characters used (`fonts/README.md`), so a receipt stays small.
//! Barcodes are vector rectangles.

mod page;
pub mod samples;

use page::{Cell, Face, Fonts, MARGIN, PAGE_H, PAGE_W, Page, line_height};
use printpdf::{Mm, ParsedFont, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};
use serde::{Deserialize, Serialize};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans-PL.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold-PL.ttf");

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the barcode cannot be drawn: {0}")]
    Barcode(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// The applicant's receipt for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub number: String,
    /// `Paszport`, `Paszport tymczasowy`, `Drugi paszport`.
    pub kind: String,
    pub applicant_name: String,
    /// `28.02.1985`.
    pub birth_date: String,
    /// Partly masked: `850228*****`.
    pub pesel_masked: String,
    /// `140,00 zł`.
    pub fee: String,
    /// The fee's case, e.g. `Opłata pełna` or the reduction.
    pub fee_description: String,
    pub office: String,
    pub workstation: String,
    pub clerk: String,
    /// `22.11.2026 14:05`.
    pub saved_at: String,
    /// Not yet delivered to the register (saved while it was unreachable).
    pub pending_register: bool,
}

/// The protocol of a passport's hand-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverProtocol {
    pub document_number: String,
    pub holder_name: String,
    pub holder_pesel_masked: String,
    pub application_number: Option<String>,
    /// `posiadacz` or `rodzic: Anna Nowak, PESEL 850228*****`.
    pub collected_by: String,
    pub identity_check: String,
    /// The chip check's result, in words.
    pub chip_check: String,
    pub previous_passport: Option<String>,
    /// Recorded while the register was unreachable.
    pub provisional: bool,
    pub office: String,
    pub workstation: String,
    pub clerk: String,
    pub recorded_at: String,
}

/// One line of the day's operations: a kind, a state and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// In words: `Wniosek`, `Wydanie dokumentu`.
    pub kind: String,
    /// In words: `rejestr przyjął`.
    pub state: String,
    pub count: i64,
}

/// A supervisor's recorded decision, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionLine {
    /// What was decided, in words (never the code).
    pub outcome: String,
    pub note: String,
    /// The supervisor's name.
    pub supervisor: String,
    /// `22.11.2026 15:00`.
    pub decided_at: String,
}

/// An entry the register refused (or that cannot be sent), in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedItem {
    pub seq: i64,
    pub kind: String,
    pub record_key: String,
    /// The person it concerns, when known.
    pub person: Option<String>,
    pub state: String,
    /// Why, in words.
    pub reason: String,
    pub decision: Option<DecisionLine>,
}

/// What retention purged on the day: how many operations of each kind
/// lost their personal data, and the dates of the oldest and newest of
/// them. No personal data: kinds, counts and dates only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgedSection {
    /// The retention the purges ran with, in words (`90 dni`); none when
    /// nothing was purged.
    pub retention: Option<String>,
    /// Per kind, in words: (`Wniosek`, 3).
    pub counts: Vec<(String, u64)>,
    /// `dd.mm.rrrr` of the oldest and the newest purged operation.
    pub oldest: Option<String>,
    pub newest: Option<String>,
}

/// The supervisor's end-of-day report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayReport {
    pub date: String,
    pub office: String,
    pub workstation: String,
    pub generated_at: String,
    /// The supervisor who made it, by name (none from a script).
    pub generated_by: Option<String>,
    pub counts: Vec<DayCount>,
    /// Still waiting for the register, counted in words (`2 operacje`).
    pub pending: String,
    /// Refused and not yet decided, in words (`3 operacje, w tym 1 bez decyzji`).
    pub refused_summary: String,
    pub refused: Vec<RefusedItem>,
    /// `(from, to)`, local times.
    pub offline_periods: Vec<(String, String)>,
    /// Personal data purged that day (retention).
    pub purged: PurgedSection,
}

struct Doc {
    pdf: PdfDocument,
    fonts: Fonts,
    pages: Vec<PdfPage>,
}

impl Doc {
    fn new(title: &str) -> Result<Self, DocError> {
        let mut pdf = PdfDocument::new(title);
        pdf.metadata.info.creator = "Passport Counter".into();
        pdf.metadata.info.producer = "Passport Counter (printpdf)".into();
        let now = printpdf::OffsetDateTime::now_utc();
        pdf.metadata.info.creation_date = now;
        pdf.metadata.info.modification_date = now;
        pdf.metadata.info.metadata_date = now;
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(REGULAR, 0, &mut warnings).ok_or(DocError::Font)?;
        let bold = ParsedFont::from_bytes(BOLD, 0, &mut warnings).ok_or(DocError::Font)?;
        let fonts = Fonts {
            regular: (pdf.add_font(&regular), regular),
            bold: (pdf.add_font(&bold), bold),
        };
        Ok(Self {
            pdf,
            fonts,
            pages: Vec::new(),
        })
    }

    fn add_pages(&mut self, pages: Vec<Vec<printpdf::Op>>) {
        for ops in pages {
            self.pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
    }

    fn save(mut self) -> Result<Vec<u8>, DocError> {
        self.pdf.pages = self.pages;
        let mut warnings = Vec::new();
        let opts = PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        let bytes = self.pdf.save(&opts, &mut warnings);
        if let Some(w) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            return Err(DocError::Pdf(w.msg.clone()));
        }
        Ok(bytes)
    }
}

fn header(p: &mut Page<'_>, title: &str, office: &str, workstation: &str) {
    let place = format!("Urząd: {office} · stanowisko {workstation}");
    let cell = Cell {
        size: 9.0,
        ..Cell::new(MARGIN, PAGE_W - 2.0 * MARGIN, Face::Regular, &place)
    };
    // The first baseline where the single line always had it; a long
    // office name wraps below.
    p.row(&[cell], 0.0);
    p.gap(9.0);
    p.text_at(MARGIN, p.y, 15.0, Face::Bold, title);
    p.gap(3.0);
    p.rule(MARGIN, PAGE_W - MARGIN, p.y, 0.8);
    p.gap(2.0);
}

/// The applicant's receipt: the number as text, Code 128 and QR.
pub fn receipt(r: &Receipt) -> Result<Vec<u8>, DocError> {
    let mut doc = Doc::new(&format!("Potwierdzenie złożenia wniosku {}", r.number))?;
    let ops = {
        let mut p = Page::new(&doc.fonts);
        header(
            &mut p,
            "Potwierdzenie złożenia wniosku paszportowego",
            &r.office,
            &r.workstation,
        );
        // QR at the right, below the header, with its 4-module quiet zone
        // kept clear of the rule above and inside the margin.
        let module = 0.8;
        let qr_top = p.y + 4.0 * module + 1.0;
        let side = p
            .qr(&r.number, PAGE_W - MARGIN - 29.0, qr_top, module)
            .map_err(DocError::Barcode)?;
        p.line(10.0, Face::Regular, "Numer wniosku:");
        p.gap(3.0);
        p.line(20.0, Face::Bold, &r.number);
        let top = p.y + 3.0;
        p.code128(&r.number, MARGIN - 3.3, top, 0.33, 14.0)
            .map_err(DocError::Barcode)?;
        p.y = (top + 20.0).max(qr_top + side + 4.0 * module);
        p.field("Rodzaj dokumentu", &r.kind);
        p.field("Wnioskodawca", &r.applicant_name);
        p.field("Data urodzenia", &r.birth_date);
        p.field("PESEL", &r.pesel_masked);
        p.field("Opłata", &format!("{} ({})", r.fee, r.fee_description));
        p.field(
            "Urząd i stanowisko",
            &format!("{}, stanowisko {}", r.office, r.workstation),
        );
        p.field("Urzędnik przyjmujący", &r.clerk);
        p.field("Data i godzina", &r.saved_at);
        p.gap(8.0);
        if r.pending_register {
            let text = "Wniosek jest zapisany w urzędzie, ale nie został jeszcze przekazany \
                        do centralnego rejestru (rejestr był niedostępny). Zostanie przekazany \
                        automatycznie po przywróceniu połączenia. Nie trzeba nic robić ani \
                        przychodzić ponownie. Stan wniosku będzie można sprawdzić pod powyższym \
                        numerem po jego przekazaniu.";
            let width = PAGE_W - 2.0 * MARGIN - 4.0;
            // The band fits its text, however it wraps.
            let lines = p.wrap(text, 9.5, Face::Regular, width).len() as f32;
            let height = 1.0 + line_height(10.0) + lines * line_height(9.5) + 2.5;
            p.ensure(height);
            p.band(p.y, height);
            p.gap(1.0);
            p.line(10.0, Face::Bold, "Zapisano bez połączenia z rejestrem");
            p.paragraph(9.5, Face::Regular, text, width);
            p.gap(6.0);
        }
        p.gap(4.0);
        p.paragraph(
            9.0,
            Face::Regular,
            "Prosimy zachować to potwierdzenie: numer wniosku jest potrzebny przy odbiorze \
             paszportu i przy sprawdzaniu stanu wniosku.",
            PAGE_W - 2.0 * MARGIN,
        );
        p.into_pages()
    };
    doc.add_pages(ops);
    doc.save()
}

/// The hand-over protocol, with signature lines for clerk and collector.
pub fn handover_protocol(h: &HandoverProtocol) -> Result<Vec<u8>, DocError> {
    let mut doc = Doc::new(&format!("Protokół wydania paszportu {}", h.document_number))?;
    let ops = {
        let mut p = Page::new(&doc.fonts);
        header(
            &mut p,
            "Protokół wydania dokumentu paszportowego",
            &h.office,
            &h.workstation,
        );
        if h.provisional {
            let text = "Wydanie zostanie potwierdzone w centralnym rejestrze po przywróceniu \
                        połączenia; rozbieżność rozstrzyga kierownik.";
            let width = PAGE_W - 2.0 * MARGIN - 4.0;
            let lines = p.wrap(text, 9.0, Face::Regular, width).len() as f32;
            let height = 1.0 + line_height(11.0) + lines * line_height(9.0) + 2.5;
            p.band(p.y + 1.0, height);
            p.gap(1.0);
            p.line(
                11.0,
                Face::Bold,
                "WYDANIE WARUNKOWE (bez połączenia z rejestrem)",
            );
            p.paragraph(9.0, Face::Regular, text, width);
            p.gap(4.0);
        }
        p.field("Numer dokumentu", &h.document_number);
        p.field("Posiadacz", &h.holder_name);
        p.field("PESEL", &h.holder_pesel_masked);
        if let Some(n) = &h.application_number {
            p.field("Numer wniosku", n);
        }
        p.field("Odbierający", &h.collected_by);
        p.field("Tożsamość sprawdzono", &h.identity_check);
        p.field("Weryfikacja chipu", &h.chip_check);
        p.field(
            "Poprzedni paszport",
            &h.previous_passport.as_ref().map_or_else(
                || "brak".to_owned(),
                |n| format!("{n} – unieważniony w związku z odbiorem nowego"),
            ),
        );
        p.field("Urzędnik wydający", &h.clerk);
        p.field("Data i godzina", &h.recorded_at);
        p.ensure(45.0);
        let sig = p.y + 40.0;
        p.rule(MARGIN, MARGIN + 70.0, sig, 0.5);
        p.rule(PAGE_W - MARGIN - 70.0, PAGE_W - MARGIN, sig, 0.5);
        p.text_at(MARGIN, sig + 5.0, 9.0, Face::Regular, "podpis urzędnika");
        p.text_at(
            PAGE_W - MARGIN - 70.0,
            sig + 5.0,
            9.0,
            Face::Regular,
            "podpis odbierającego",
        );
        p.into_pages()
    };
    doc.add_pages(ops);
    doc.save()
}

/// The end-of-day report; continues on further pages when long (the
/// operations table repeats its headings).
pub fn day_report(d: &DayReport) -> Result<Vec<u8>, DocError> {
    let mut doc = Doc::new(&format!("Raport dnia {}", d.date))?;
    let pages = {
        let mut p = Page::new(&doc.fonts);
        header(
            &mut p,
            &format!("Raport dnia {}", d.date),
            &d.office,
            &d.workstation,
        );
        p.field("Sporządzono", &d.generated_at);
        if let Some(who) = &d.generated_by {
            p.field("Sporządził(a)", who);
        }
        p.field("Czeka na rejestr", &d.pending);
        p.field("Odrzucone i konflikty", &d.refused_summary);
        p.gap(4.0);
        p.line(11.0, Face::Bold, "Operacje dnia");
        if d.counts.is_empty() {
            p.line(10.0, Face::Regular, "brak");
        } else {
            let heads = |p: &mut Page<'_>| {
                p.row(
                    &count_cells("Rodzaj operacji", "Stan w rejestrze", "Liczba", Face::Bold),
                    line_height(10.0),
                );
                p.rule(MARGIN, PAGE_W - MARGIN, p.y + 1.2, 0.4);
                p.gap(0.6);
            };
            heads(&mut p);
            for c in &d.counts {
                let n = c.count.to_string();
                let cells = count_cells(&c.kind, &c.state, &n, Face::Regular);
                if p.ensure(p.row_height(&cells, line_height(10.0))) {
                    heads(&mut p);
                }
                p.row(&cells, line_height(10.0));
            }
        }
        p.gap(4.0);
        p.line(11.0, Face::Bold, "Przerwy w łączności z rejestrem");
        if d.offline_periods.is_empty() {
            p.line(10.0, Face::Regular, "brak");
        }
        for (from, to) in &d.offline_periods {
            p.line(10.0, Face::Regular, &format!("{from} – {to}"));
        }
        purged_section(&mut p, &d.purged);
        p.gap(4.0);
        p.line(11.0, Face::Bold, "Odrzucone i konflikty");
        if d.refused.is_empty() {
            p.line(10.0, Face::Regular, "brak");
        }
        for r in &d.refused {
            p.ensure(20.0);
            p.gap(1.5);
            let title = match &r.person {
                Some(who) => format!("#{} · {} {} · {}", r.seq, r.kind, r.record_key, who),
                None => format!("#{} · {} {}", r.seq, r.kind, r.record_key),
            };
            p.row(
                &[Cell::new(MARGIN, PAGE_W - 2.0 * MARGIN, Face::Bold, &title)],
                line_height(10.0),
            );
            p.field("Stan", &r.state);
            p.field("Powód", &r.reason);
            match &r.decision {
                Some(dec) => {
                    p.field("Decyzja kierownika", &dec.outcome);
                    p.field("Uzasadnienie", &dec.note);
                    p.field(
                        "Zdecydował(a)",
                        &format!("{}, {}", dec.supervisor, dec.decided_at),
                    );
                }
                None => p.field("Decyzja kierownika", "jeszcze nie podjęta"),
            }
        }
        p.ensure(30.0);
        let sig = p.y + 22.0;
        p.rule(PAGE_W - MARGIN - 70.0, PAGE_W - MARGIN, sig, 0.5);
        p.text_at(
            PAGE_W - MARGIN - 70.0,
            sig + 5.0,
            9.0,
            Face::Regular,
            "podpis kierownika",
        );
        p.into_pages()
    };
    doc.add_pages(pages);
    doc.save()
}

/// The day's purge: a line per kind, then the dates it reached back to.
fn purged_section(p: &mut Page<'_>, s: &PurgedSection) {
    p.gap(4.0);
    p.ensure(20.0);
    let title = match &s.retention {
        Some(days) => format!("Usunięte dane osobowe (okres przechowywania {days})"),
        None => "Usunięte dane osobowe".to_owned(),
    };
    p.line(11.0, Face::Bold, &title);
    if s.counts.is_empty() {
        p.line(10.0, Face::Regular, "brak");
        return;
    }
    for (kind, count) in &s.counts {
        p.field(kind, &count.to_string());
    }
    if let (Some(oldest), Some(newest)) = (&s.oldest, &s.newest) {
        p.field("Operacje z dni", &format!("{oldest} – {newest}"));
    }
}

/// The operations table's three columns.
fn count_cells<'a>(kind: &'a str, state: &'a str, count: &'a str, face: Face) -> [Cell<'a>; 3] {
    let width = PAGE_W - 2.0 * MARGIN;
    [
        Cell::new(MARGIN, 70.0, face, kind),
        Cell::new(MARGIN + 73.0, width - 73.0 - 28.0, face, state),
        Cell::new(PAGE_W - MARGIN - 25.0, 25.0, face, count).right(),
    ]
}

/// One line of text on an A4 page in the same fonts: the benchmark's
/// baseline (what any document with these fonts costs).
pub fn baseline_page(text: &str) -> Result<Vec<u8>, DocError> {
    let mut doc = Doc::new("baseline")?;
    let ops = {
        let mut p = Page::new(&doc.fonts);
        p.line(12.0, Face::Regular, text);
        p.line(12.0, Face::Bold, text);
        p.into_pages()
    };
    doc.add_pages(ops);
    doc.save()
}

/// A PESEL with all but the birth-date digits hidden: `850228*****`.
pub fn mask_pesel(pesel: &str) -> String {
    pesel
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 6 { c } else { '*' })
        .collect()
}
