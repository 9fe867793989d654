//! Printed documents: the data gathered from the journal, rendered by
//! `passport-documents`, and sent to the system's printer (CUPS `lp` on
//! Linux; the shell's "PrintTo" verb on Windows). A failed print never
//! touches the saved action: the document can be printed again.
//!
//! No copy of a printout is kept on disk. A receipt or a protocol holds an
//! applicant's name and birth date; the journal they are drawn from is
//! sealed at rest (SQLCipher), and a reprint renders the same document from
//! it again. So the PDF lives in memory: it goes to `lp` on its standard
//! input and to poppler's `pdftoppm` for the preview the same way, and
//! reaches a file only where office IT names one (`counterctl print -o`).
//! Copies an earlier release kept under `printouts/` are shredded at start
//! ([`shred_kept_printouts`]). On Windows the shell's print verb needs a
//! file: it gets one in `printouts/` for the job, shredded at the next
//! print or start.

use crate::Counter;
use crate::error::CoreError;
use crate::records::{display_name, person_of};
use crate::supervisor::{parse_day, summarize_day_with_refusals};
use crate::words::{Noun, Words, date_pl, words};
use chrono::{DateTime, Local};
use passport_documents::{
    DayCount, DayReport, DecisionLine, HandoverProtocol, Receipt, RefusedItem, mask_pesel,
};
use passport_domain::{Lang, ValidApplication};
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

/// A rendered document: its preview, and the print job when it was sent.
/// Nothing of it is kept on disk (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Printout {
    /// Every page (up to [`PREVIEW_PAGES`]) as a PNG `data:` URL at a
    /// resolution a person can read full-width; empty when poppler's
    /// `pdftoppm` is not installed (the screen then says so).
    pub preview_pages: Vec<String>,
    /// How many pages the document has.
    pub page_count: u32,
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

/// An RFC 3339 time as a person reads it: `22.11.2026 14:05`, local.
pub(crate) fn local_time(rfc3339: &str) -> String {
    local(rfc3339)
}

impl PrintError {
    /// What went wrong, in Polish and English for the clerk: the file and
    /// why in words (a full disk, no permission), not the system's English.
    pub fn words(&self) -> passport_domain::Message {
        let why = |e: &std::io::Error| -> (&'static str, &'static str) {
            use std::io::ErrorKind as K;
            match e.kind() {
                K::StorageFull => ("dysk jest pełny", "the disk is full"),
                K::PermissionDenied | K::ReadOnlyFilesystem => {
                    ("brak uprawnień do zapisu", "no permission to write")
                }
                K::NotFound => ("nie ma takiego folderu", "no such folder"),
                _ => ("błąd zapisu na dysk", "a disk write error"),
            }
        };
        match self {
            Self::Save { path, source } => {
                let (pl, en) = why(source);
                passport_domain::Message::new(
                    format!("nie można zapisać pliku {path}: {pl}"),
                    format!("{path} cannot be saved: {en}"),
                )
            }
            Self::Io(e) => {
                let (pl, en) = why(e);
                passport_domain::Message::new(pl, en)
            }
            Self::Render(_) => passport_domain::Message::new(
                "nie udało się złożyć dokumentu PDF (zgłoś informatykowi)",
                "the PDF could not be put together (tell office IT)",
            ),
            Self::NoPrintingSystem(why) | Self::Printer(why) => {
                passport_domain::Message::new(why.clone(), why.clone())
            }
        }
    }
}

fn local(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&Local).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// The receipt of an application taken at this counter.
pub async fn receipt(journal: &Journal, number: &str) -> Result<Vec<u8>, CoreError> {
    let d = journal
        .application(number)
        .await?
        .ok_or_else(|| CoreError::NotFound(number.to_owned()))?;
    let app: &ValidApplication = &d.data;
    let id = journal.identity();
    let w = words()?;
    let r = Receipt {
        number: d.summary.number.clone(),
        kind: w.application_kind(&d.summary.kind).pl.clone(),
        applicant_name: format!("{} {}", app.applicant.given_names, app.applicant.surname),
        birth_date: date_pl(app.applicant.birth_date),
        pesel_masked: mask_pesel(&d.summary.pesel),
        fee: app.fee.display_pln(),
        fee_description: app.fee.description.pl.clone(),
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        clerk: display_name(journal, &d.clerk_id).await?,
        saved_at: local(&d.summary.created_at),
        pending_register: matches!(
            d.summary.sync_state,
            SyncState::Pending | SyncState::InFlight
        ),
    };
    passport_documents::receipt(&r).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

fn collector_pl(w: &Words, c: &passport_journal::Collector) -> String {
    use passport_journal::Collector;
    let person = |pesel: &passport_domain::Pesel, surname: &str, given_names: &str| {
        format!(
            "{given_names} {surname}, PESEL {}",
            mask_pesel(&pesel.to_string())
        )
    };
    match c {
        Collector::Holder => w.collector("holder").pl.clone(),
        Collector::Parent {
            pesel,
            surname,
            given_names,
        } => format!(
            "{}: {}",
            w.collector("parent").pl,
            person(pesel, surname, given_names)
        ),
        Collector::LegalGuardian {
            pesel,
            surname,
            given_names,
            court_ruling,
        } => {
            let who = format!(
                "{}: {}",
                w.collector("legal_guardian").pl,
                person(pesel, surname, given_names)
            );
            match court_ruling {
                Some(r) => format!("{who}; postanowienie sądu, sygn. {r}"),
                None => who,
            }
        }
    }
}

/// The protocol of a hand-over recorded at this counter.
pub async fn handover_protocol(journal: &Journal, document: &str) -> Result<Vec<u8>, CoreError> {
    let h = journal
        .handover(document)
        .await?
        .ok_or_else(|| CoreError::NotFound(document.to_owned()))?;
    let id = journal.identity();
    let w = words()?;
    let p = HandoverProtocol {
        document_number: h.document_number.clone(),
        holder_name: format!("{} {}", h.given_names, h.surname),
        holder_pesel_masked: mask_pesel(&h.pesel),
        application_number: h.application_number.clone(),
        collected_by: collector_pl(w, &h.collected_by),
        identity_check: h.identity_check.clone(),
        chip_check: w.chip_check(h.chip_check).pl.clone(),
        previous_passport: h.previous_passport.clone(),
        provisional: h.provisional,
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        clerk: display_name(journal, &h.clerk_id).await?,
        recorded_at: local(&h.recorded_at),
    };
    passport_documents::handover_protocol(&p).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

/// The end-of-day report for a local date (today when `None`), made by
/// `supervisor` (a clerk id; the report names them) when one asked.
pub async fn day_report(
    journal: &Journal,
    date: Option<&str>,
    supervisor: Option<&str>,
) -> Result<Vec<u8>, CoreError> {
    let day = parse_day(date)?;
    let w = words()?;
    let (s, refusals) = summarize_day_with_refusals(journal, day).await?;
    let mut refused = Vec::with_capacity(refusals.len());
    for (e, decision) in refusals {
        let reason = w
            .refusal(
                e.sync_state,
                e.register_reason.as_deref(),
                e.last_error.as_deref(),
            )
            .pl
            .clone();
        let decision = match decision {
            Some(d) => Some(DecisionLine {
                outcome: w.decision_for(&e.kind, d.outcome).pl.clone(),
                note: d.note,
                supervisor: d.supervisor_name,
                decided_at: local(&d.decided_at),
            }),
            None => None,
        };
        refused.push(RefusedItem {
            seq: e.seq,
            kind: w.entry_kind_text(&e.kind).pl.clone(),
            person: person_of(journal, &e.kind, &e.record_key).await?,
            record_key: e.record_key,
            state: w.sync_state(e.sync_state).pl.clone(),
            reason,
            decision,
        });
    }
    let id = journal.identity();
    let refused_summary = if s.refused == 0 {
        "brak".to_owned()
    } else {
        format!(
            "{}, w tym {} bez decyzji",
            w.count(Noun::Operation, s.refused, Lang::Pl),
            s.undecided
        )
    };
    let report = DayReport {
        date: date_pl(day),
        office: id.office_code.clone(),
        workstation: id.workstation_id.clone(),
        generated_at: Local::now().format("%d.%m.%Y %H:%M").to_string(),
        generated_by: match supervisor {
            Some(id) => Some(display_name(journal, id).await?),
            None => None,
        },
        counts: s
            .counts
            .iter()
            .map(|c| DayCount {
                kind: w.entry_kind_text(&c.kind).pl.clone(),
                state: w.sync_state(c.sync_state).pl.clone(),
                count: c.count,
            })
            .collect(),
        pending: if s.pending == 0 {
            "nic".to_owned()
        } else {
            w.count(Noun::Operation, s.pending, Lang::Pl)
        },
        refused_summary,
        refused,
        offline_periods: s
            .offline_periods
            .iter()
            .map(|p| (local(&p.from), local(&p.to)))
            .collect(),
        purged: crate::retention::purged_section(journal, day, w).await?,
    };
    passport_documents::day_report(&report).map_err(|e| CoreError::Print(PrintError::Render(e)))
}

/// Renders a receipt or a hand-over confirmation (from a script). The
/// day report is a supervisor's: [`Counter::render_document`] after a
/// supervisor's log-in, so it is refused here.
pub async fn render(journal: &Journal, doc: &DocumentRef) -> Result<Vec<u8>, CoreError> {
    if matches!(doc, DocumentRef::Day { .. }) {
        return Err(CoreError::NotSupervisor);
    }
    render_for(journal, doc, None).await
}

/// Renders any document; `clerk` is who asks (the day report names them).
pub async fn render_for(
    journal: &Journal,
    doc: &DocumentRef,
    clerk: Option<&str>,
) -> Result<Vec<u8>, CoreError> {
    match doc {
        DocumentRef::Receipt { number } => receipt(journal, number).await,
        DocumentRef::Handover { document_number } => {
            handover_protocol(journal, document_number).await
        }
        DocumentRef::Day { date } => day_report(journal, date.as_deref(), clerk).await,
    }
}

/// Shreds the printouts an earlier release kept under `printouts/` (and a
/// Windows print job's file left from the last run): each file overwritten
/// and removed, then the directory. What could not be removed is returned,
/// not fatal: the data directory is 0700, so nobody else reaches it.
pub fn shred_kept_printouts(data_dir: &Path) -> Vec<(PathBuf, std::io::Error)> {
    let dir = data_dir.join("printouts");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut failed = Vec::new();
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                failed.push((dir.clone(), e));
                continue;
            }
        };
        // Only files the counter wrote: a directory or a link is left.
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if !is_file {
            continue;
        }
        if let Err(e) = passport_journal::cipher::shred(&path) {
            failed.push((path, e));
        }
    }
    if failed.is_empty() {
        std::fs::remove_dir(&dir).ok();
    }
    failed
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
    crate::files::create_dir_owner_only(dir).map_err(failed)?;
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
    let mut file = crate::files::owner_only_file()
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
        // One name per day however the date was typed (29.11.2026 or
        // 2026-11-29), so a reprint replaces the earlier copy.
        DocumentRef::Day { date } => format!(
            "raport-dnia-{}.pdf",
            parse_day(date.as_deref()).map_or_else(
                |_| safe(date.as_deref().unwrap_or_default()),
                |d| d.to_string()
            )
        ),
    }
}

/// The print job's title: what the print queue shows (the document's kind
/// and number, no personal data).
pub fn job_title(doc: &DocumentRef) -> String {
    let name = file_name(doc);
    name.strip_suffix(".pdf").unwrap_or(&name).to_owned()
}

/// Sends a PDF to a printer (the system's default when `None`): on its
/// standard input to CUPS `lp`, so no copy lands on disk. Returns the
/// print system's job id. `data_dir` holds the job's file on Windows only.
pub fn send_to_printer(
    pdf: &[u8],
    title: &str,
    printer: Option<&str>,
    data_dir: &Path,
) -> Result<String, PrintError> {
    #[cfg(not(windows))]
    {
        use std::process::Stdio;
        let _ = data_dir;
        let mut cmd = std::process::Command::new("lp");
        if let Some(p) = printer {
            cmd.args(["-d", p]);
        }
        cmd.args(["-t", title, "--", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                PrintError::NoPrintingSystem("CUPS `lp` was not found; install cups-client".into())
            } else {
                PrintError::Io(e)
            }
        })?;
        // lp reads the whole document before it answers, so writing first
        // and then reading cannot block on a full pipe.
        let written = child
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(pdf))
            .transpose();
        let out = child.wait_with_output()?;
        if !out.status.success() {
            let msg = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            return Err(PrintError::Printer(if msg.is_empty() {
                format!("lp exited with {}", out.status)
            } else {
                msg
            }));
        }
        written?;
        // "request id is Office-12 (0 file(s))"
        let text = String::from_utf8_lossy(&out.stdout);
        let job = text
            .split_whitespace()
            .skip_while(|w| *w != "is")
            .nth(1)
            .ok_or_else(|| PrintError::Printer(format!("lp gave no job id: {}", text.trim())))?;
        Ok(job.to_owned())
    }
    #[cfg(windows)]
    {
        // The shell's PrintTo verb hands a file to the registered PDF
        // handler, which prints it (documented in installer/): the job's
        // file lies in the owner-only `printouts/` until the next print or
        // start shreds it (the handler may still be reading it now). The
        // file and printer go in as environment variables, never into the
        // script's text, so no name can inject a command; no -Wait: some
        // handlers stay open after printing.
        let _ = shred_kept_printouts(data_dir);
        let path = data_dir.join("printouts").join(format!("{title}.pdf"));
        save(&path, pdf)?;
        let script = "if ($env:PC_PRINTER) { Start-Process -FilePath $env:PC_FILE -Verb PrintTo \
                      -ArgumentList ('\"' + $env:PC_PRINTER + '\"') } \
                      else { Start-Process -FilePath $env:PC_FILE -Verb Print }";
        let out = std::process::Command::new("powershell")
            .args(["-NoProfile", "-NonInteractive", "-Command", script])
            .env("PC_FILE", &path)
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

/// The most pages a preview shows (a long day report has more; the PDF
/// has them all).
pub const PREVIEW_PAGES: u32 = 20;

/// The most bytes of PNG pages a preview reads from `pdftoppm` (twenty A4
/// pages at 110 dpi are ~3 MiB; a page of photos more).
const PREVIEW_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Every page (up to [`PREVIEW_PAGES`]) as a PNG at 110 dpi (an A4 page is
/// ~900 px wide: readable full-width, sharp enough to zoom), via poppler's
/// `pdftoppm` when installed; empty when it is not. The PDF goes in on
/// `pdftoppm`'s standard input and the pages come back on its standard
/// output, one PNG after another: no file is written.
fn preview(pdf: &[u8]) -> Vec<String> {
    use base64::Engine as _;
    use std::io::Read as _;
    use std::process::Stdio;
    let Ok(mut child) = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-f", "1", "-l"])
        .arg(PREVIEW_PAGES.to_string())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Vec::new();
    };
    // Fed from a thread: pdftoppm may start writing pages before it has
    // read the whole input.
    let feeder = child.stdin.take().map(|mut stdin| {
        let pdf = pdf.to_vec();
        std::thread::spawn(move || stdin.write_all(&pdf))
    });
    let mut out = Vec::new();
    let read = child
        .stdout
        .take()
        .map(|o| o.take(PREVIEW_MAX_BYTES + 1).read_to_end(&mut out));
    let finished = child.wait();
    if let Some(f) = feeder {
        f.join().ok();
    }
    let complete = matches!(read, Some(Ok(_)))
        && finished.is_ok_and(|s| s.success())
        && (out.len() as u64) <= PREVIEW_MAX_BYTES;
    if !complete {
        return Vec::new();
    }
    split_pngs(&out)
        .into_iter()
        .map(|b| {
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(b)
            )
        })
        .collect()
}

/// Cuts a stream of PNG files written one after another into the files,
/// by their chunks (each: length, type, data, CRC; the last is `IEND`).
/// Stops at the first thing that is not a whole PNG.
fn split_pngs(mut stream: &[u8]) -> Vec<&[u8]> {
    const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
    let mut pngs = Vec::new();
    'files: while stream.starts_with(SIGNATURE) {
        let mut at = SIGNATURE.len();
        loop {
            let Some(header) = stream.get(at..at + 8) else {
                break 'files;
            };
            let mut len = [0u8; 4];
            len.copy_from_slice(&header[..4]);
            let Ok(len) = usize::try_from(u32::from_be_bytes(len)) else {
                break 'files;
            };
            let Some(end) = at.checked_add(12).and_then(|a| a.checked_add(len)) else {
                break 'files;
            };
            if end > stream.len() {
                break 'files;
            }
            let is_end = &header[4..8] == b"IEND";
            at = end;
            if is_end {
                break;
            }
        }
        pngs.push(&stream[..at]);
        stream = &stream[at..];
    }
    pngs
}

/// How many pages a PDF rendered here has: its `/Type /Page` objects
/// (printpdf writes one per page, uncompressed, as `/Type/Page`).
fn page_count(pdf: &[u8]) -> u32 {
    let mut n = 0u32;
    let mut rest = pdf;
    while let Some(i) = rest.windows(5).position(|w| w == b"/Type") {
        rest = &rest[i + 5..];
        let after = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[after..];
        if word.starts_with(b"/Page") && word.get(5) != Some(&b's') {
            n = n.saturating_add(1);
        }
    }
    n
}

impl Counter {
    /// Renders a document for the logged-in clerk without saving or
    /// printing it (`counterctl print`): the day report only for a
    /// supervisor who logged in, and it names them. Unlike
    /// [`Counter::printout`] it purges nothing.
    pub async fn render_document(&self, doc: &DocumentRef) -> Result<Vec<u8>, CoreError> {
        let session = self.clerk()?;
        crate::limits::form("", doc, &[])?;
        if matches!(doc, DocumentRef::Day { .. }) {
            self.supervisor()?;
        }
        render_for(&self.inner.journal, doc, Some(&session.clerk_id)).await
    }

    /// Renders a document into `printouts/`, with a preview; prints it when
    /// `print` is set, to the configured printer (or the system default).
    pub async fn printout(&self, doc: &DocumentRef, print: bool) -> Result<Printout, CoreError> {
        let session = self.clerk()?;
        crate::limits::form("", doc, &[])?;
        if let DocumentRef::Day { date } = doc {
            // A supervisor who logged in (password or card), not a role
            // named by a script.
            self.supervisor()?;
            // The end of the supervisor's day: retention runs first, so
            // today's report says what it purged (see `retention`).
            self.end_of_day(date.as_deref()).await?;
        }
        let bytes = render_for(&self.inner.journal, doc, Some(&session.clerk_id)).await?;
        let pages = page_count(&bytes);
        let (preview_pages, job) = tokio::task::spawn_blocking({
            let printer = self.inner.cfg.printer.value.clone();
            let data_dir = self.inner.cfg.data_dir.clone();
            let title = job_title(doc);
            move || {
                let job = print
                    .then(|| send_to_printer(&bytes, &title, printer.as_deref(), &data_dir))
                    .transpose();
                (preview(&bytes), job)
            }
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        // The document by its number (no personal data) and the job, or
        // the failure by kind only.
        match &job {
            Ok(Some(id)) => tracing::info!(document = ?doc, pages, job = %id, "printed"),
            Ok(None) => tracing::info!(document = ?doc, pages, "printout previewed"),
            Err(e) => tracing::warn!(
                document = ?doc,
                error = match e {
                    PrintError::Render(_) => "render",
                    PrintError::NoPrintingSystem(_) => "no_printing_system",
                    PrintError::Printer(_) => "printer_refused",
                    PrintError::Io(_) | PrintError::Save { .. } => "io",
                },
                "print failed"
            ),
        }
        Ok(Printout {
            preview_pages,
            page_count: pages,
            job: job.map_err(CoreError::Print)?,
        })
    }
}

#[cfg(test)]
mod save_tests {
    use super::*;

    #[test]
    fn a_day_report_has_one_file_name_however_its_date_was_typed() {
        let name = |d: &str| {
            file_name(&DocumentRef::Day {
                date: Some(d.into()),
            })
        };
        assert_eq!(name("29.11.2026"), "raport-dnia-2026-11-29.pdf");
        assert_eq!(name("2026-11-29"), "raport-dnia-2026-11-29.pdf");
    }

    #[test]
    fn pages_are_counted_in_the_pdf() {
        let one = passport_documents::receipt(&passport_documents::samples::receipt()).unwrap();
        assert_eq!(page_count(&one), 1);
        let many =
            passport_documents::day_report(&passport_documents::samples::day_long(40)).unwrap();
        assert!(page_count(&many) >= 3, "{}", page_count(&many));
    }

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
    fn a_full_disk_is_said_in_polish() {
        let e = PrintError::Save {
            path: "/data/printouts/raport.pdf".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        let ipc = crate::IpcError::from(CoreError::Print(e));
        assert_eq!(
            ipc.message.pl,
            "Nie udało się przygotować dokumentu: nie można zapisać pliku /data/printouts/raport.pdf: dysk jest pełny."
        );
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

#[cfg(test)]
mod preview_tests {
    use super::*;

    /// A PNG-shaped file: the signature, one data chunk of `n` bytes, IEND.
    fn png(n: usize) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, len) in [(&b"IDAT"[..], n), (&b"IEND"[..], 0)] {
            v.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
            v.extend_from_slice(kind);
            v.extend(std::iter::repeat_n(7u8, len));
            v.extend_from_slice(&[0, 0, 0, 0]);
        }
        v
    }

    #[test]
    fn pages_written_one_after_another_are_cut_apart() {
        let (a, b) = (png(3), png(300));
        let stream = [a.clone(), b.clone()].concat();
        assert_eq!(split_pngs(&stream), vec![&a[..], &b[..]]);
        // A cut-off last page is dropped, not returned half.
        assert_eq!(split_pngs(&stream[..stream.len() - 1]), vec![&a[..]]);
        assert!(split_pngs(b"not a png").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_output_is_cut_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let mut stream = png(1);
            stream.extend_from_slice(&bytes);
            let pngs = split_pngs(&stream);
            proptest::prop_assert!(!pngs.is_empty());
            proptest::prop_assert!(pngs.iter().map(|p| p.len()).sum::<usize>() <= stream.len());
        }
    }
}
