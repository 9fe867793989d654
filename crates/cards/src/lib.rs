//! Smart-card readers through PC/SC.
//!
//! - [`ReaderWatch`]: a dedicated thread that follows readers appearing and
//!   disappearing and cards inserted and removed (`SCardGetStatusChange`
//!   with PnP notification), and reports "card service not running" when
//!   pcscd is missing or stops, picking it up again when it starts. Stopping
//!   it cancels the blocked wait.
//! - [`readers`]: the same picture once, for `counterctl card readers`.
//! - [`passport`]: the chip check at hand-over (ICAO 9303): BAC ([`bac`]),
//!   secure messaging ([`sm`]), the data groups ([`lds`]), passive
//!   authentication ([`pa`]), over any [`passport::Transport`]; PC/SC's is
//!   [`PcscTransport`].
//! - [`vpcd`]: a virtual card speaking the vsmartcard `vpcd` socket protocol,
//!   so tests run the real pcscd stack with cards written here.

pub mod apdu;
pub mod bac;
pub mod clerk;
pub mod lds;
pub mod pa;
pub mod passport;
pub mod reader;
pub mod sm;
pub mod tlv;
pub mod vpcd;
mod watch;

pub use bac::AccessKey;
pub use pa::TrustStore;
pub use passport::{
    Check, CheckResult, ChipReport, Expectation, FaceImage, MrzFields, Outcome, Traffic,
};
pub use reader::PcscTransport;
pub use watch::ReaderWatch;

use serde::{Deserialize, Serialize};

/// The card service and its readers, as the status bar shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CardService {
    /// pcscd (or the Windows smart-card service) answers.
    pub running: bool,
    pub readers: Vec<Reader>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Reader {
    pub name: String,
    pub card_present: bool,
    /// The card's answer to reset, hex, when a card is present.
    pub atr: Option<String>,
}

/// Upper-case hex, as ATRs and keys are shown.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The readers and cards now; `running: false` when the service is not.
pub fn readers() -> CardService {
    let Ok(ctx) = pcsc::Context::establish(pcsc::Scope::User) else {
        return CardService::default();
    };
    let names = match ctx.list_readers_owned() {
        Ok(n) => n,
        Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
        Err(_) => return CardService::default(),
    };
    let mut states: Vec<pcsc::ReaderState> = names
        .into_iter()
        .map(|n| pcsc::ReaderState::new(n, pcsc::State::UNAWARE))
        .collect();
    if !states.is_empty()
        && ctx
            .get_status_change(std::time::Duration::from_millis(500), &mut states)
            .is_err()
    {
        return CardService::default();
    }
    CardService {
        running: true,
        readers: states.iter().map(watch::reader_of).collect(),
    }
}
