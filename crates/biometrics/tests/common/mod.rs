//! Test helpers: a block of free ports per test (so tests running in
//! parallel, in this binary or another, never see each other's devices),
//! an emulated device on one of them, and a client over the block.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use mds_emulator::{Config, DevicePki, Emulator, Variant};
use passport_biometrics::{MdsClient, MdsOptions, TrustStore};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

/// Blocks are taken below the kernel's ephemeral range (32768–60999), so a
/// port another test bound with port 0 never lands in one; each process
/// starts at an offset of its own, and each test takes the next block.
const BASE: u16 = 20000;
const BLOCK: u16 = 8;
static NEXT: AtomicU16 = AtomicU16::new(0);

/// `BLOCK` consecutive ports on 127.0.0.1, all free when checked.
pub fn free_block() -> u16 {
    let offset = (std::process::id() % 600) as u16 * 20;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let start = BASE + ((offset + n) % 1500) * BLOCK;
        let all_free =
            (start..start + BLOCK).all(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok());
        if all_free {
            return start;
        }
    }
}

pub struct Bench {
    pub device: Emulator,
    pub client: MdsClient,
    pub first: u16,
}

pub fn options(first: u16) -> MdsOptions {
    MdsOptions {
        ports: first..=first + BLOCK - 1,
        connect_timeout: Duration::from_millis(300),
        answer_timeout: Duration::from_millis(1500),
        capture_timeout: Duration::from_secs(3),
        concurrency: 8,
        env: "Developer".into(),
    }
}

/// A device with `variant` on the third port of a fresh block; the client
/// trusts its CA and looks at the whole block.
pub async fn start(variant: Variant) -> Bench {
    start_with(variant, Duration::from_secs(5)).await
}

pub async fn start_with(variant: Variant, slow: Duration) -> Bench {
    let first = free_block();
    let pki = DevicePki::generate("EMU-TEST-0001").unwrap();
    let trust = TrustStore::from_pem(&pki.ca_pem(), "test").unwrap();
    let config = Config {
        variant,
        slow,
        serial: "EMU-TEST-0001".into(),
        ..Config::default()
    };
    let device = Emulator::bind(first + 2, pki, config).await.unwrap();
    let client = MdsClient::new(options(first), trust).unwrap();
    Bench {
        device,
        client,
        first,
    }
}
