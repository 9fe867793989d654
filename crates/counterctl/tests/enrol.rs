//! Enrolment and the channel to the register, end to end through the real
//! counterctl binary: the simulator on 127.0.0.1 over TLS with its test CA,
//! a supervisor's enrolment with a one-time code, a sync round over mutual
//! TLS, an expired certificate that leaves the entry queued, and an
//! `http://` register refused outside the demo.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::counterctl;
use passport_register_sim::tls::TlsSettings;
use passport_register_sim::{SimConfig, SimHandle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

const CODE: &str = "TEST-ENROL-0001";

struct Rig {
    sim: SimHandle,
    dir: tempfile::TempDir,
}

impl Rig {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sim = passport_register_sim::spawn(
            "127.0.0.1:0",
            SimConfig {
                tls: Some(TlsSettings {
                    ca_dir: Some(dir.path().join("sim-ca")),
                    enrolment_codes: vec![CODE.into()],
                    ..TlsSettings::default()
                }),
                ..SimConfig::default()
            },
        )
        .await
        .unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let ca = dir.path().join("sim-ca").join("ca.pem");
        assert!(ca.exists(), "the simulator wrote its CA");
        std::fs::write(
            data.join("config.toml"),
            format!(
                "office = \"DEMO\"\nworkstation = \"07\"\nclerk = \"demo-clerk\"\n\
                 [register]\nurl = \"{}\"\nca_file = \"{}\"\n",
                sim.url(),
                ca.display()
            ),
        )
        .unwrap();
        Self { sim, dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn identity_dir(&self) -> PathBuf {
        self.data().join("register-identity")
    }

    /// counterctl with this data directory, `stdin` on its standard input;
    /// run off the runtime's threads so the simulator keeps serving.
    async fn run(&self, args: &[&str], stdin: &str) -> Output {
        let data = self.data();
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let stdin = stdin.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut child = counterctl()
                .arg("--data-dir")
                .arg(&data)
                .args(&args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stdin.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap()
    }

    /// Queues one action: an invalidation of a passport waiting at the
    /// demo office (the clerk confirmed by the register first).
    async fn submit(&self) -> Output {
        self.run(
            &[
                "document",
                "invalidate",
                "DA0000005",
                "--reason",
                "reported-lost",
            ],
            "",
        )
        .await
    }

    async fn queue_depth(&self) -> u64 {
        let out = self.run(&["status", "--json"], "").await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["queue"]["depth"].as_u64().unwrap()
    }
}

fn text(o: &Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_then_a_sync_round_over_mutual_tls() {
    let rig = Rig::start().await;
    // Not enrolled yet: no certificate to show.
    let out = rig.run(&["register", "certificate"], "").await;
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("not enrolled"), "{}", text(&out));

    // A clerk is not a supervisor: refused, and the code stays usable.
    let out = rig
        .run(
            &["enrol", "--code", CODE, "--supervisor", "demo-clerk"],
            "demo\n",
        )
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    // A wrong code: refused by the register.
    let out = rig
        .run(
            &[
                "enrol",
                "--code",
                "WRONG-CODE",
                "--supervisor",
                "demo-supervisor",
            ],
            "demo\n",
        )
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("enrolment code"), "{}", text(&out));

    let out = rig
        .run(
            &[
                "enrol",
                "--code",
                CODE,
                "--supervisor",
                "demo-supervisor",
                "--json",
            ],
            "demo\n",
        )
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "valid");
    assert!(v["subject"].as_str().unwrap().contains("DEMO/07"), "{v}");
    let key = std::fs::read_to_string(rig.identity_dir().join("workstation.key")).unwrap();
    assert!(key.contains("PRIVATE KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&rig.identity_dir()), 0o700);
        assert_eq!(mode(&rig.identity_dir().join("workstation.key")), 0o600);
        assert_eq!(mode(&rig.identity_dir().join("workstation.crt")), 0o600);
    }
    // The code was used.
    assert!(rig.sim.tls().unwrap().enrolment_codes().is_empty());

    let out = rig.run(&["register", "certificate", "--json"], "").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["issuer"]
            .as_str()
            .unwrap()
            .contains("Register simulator test CA"),
        "{v}"
    );

    // The register confirms the clerk over mutual TLS, and the entry goes.
    let out = rig.submit().await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(rig.queue_depth().await, 1);
    let out = rig
        .run(&["sync", "--until-empty", "--timeout", "30"], "")
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(rig.queue_depth().await, 0);
    rig.sim.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_leaves_the_entry_queued() {
    let rig = Rig::start().await;
    let out = rig
        .run(
            &["enrol", "--code", CODE, "--supervisor", "demo-supervisor"],
            "demo\n",
        )
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rig.submit().await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // The certificate expires (a new key and an expired certificate for
    // it, from the same CA).
    let (key, csr) = passport_register_client::tls::new_key_and_csr("DEMO", "07").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let expired = rig
        .sim
        .tls()
        .unwrap()
        .issue_for_test(
            &csr,
            "DEMO",
            "07",
            now - time::Duration::days(400),
            now - time::Duration::days(1),
        )
        .unwrap();
    std::fs::write(rig.identity_dir().join("workstation.key"), &key.pem).unwrap();
    std::fs::write(rig.identity_dir().join("workstation.crt"), expired).unwrap();

    let out = rig.run(&["register", "certificate", "--json"], "").await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "certificate_expired");

    // Sync: the register unreachable for this workstation (exit 6), the
    // entry still queued, never refused.
    let out = rig.run(&["sync", "--timeout", "10"], "").await;
    assert_eq!(out.status.code(), Some(6), "{}", text(&out));
    assert_eq!(rig.queue_depth().await, 1);
    let out = rig.run(&["application", "list", "--json"], "").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("rejected"),
        "{}",
        text(&out)
    );
    rig.sim.stop().await.unwrap();
}

#[test]
fn an_http_register_is_refused_outside_the_demo() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("config.toml"),
        "office = \"WAW1\"\nworkstation = \"03\"\nregister = \"http://rejestr.example/\"\n",
    )
    .unwrap();
    let out = counterctl()
        .arg("--data-dir")
        .arg(&data)
        .args(["status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    for words in [
        "`register`",
        "config.toml",
        "http://",
        "https://",
        "poza trybem demonstracyjnym",
        "outside demo mode",
    ] {
        assert!(err.contains(words), "{words}: {err}");
    }
    // The same from the flag, named as the flag; the table form too.
    let out = counterctl()
        .arg("--data-dir")
        .arg(&data)
        .args(["--register", "HTTP://10.0.0.1:8080", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--register"));
    std::fs::write(
        data.join("config.toml"),
        "office = \"WAW1\"\nworkstation = \"03\"\n[register]\nurl = \"http://rejestr.example/\"\n",
    )
    .unwrap();
    let out = counterctl()
        .arg("--data-dir")
        .arg(&data)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    // A misspelt key in [register] is named.
    std::fs::write(
        data.join("config.toml"),
        "office = \"WAW1\"\nworkstation = \"03\"\n[register]\nurl = \"https://rejestr.example/\"\nca_fil = \"x\"\n",
    )
    .unwrap();
    let out = counterctl()
        .arg("--data-dir")
        .arg(&data)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ca_fil"),
        "{}",
        text(&out)
    );

    // The demo (no office or workstation configured) keeps its http://
    // register on 127.0.0.1: what `make run` and the tests use.
    let demo = d.path().join("demo");
    let out = counterctl()
        .arg("--data-dir")
        .arg(&demo)
        .args(["--register", "http://127.0.0.1:9", "config", "show"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// The app's core against the TLS register before enrolment: the status
/// bar's snapshot says why (not enrolled) and the counter is offline, with
/// the work still possible; after enrolment through the same core function
/// and a restart, the channel is clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_bar_names_the_channel_problem() {
    use passport_counter_core::config::{Overrides, Resolved};
    use passport_counter_core::{ChannelState, Counter};
    let rig = Rig::start().await;
    let load = || {
        Resolved::load(&Overrides {
            data_dir: Some(rig.data()),
            ..Overrides::default()
        })
        .unwrap()
    };
    async fn until(
        counter: &Counter,
        what: &str,
        ok: impl Fn(&passport_counter_core::StatusSnapshot) -> bool,
    ) -> passport_counter_core::StatusSnapshot {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let s = counter.status().await;
            if ok(&s) {
                return s;
            }
            assert!(std::time::Instant::now() < deadline, "{what}: {s:?}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let counter = Counter::start(load()).await.unwrap();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let task = tokio::spawn(async move {
        worker
            .run_worker(async {
                stop_rx.await.ok();
            })
            .await;
    });
    let s = until(&counter, "not enrolled", |s| {
        s.channel == Some(ChannelState::NotEnrolled)
    })
    .await;
    assert_ne!(s.connection, passport_counter_core::Connection::Online);
    stop.send(()).unwrap();
    task.await.unwrap();
    counter.shutdown().await;

    passport_counter_core::enrolment::enrol(
        &load(),
        &passport_counter_core::enrolment::EnrolmentInput {
            code: CODE.into(),
            supervisor_id: "demo-supervisor".into(),
            supervisor_password: "demo".into(),
        },
    )
    .await
    .unwrap();
    let counter = Counter::start(load()).await.unwrap();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let task = tokio::spawn(async move {
        worker
            .run_worker(async {
                stop_rx.await.ok();
            })
            .await;
    });
    let s = until(&counter, "online over mutual TLS", |s| {
        s.connection == passport_counter_core::Connection::Online
    })
    .await;
    assert_eq!(s.channel, None);
    stop.send(()).unwrap();
    task.await.unwrap();
    counter.shutdown().await;
    rig.sim.stop().await.unwrap();
}
