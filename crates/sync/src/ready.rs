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
            // The register answered: that is contact, as a write's answer is.
            self.journal.meta_set(meta::LAST_CONTACT, &now).await?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use crate::{SyncEngine, SyncOptions};
    use passport_domain::application::ApplicationRules;
    use passport_domain::demo;
    use passport_journal::{Identity, Journal, JournalOptions, Search};
    use passport_register_client::{ClientConfig, RegisterClient};
    use passport_register_sim::{SimConfig, spawn};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    async fn served(url: &str) -> u64 {
        let st: serde_json::Value = reqwest::get(format!("{url}/admin/stats"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        st["ready_items_served"].as_u64().unwrap()
    }

    /// The register counts the items it sends: a second pull must fetch
    /// nothing, and a later one only the document that became ready since.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_pull_fetches_only_what_became_ready_since() {
        let s = spawn(
            "127.0.0.1:0",
            SimConfig {
                test_admin: true,
                ..SimConfig::default()
            },
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let today = chrono::Utc::now().date_naive();
        let j = Journal::open(
            &dir.path().join("journal.db"),
            Identity::demo(),
            JournalOptions::default(),
        )
        .await
        .unwrap();
        let a = demo::adult_draft(1, today)
            .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today))
            .unwrap();
        j.submit_application(&a, demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
        let client = Arc::new(RegisterClient::new(ClientConfig::new(s.url())).unwrap());
        let engine = SyncEngine::new(j.clone(), client);
        assert_eq!(engine.pull_ready_list().await.unwrap(), 6);
        assert_eq!(served(&s.url()).await, 6);
        assert_eq!(engine.pull_ready_list().await.unwrap(), 0);
        assert_eq!(served(&s.url()).await, 6, "nothing is sent twice");
        let options = SyncOptions {
            until_empty: true,
            deadline: Some(Instant::now() + Duration::from_secs(30)),
            recovery_window: Duration::from_millis(10),
            ..SyncOptions::default()
        };
        engine.drain(&options).await.unwrap();
        let number = j.search(&Search::Recent, 1).await.unwrap()[0]
            .number
            .clone();
        let r = reqwest::Client::new()
            .post(format!("{}/admin/personalise", s.url()))
            .json(&serde_json::json!({ "application_number": number }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(engine.pull_ready_list().await.unwrap(), 1);
        assert_eq!(served(&s.url()).await, 7, "only the new one");
        s.stop().await.unwrap();
    }
}
