//! Printed documents: the data gathered from the journal, rendered by
//! `passport-documents`, and sent to the system's printer (CUPS `lp` on
//! Linux; the shell's "PrintTo" verb on Windows). A failed print never
//! touches the saved action: the document can be printed again.

use crate::Counter;
use crate::error::CoreError;
use crate::supervisor::{parse_day, summarize_day_with_refusals};
use chrono::{DateTime, Local};
use passport_documents::{DayCount, DayReport, HandoverProtocol, Receipt, RefusedItem, mask_pesel};
use passport_domain::ValidApplication;
use passport_journal::Journal;
use passport_journal::SyncState;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Which document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocumentRef {
    Receipt {
        number: String,
    },
    Handover {
        document_number: String,
    },
    /// `YYYY-MM-DD`, today when absent.
    Day {
        date: Option<String>,
    },
}

/// A rendered document, saved under the data directory's `printouts/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Printout {
    pub pdf_path: String,
    /// The first page as a PNG `data:` URL, when poppler's `pdftoppm` is there.
    pub preview_png: Option<String>,
    /// The print job, when it was sent to a printer (`lp`'s request id).
    pub job: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the document could not be made: {0}")]
    Render(#[from] passport_documents::DocError),
    #[error("the printing system is not installed here ({0})")]
    NoPrintingSystem(String),
    #[error("the printer refused the job: {0}")]
    Printer(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot save {path}: {source}")]
    Save {
        path: String,
        source: std::io::Error,
    },
}

fn local(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Local).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

fn kind_pl(code: &str) -> &'static str {
    match code {
        "temporary" => "Paszport tymczasowy",
        "second" => "Drugi paszport",
        _ => "Paszport",
    }
}

fn entry_kind_pl(code: &str) -> String {
    match code {
        "submit_application" => "wniosek".into(),
        "record_handover" => "wydanie".into(),
        "invalidate_document" => "unieważnienie".into(),
        "supervisor_decision" => "decyzja kierownika".into(),
        "intake_override" => "wyjątek od limitów".into(),
        other => other.into(),
    }
}

fn decision_pl(outcome: passport_journal::DecisionOutcome) -> &'static str {
    use passport_journal::DecisionOutcome as D;
    match outcome {
        D::AcceptRefusal => "odmowa rejestru przyjęta, wnioskodawca poinformowany",
        D::CorrectedElsewhere => "poprawione w rejestrze inną drogą",
        D::Escalated => "przekazane do centrali",
    }
}

fn state_pl(state: SyncState) -> String {
    match state {
        SyncState::Pending => "czeka".into(),
        SyncState::InFlight => "wysyłanie".into(),
        SyncState::Acknowledged => "przyjęte przez rejestr".into(),
        SyncState::Rejected => "odrzucone".into(),
        SyncState::Conflict => "konflikt".into(),
        SyncState::Unsendable => "nie do wysłania: zapis nieczytelny".into(),
        SyncState::Local => "zapis stanowiska (nie wysyła się)".into(),
    }
}

/// The receipt of an application taken at this counter.
pub async fn receipt(journal: &Journal, number: &str) -> Result<Vec<u8>, CoreError> {
    let d = journal
        .application(number)
        .await?
        .ok_or_else(|| CoreError::NotFound(number.to_owned()))?;
    let app: &ValidApplication = &d.data;
    let id = journal.identity();
    let r = Receipt {
        number: d.summary.number.clone(),
        kind: kind_pl(&d.summary.kind).into(),
        applicant_name: format!("{} {}", app.applicant.given_names, app.applicant.surname),
        birth_date: app.applicant.birth_date.format("%d.%m.%Y").to_string(),
        pesel_masked: mask_pesel(&d.summary.pesel),
        fee: app.fee.display_pln(),
        fee_description: app.fee.description.pl.clone(),
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        clerk: d.clerk_id.clone(),
        saved_at: local(&d.summary.created_at),
        pending_register: matches!(d.summary.sync_state.as_str(), "pending" | "in_flight"),
    };
    passport_documents::receipt(&r).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

fn collector_pl(c: &passport_journal::Collector) -> String {
    use passport_journal::Collector;
    let person = |pesel: &passport_domain::Pesel, surname: &str, given_names: &str| {
        format!(
            "{given_names} {surname}, PESEL {}",
            mask_pesel(&pesel.to_string())
        )
    };
    match c {
        Collector::Holder => "posiadacz (osobiście)".into(),
        Collector::Parent {
            pesel,
            surname,
            given_names,
        } => format!("rodzic: {}", person(pesel, surname, given_names)),
        Collector::LegalGuardian {
            pesel,
            surname,
            given_names,
            court_ruling,
        } => match court_ruling {
            Some(r) => format!(
                "opiekun prawny: {}; postanowienie sądu, sygn. akt {r}",
                person(pesel, surname, given_names)
            ),
            None => format!("opiekun prawny: {}", person(pesel, surname, given_names)),
        },
    }
}

fn chip_pl(check: passport_journal::ChipCheck) -> String {
    match check {
        passport_journal::ChipCheck::Passed => passport_cards::Outcome::Passed.words().0.into(),
        passport_journal::ChipCheck::NotChecked => "nie wykonano".into(),
    }
}

/// The protocol of a hand-over recorded at this counter.
pub async fn handover_protocol(journal: &Journal, document: &str) -> Result<Vec<u8>, CoreError> {
    let h = journal
        .handover(document)
        .await?
        .ok_or_else(|| CoreError::NotFound(document.to_owned()))?;
    let id = journal.identity();
    let p = HandoverProtocol {
        document_number: h.document_number.clone(),
        holder_name: format!("{} {}", h.given_names, h.surname),
        holder_pesel_masked: mask_pesel(&h.pesel),
        application_number: h.application_number.clone(),
        collected_by: collector_pl(&h.collected_by),
        identity_check: h.identity_check.clone(),
        chip_check: chip_pl(h.chip_check),
        previous_passport: h.previous_passport.clone(),
        provisional: h.provisional,
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        clerk: h.clerk_id.clone(),
        recorded_at: local(&h.recorded_at),
    };
    passport_documents::handover_protocol(&p).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

/// The end-of-day report for a local date (today when `None`).
pub async fn day_report(journal: &Journal, date: Option<&str>) -> Result<Vec<u8>, CoreError> {
    let day = parse_day(date)?;
    let (s, refusals) = summarize_day_with_refusals(journal, day).await?;
    let refused = refusals
        .into_iter()
        .map(|(e, decision)| RefusedItem {
            seq: e.seq,
            kind: entry_kind_pl(&e.kind),
            record_key: e.record_key,
            state: state_pl(e.sync_state),
            reason: e.register_reason.or(e.last_error).unwrap_or_default(),
            decision: decision
                .map(|d| format!("{} – {} ({})", decision_pl(d.outcome), d.note, d.supervisor)),
        })
        .collect();
    let id = journal.identity();
    let report = DayReport {
        date: day.format("%d.%m.%Y").to_string(),
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        generated_at: Local::now().format("%d.%m.%Y %H:%M").to_string(),
        counts: s
            .counts
            .iter()
            .map(|c| DayCount {
                kind: entry_kind_pl(&c.kind),
                state: state_pl(c.sync_state),
                count: c.count,
            })
            .collect(),
        pending: s.pending,
        refused,
        offline_periods: s
            .offline_periods
            .iter()
            .map(|p| (local(&p.from), local(&p.to)))
            .collect(),
    };
    passport_documents::day_report(&report).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

/// Renders any document.
pub async fn render(journal: &Journal, doc: &DocumentRef) -> Result<Vec<u8>, CoreError> {
    match doc {
        DocumentRef::Receipt { number } => receipt(journal, number).await,
        DocumentRef::Handover { document_number } => {
            handover_protocol(journal, document_number).await
        }
        DocumentRef::Day { date } => day_report(journal, date.as_deref()).await,
    }
}

/// Keeps a document in the data directory's `printouts/` (for reprinting),
/// under its own name; returns where.
pub fn keep_copy(data_dir: &Path, doc: &DocumentRef, pdf: &[u8]) -> Result<PathBuf, PrintError> {
    let path = data_dir.join("printouts").join(file_name(doc));
    save(&path, pdf)?;
    Ok(path)
}

/// Writes a PDF (creating its directory), saying where when it cannot.
///
/// All or nothing: the bytes go to a new temporary file beside the target,
/// are flushed to disk, and the file is renamed over the target. On any
/// failure (a full disk, a read-only directory) the temporary file is
/// removed and the target is left as it was: never a 0-byte or half PDF
/// that looks like a printout.
pub fn save(path: &Path, pdf: &[u8]) -> Result<(), PrintError> {
    save_with(path, pdf, |file, bytes| file.write_all(bytes))
}

/// [`save`] with the write step handed in, so a test can make it fail
/// half-way as a full disk would.
fn save_with(
    path: &Path,
    pdf: &[u8],
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<(), PrintError> {
    let failed = |source| PrintError::Save {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(failed)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "printout".into());
    // Unique enough within one directory: one process writes one printout
    // at a time per name, and `create_new` refuses to reuse a leftover.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.{stamp}.tmp", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(failed)?;
    let written = write(&mut file, pdf)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temp, path)
        });
    if let Err(source) = written {
        std::fs::remove_file(&temp).ok();
        return Err(failed(source));
    }
    // The rename itself is durable once the directory is flushed; where a
    // directory cannot be opened for that (Windows) the file is still whole.
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().ok();
    }
    Ok(())
}

/// The file name a document is saved under in `printouts/`.
fn file_name(doc: &DocumentRef) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    match doc {
        DocumentRef::Receipt { number } => format!("potwierdzenie-{}.pdf", safe(number)),
        DocumentRef::Handover { document_number } => {
            format!("protokol-wydania-{}.pdf", safe(document_number))
        }
        DocumentRef::Day { date } => format!(
            "raport-dnia-{}.pdf",
            safe(
                date.as_deref()
                    .unwrap_or(&Local::now().date_naive().to_string())
            )
        ),
    }
}

/// Sends a PDF file to a printer (the system's default when `None`).
/// Returns the print system's job id.
pub fn send_to_printer(pdf: &Path, printer: Option<&str>) -> Result<String, PrintError> {
    // The job's title is the file's name: what the print queue shows.
    let title = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    #[cfg(not(windows))]
    {
        let mut cmd = std::process::Command::new("lp");
        if let Some(p) = printer {
            cmd.args(["-d", p]);
        }
        cmd.args(["-t", &title]).arg(pdf);
        let out = cmd.output().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PrintError::NoPrintingSystem("CUPS `lp` was not found; install cups-client".into())
            } else {
                PrintError::Io(e)
            }
        })?;
        if !out.status.success() {
            let msg = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            return Err(PrintError::Printer(if msg.is_empty() {
                format!("lp exited with {}", out.status)
            } else {
                msg
            }));
        }
        // "request id is Office-12 (1 file(s))"
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text
            .split_whitespace()
            .skip_while(|w| *w != "is")
            .nth(1)
            .unwrap_or(text.trim())
            .to_owned())
    }
    #[cfg(windows)]
    {
        // The shell's PrintTo verb hands the file to the registered PDF
        // handler, which prints it (documented in installer/). The file and
        // printer go in as environment variables, never into the script's
        // text, so no name can inject a command; no -Wait: some handlers
        // stay open after printing.
        let _ = title;
        let script = "if ($env:PC_PRINTER) { Start-Process -FilePath $env:PC_FILE -Verb PrintTo \
                      -ArgumentList ('\"' + $env:PC_PRINTER + '\"') } \
                      else { Start-Process -FilePath $env:PC_FILE -Verb Print }";
        let out = std::process::Command::new("powershell")
            .args(["-NoProfile", "-NonInteractive", "-Command", script])
            .env("PC_FILE", pdf)
            .env("PC_PRINTER", printer.unwrap_or_default())
            .output()?;
        if out.status.success() {
            Ok("windows-shell".into())
        } else {
            Err(PrintError::Printer(
                String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            ))
        }
    }
}

/// The first page as a small PNG, via poppler's `pdftoppm`, when installed.
fn preview(pdf: &Path) -> Option<String> {
    use base64::Engine as _;
    let root = pdf.with_extension("preview");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&root)
        .status()
        .ok()?
        .success();
    // pdftoppm appends ".png" to the root it is given.
    let png = PathBuf::from(format!("{}.png", root.display()));
    let bytes = ok.then(|| std::fs::read(&png).ok()).flatten();
    std::fs::remove_file(&png).ok();
    bytes.map(|b| {
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b)
        )
    })
}

impl Counter {
    /// Renders a document into `printouts/`, with a preview; prints it when
    /// `print` is set, to the configured printer (or the system default).
    pub async fn printout(&self, doc: &DocumentRef, print: bool) -> Result<Printout, CoreError> {
        let session = self.clerk()?;
        if matches!(doc, DocumentRef::Day { .. }) && session.role != crate::Role::Supervisor {
            return Err(CoreError::NotSupervisor);
        }
        let bytes = render(&self.inner.journal, doc).await?;
        let path = keep_copy(&self.inner.cfg.data_dir, doc, &bytes)?;
        let (preview_png, job) = tokio::task::spawn_blocking({
            let path = path.clone();
            let printer = self.inner.cfg.printer.value.clone();
            move || {
                let job = print
                    .then(|| send_to_printer(&path, printer.as_deref()))
                    .transpose();
                (preview(&path), job)
            }
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(Printout {
            pdf_path: path.display().to_string(),
            preview_png,
            job: job.map_err(CoreError::Print)?,
        })
    }
}

#[cfg(test)]
mod save_tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_printout_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub").join("receipt.pdf");
        save(&target, b"%PDF-1.7 new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7 new");
        save(&target, b"%PDF-1.7 newer").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7 newer");
        assert!(leftovers(target.parent().unwrap()).is_empty());
    }

    #[test]
    fn a_disk_full_half_way_leaves_no_file_and_the_old_one_intact() {
        // Before: `std::fs::write` truncated the target first, so a full
        // disk left a 0-byte (or half) PDF under the printout's name.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("receipt.pdf");
        let disk_full = |f: &mut std::fs::File, b: &[u8]| {
            f.write_all(&b[..b.len() / 2])?;
            Err(std::io::Error::from_raw_os_error(28)) // ENOSPC
        };
        let e = save_with(&target, b"%PDF-1.7 0123456789", disk_full).unwrap_err();
        assert!(e.to_string().contains("receipt.pdf"), "{e}");
        assert!(!target.exists(), "no half printout under the real name");
        assert!(leftovers(dir.path()).is_empty());

        std::fs::write(&target, b"%PDF-1.7 old").unwrap();
        save_with(&target, b"%PDF-1.7 0123456789", disk_full).unwrap_err();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7 old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_target_that_cannot_be_replaced_is_left_alone() {
        // A real failure after the bytes were written (the rename): as
        // root a read-only directory is writable, but a directory in the
        // target's place is not replaceable by a file for anyone.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("receipt.pdf");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), b"kept").unwrap();
        let e = save(&target, b"%PDF-1.7").unwrap_err();
        assert!(e.to_string().contains("receipt.pdf"), "{e}");
        assert_eq!(std::fs::read(target.join("inside")).unwrap(), b"kept");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_that_cannot_exist_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("not-a-dir"), b"").unwrap();
        let target = dir.path().join("not-a-dir").join("receipt.pdf");
        let e = save(&target, b"%PDF-1.7").unwrap_err();
        assert!(e.to_string().contains("receipt.pdf"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_is_an_error_for_a_plain_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root writes anyway: the check means something only for others.
        let probe = std::fs::File::create(ro.join("probe"));
        if probe.is_ok() {
            std::fs::remove_file(ro.join("probe")).ok();
            return;
        }
        let target = ro.join("receipt.pdf");
        assert!(save(&target, b"%PDF-1.7").is_err());
        assert!(!target.exists());
        assert!(leftovers(&ro).is_empty());
    }
}
