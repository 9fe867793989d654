//! Card readers: the latest picture (changes arrive as `cards` events).

use super::CmdResult;
use passport_cards::CardService;
use tauri::State;

/// The reader watcher's latest picture, shared with the event forwarder.
#[derive(Debug, Default)]
pub struct Cards(pub std::sync::Mutex<CardService>);

#[tauri::command]
pub async fn cards(cards: State<'_, Cards>) -> CmdResult<CardService> {
    Ok(cards
        .0
        .lock()
        .map(|c| c.clone())
        .unwrap_or_else(|e| e.into_inner().clone()))
}
