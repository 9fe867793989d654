//! The office's ready list, cached locally so hand-over can be prepared offline.

use crate::{SyncEngine, SyncError};
use passport_journal::ReadyDocument;
use passport_journal::sync::meta;

impl SyncEngine {
    /// Fetches what became ready since the last pull and stores it. Returns
    /// how many documents were stored.
    ///
    /// The contract's cursor rule: `next_cursor` is always present and is
    /// stored after each page, so the next pull starts where this one ended
    /// and each document is read once; an empty page ends the pull (nothing
    /// new yet; its cursor is the one sent).
    pub async fn pull_ready_list(&self) -> Result<usize, SyncError> {
        let office = self.journal.identity().office_code.clone();
        let mut cursor = self.journal.meta_get(meta::READY_CURSOR).await?;
        let mut stored = 0;
        loop {
            let page = self
                .client
                .ready_documents(&office, cursor.as_deref(), 200)
                .await?;
            let docs: Vec<ReadyDocument> = page
                .items
                .iter()
                .map(|d| ReadyDocument {
                    document_number: d.document_number.clone(),
                    application_number: d.application_number.clone(),
                    pesel: d.holder.pesel.clone(),
                    surname: d.holder.surname.clone(),
                    given_names: d.holder.given_names.clone(),
                    mrz_line1: Some(d.mrz_line1.clone()),
                    mrz_line2: Some(d.mrz_line2.clone()),
                })
                .collect();
            self.journal.cache_ready_documents(&docs).await?;
            stored += docs.len();
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            self.journal.meta_set(meta::READY_SYNCED_AT, &now).await?;
            if page.items.is_empty() {
                break;
            }
            // Stored only after the page's documents are: a pull cut short
            // reads that page again, never skips it.
            self.journal
                .meta_set(meta::READY_CURSOR, &page.next_cursor)
                .await?;
            cursor = Some(page.next_cursor);
        }
        Ok(stored)
    }
}
