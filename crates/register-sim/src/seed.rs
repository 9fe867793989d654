//! Demo data: offices, and passports waiting at the demo office.

use crate::store::{NewDocument, insert_ready_document};
use passport_domain::{Pesel, demo};
use sqlx::SqlitePool;

/// Offices the simulator knows. `DEMO` is the office counterctl and the app
/// use when nothing is configured.
pub const OFFICES: [(&str, &str); 3] = [
    ("DEMO", "Biuro demonstracyjne (demo office)"),
    ("WAW1", "Mazowiecki Urząd Wojewódzki, Warszawa"),
    ("KRK2", "Małopolski Urząd Wojewódzki, Kraków"),
];

/// A clerk account the simulated register knows.
#[derive(Debug, Clone, Copy)]
pub struct DemoClerk {
    pub clerk_id: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    /// `clerk` or `supervisor`.
    pub role: &'static str,
}

/// The simulator's clerk accounts, shown on the demo login screen. (A
/// simulator: the passwords are plain here; the counter keeps only an
/// argon2 verifier of what a clerk typed.)
pub const CLERKS: [DemoClerk; 2] = [
    DemoClerk {
        clerk_id: "demo-clerk",
        password: "demo",
        display_name: "Anna Kowalska",
        role: "clerk",
    },
    DemoClerk {
        clerk_id: "demo-supervisor",
        password: "demo",
        display_name: "Piotr Nowak",
        role: "supervisor",
    },
];

/// The account `clerk_id` names, whatever its state: every office knows
/// every account (none belongs to one office), and a closed account still
/// names who it was (a supervisor's confirmation may wait in a counter's
/// offline queue for days while the account is closed).
pub fn account(clerk_id: &str) -> Option<&'static DemoClerk> {
    CLERKS.iter().find(|c| c.clerk_id == clerk_id)
}

/// How many passports wait at the demo office on a fresh simulator.
pub const DEMO_READY: u32 = 6;

/// Seeds an empty database; a database already seeded is left alone.
pub async fn seed(db: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let seeded = sqlx::query_scalar!("SELECT code FROM reg_offices LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    if seeded.is_some() {
        return Ok(());
    }
    for (code, name) in OFFICES {
        sqlx::query!(
            "INSERT INTO reg_offices (code, name) VALUES (?1, ?2)",
            code,
            name
        )
        .execute(&mut *tx)
        .await?;
    }
    let today = chrono::Utc::now().date_naive();
    for i in 1..=DEMO_READY {
        let d = demo::adult_draft(u64::from(i) + 1000, today);
        let Ok(pesel) = Pesel::parse(&d.applicant.pesel) else {
            continue;
        };
        let number = format!("DA{i:07}");
        let doc = NewDocument {
            document_number: &number,
            application_number: None,
            office: "DEMO",
            pesel: &d.applicant.pesel,
            surname: &d.applicant.surname,
            given_names: &d.applicant.given_names,
            birth_date: pesel.birth_date(),
            sex: pesel.sex(),
        };
        insert_ready_document(&mut tx, &doc).await?;
    }
    tx.commit().await?;
    Ok(())
}
