//! The reader watcher thread.

use crate::{CardService, Reader, hex};
use pcsc::{Context, Error, PNP_NOTIFICATION, ReaderState, Scope, State};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long to wait before looking for the service again after it stopped.
const RETRY: Duration = Duration::from_secs(1);
/// The longest single wait for a change.
const WAIT: Duration = Duration::from_millis(500);

pub(crate) fn reader_of(s: &ReaderState) -> Reader {
    let present = s.event_state().contains(State::PRESENT);
    Reader {
        name: s.name().to_string_lossy().into_owned(),
        card_present: present,
        atr: present.then(|| hex(s.atr())),
    }
}

/// Watches readers and cards on its own thread until stopped (or dropped).
pub struct ReaderWatch {
    stop: Arc<AtomicBool>,
    context: Arc<Mutex<Option<Context>>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ReaderWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReaderWatch")
            .field("stopped", &self.stop.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

impl ReaderWatch {
    /// Starts watching; `on_change` gets every new picture (the first one
    /// at once), on the watcher's thread.
    pub fn spawn(on_change: impl Fn(&CardService) + Send + 'static) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let context = Arc::new(Mutex::new(None));
        let thread = std::thread::Builder::new()
            .name("card-readers".into())
            .spawn({
                let stop = stop.clone();
                let context = context.clone();
                move || run(&stop, &context, &on_change)
            })?;
        Ok(Self {
            stop,
            context,
            thread: Some(thread),
        })
    }

    /// Stops the thread: cancels a blocked wait and joins.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(ctx) = self
            .context
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            ctx.cancel().ok();
        }
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

impl Drop for ReaderWatch {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(stop: &AtomicBool, slot: &Mutex<Option<Context>>, on_change: &dyn Fn(&CardService)) {
    let mut last: Option<CardService> = None;
    let mut publish = |s: CardService| {
        if last.as_ref() != Some(&s) {
            on_change(&s);
            last = Some(s);
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let Ok(ctx) = Context::establish(Scope::User) else {
            publish(CardService::default());
            std::thread::sleep(RETRY);
            continue;
        };
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(ctx.clone());
        // The stop may have come between the check and storing the context.
        if stop.load(Ordering::SeqCst) {
            break;
        }
        follow(&ctx, stop, &mut publish);
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
        if !stop.load(Ordering::SeqCst) {
            publish(CardService::default());
            std::thread::sleep(RETRY);
        }
    }
}

/// Follows one connection to the service until it ends or we are stopped.
fn follow(ctx: &Context, stop: &AtomicBool, publish: &mut dyn FnMut(CardService)) {
    let mut states: Vec<ReaderState> = vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)];
    while !stop.load(Ordering::SeqCst) {
        // Bring the reader list up to date (a reader came or went).
        let names = match ctx.list_readers_owned() {
            Ok(n) => n,
            Err(Error::NoReadersAvailable) => Vec::new(),
            Err(_) => return,
        };
        states.retain(|s| {
            s.name() == PNP_NOTIFICATION() || names.iter().any(|n| n.as_c_str() == s.name())
        });
        for n in names {
            if !states.iter().any(|s| s.name() == n.as_c_str()) {
                states.push(ReaderState::new(n, State::UNAWARE));
            }
        }
        for s in &mut states {
            s.sync_current_state();
        }
        // A bounded wait: a cancel that lands between two waits is not
        // lost, the stop flag is seen within this time anyway.
        match ctx.get_status_change(WAIT, &mut states) {
            Ok(()) => {}
            // Nothing changed (or a stop's cancel): look at the flag again.
            Err(Error::Timeout | Error::Cancelled) => continue,
            // Service stopped or gone: start over.
            Err(_) => return,
        }
        publish(CardService {
            running: true,
            readers: states
                .iter()
                .filter(|s| s.name() != PNP_NOTIFICATION())
                .map(reader_of)
                .collect(),
        });
    }
}
