//! The channel to the register, for real: rustls on both sides over
//! 127.0.0.1, the simulator's CA and certificates made by rcgen, and the
//! client classifying every way the channel can fail as a typed, retryable
//! state.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use passport_register_client::tls::{
    self, ChannelProblem, EnrolmentRequest, IDENTITY_CERT_FILE, IDENTITY_KEY_FILE, TlsSettings,
};
use passport_register_client::{CallError, ClientConfig, FailureKind, RegisterClient};
use passport_register_sim::{SimConfig, SimHandle, tls::TlsSettings as SimTlsSettings};
use std::path::{Path, PathBuf};
use std::time::Duration;

const CODE: &str = "TEST-CODE-0001";

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
                tls: Some(SimTlsSettings {
                    ca_dir: Some(dir.path().join("sim-ca")),
                    enrolment_codes: vec![CODE.into(), "TEST-CODE-0002".into()],
                    ..SimTlsSettings::default()
                }),
                ..SimConfig::default()
            },
        )
        .await
        .unwrap();
        let ca = dir.path().join("register-ca.pem");
        std::fs::write(&ca, sim.tls().unwrap().ca_pem()).unwrap();
        Self { sim, dir }
    }

    fn ca_file(&self) -> PathBuf {
        self.dir.path().join("register-ca.pem")
    }

    /// A client pinned to the register's CA, with the identity in `id_dir`.
    fn client(&self, id_dir: &Path) -> RegisterClient {
        self.client_pinned(self.ca_file(), id_dir)
    }

    fn client_pinned(&self, ca_file: PathBuf, id_dir: &Path) -> RegisterClient {
        let mut c = ClientConfig::new(self.sim.url());
        c.request_timeout = Duration::from_secs(5);
        c.tls = Some(TlsSettings {
            ca_file: Some(ca_file),
            identity_dir: Some(id_dir.to_path_buf()),
        });
        RegisterClient::new(c).unwrap()
    }

    /// Enrols as `workstation` with the register's own endpoint; returns
    /// the identity directory.
    async fn enrol(&self, workstation: &str, code: &str) -> PathBuf {
        let id_dir = self.dir.path().join(format!("id-{workstation}"));
        std::fs::create_dir_all(&id_dir).unwrap();
        let (key, csr_pem) = tls::new_key_and_csr("DEMO", workstation).unwrap();
        let answer = self
            .client(&id_dir)
            .enrol(&EnrolmentRequest {
                code: code.into(),
                supervisor_id: "demo-supervisor".into(),
                supervisor_password: "demo".into(),
                office: "DEMO".into(),
                workstation: workstation.into(),
                csr_pem,
            })
            .await
            .unwrap();
        assert_eq!(
            tls::certificate_public_key(&answer.certificate_pem).unwrap(),
            key.public_key_der,
            "the certificate is for the key made here"
        );
        std::fs::write(id_dir.join(IDENTITY_KEY_FILE), &key.pem).unwrap();
        std::fs::write(id_dir.join(IDENTITY_CERT_FILE), &answer.certificate_pem).unwrap();
        id_dir
    }
}

fn channel_problem(r: Result<impl std::fmt::Debug, CallError>) -> ChannelProblem {
    match r {
        Err(CallError::Retryable {
            kind: FailureKind::Channel(p),
            ..
        }) => p,
        other => panic!("expected a channel failure, got {other:?}"),
    }
}

#[tokio::test]
async fn enrolment_then_calls_over_mutual_tls_succeed() {
    let rig = Rig::start().await;
    let id_dir = rig.enrol("07", CODE).await;
    let client = rig.client(&id_dir);
    let cert = client.certificate().expect("the identity was read");
    assert!(cert.subject.contains("DEMO/07"), "{}", cert.subject);
    assert!(
        cert.issuer.contains("Register simulator test CA"),
        "{}",
        cert.issuer
    );
    client.health().await.unwrap();
    let page = client.ready_documents("DEMO", None, 10).await.unwrap();
    assert!(!page.items.is_empty());
    client.chain_seen("DEMO", "07").await.unwrap();
    assert_eq!(client.status().channel, None);

    // The code was used once: a second enrolment with it is refused, and
    // the other code still works.
    let other = rig.dir.path().join("id-again");
    std::fs::create_dir_all(&other).unwrap();
    let (_, csr_pem) = tls::new_key_and_csr("DEMO", "08").unwrap();
    let err = rig
        .client(&other)
        .enrol(&EnrolmentRequest {
            code: CODE.into(),
            supervisor_id: "demo-supervisor".into(),
            supervisor_password: "demo".into(),
            office: "DEMO".into(),
            workstation: "08".into(),
            csr_pem,
        })
        .await
        .unwrap_err();
    match err {
        CallError::Rejected { status, problem } => {
            assert_eq!(status, 403);
            assert_eq!(problem.code, "enrolment_code_invalid");
        }
        other => panic!("{other:?}"),
    }
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn enrolment_needs_a_supervisor() {
    let rig = Rig::start().await;
    let id_dir = rig.dir.path().join("id");
    std::fs::create_dir_all(&id_dir).unwrap();
    let (_, csr_pem) = tls::new_key_and_csr("DEMO", "09").unwrap();
    let err = rig
        .client(&id_dir)
        .enrol(&EnrolmentRequest {
            code: CODE.into(),
            supervisor_id: "demo-clerk".into(),
            supervisor_password: "demo".into(),
            office: "DEMO".into(),
            workstation: "09".into(),
            csr_pem,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CallError::Rejected { status: 401, .. }),
        "{err:?}"
    );
    // The code survives a refused attempt.
    assert!(
        rig.sim
            .tls()
            .unwrap()
            .enrolment_codes()
            .contains(&CODE.to_owned())
    );
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    let rig = Rig::start().await;
    let empty = rig.dir.path().join("no-identity");
    std::fs::create_dir_all(&empty).unwrap();
    let client = rig.client(&empty);
    assert!(client.certificate().is_none());
    assert_eq!(
        channel_problem(client.health().await),
        ChannelProblem::NotEnrolled
    );
    assert_eq!(
        channel_problem(client.ready_documents("DEMO", None, 10).await),
        ChannelProblem::NotEnrolled
    );
    assert_eq!(client.status().channel, Some(ChannelProblem::NotEnrolled));
    rig.sim.stop().await.unwrap();
}

/// A CA of someone else's, and a workstation certificate from it.
fn foreign_identity(dir: &Path) -> (PathBuf, PathBuf) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Another CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "DEMO/07");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, &issuer).unwrap();
    let id_dir = dir.join("foreign-id");
    std::fs::create_dir_all(&id_dir).unwrap();
    std::fs::write(id_dir.join(IDENTITY_KEY_FILE), key.serialize_pem()).unwrap();
    std::fs::write(id_dir.join(IDENTITY_CERT_FILE), cert.pem()).unwrap();
    let ca_file = dir.join("another-ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    (id_dir, ca_file)
}

#[tokio::test]
async fn a_certificate_from_another_ca_is_refused() {
    let rig = Rig::start().await;
    let (id_dir, _) = foreign_identity(rig.dir.path());
    let client = rig.client(&id_dir);
    assert_eq!(
        channel_problem(client.health().await),
        ChannelProblem::CertificateRefused
    );
    assert_eq!(
        client.status().channel,
        Some(ChannelProblem::CertificateRefused)
    );
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn a_register_whose_certificate_is_not_from_the_pinned_ca_is_refused() {
    let rig = Rig::start().await;
    let id_dir = rig.enrol("07", CODE).await;
    // Pinned to another CA: the simulator's certificate is not trusted,
    // whatever the system's roots say.
    let (_, another_ca) = foreign_identity(rig.dir.path());
    let client = rig.client_pinned(another_ca, &id_dir);
    assert_eq!(
        channel_problem(client.health().await),
        ChannelProblem::RegisterUntrusted
    );
    let before = rig.sim.url();
    assert!(before.starts_with("https://"), "{before}");
    // Nor is the enrolment endpoint reached: no code, password or CSR is
    // sent to a register the pinned CA does not vouch for.
    let (_, csr_pem) = tls::new_key_and_csr("DEMO", "08").unwrap();
    let r = client
        .enrol(&EnrolmentRequest {
            code: "TEST-CODE-0002".into(),
            supervisor_id: "demo-supervisor".into(),
            supervisor_password: "demo".into(),
            office: "DEMO".into(),
            workstation: "08".into(),
            csr_pem,
        })
        .await;
    assert_eq!(channel_problem(r), ChannelProblem::RegisterUntrusted);
    assert!(
        rig.sim
            .tls()
            .unwrap()
            .enrolment_codes()
            .contains(&"TEST-CODE-0002".to_owned())
    );
    rig.sim.stop().await.unwrap();
}

/// Replaces the certificate in `id_dir` with one for the same key from the
/// register's CA, valid only from `from` to `to`.
fn reissue(rig: &Rig, id_dir: &Path, from: time::OffsetDateTime, to: time::OffsetDateTime) {
    let key_pem = std::fs::read_to_string(id_dir.join(IDENTITY_KEY_FILE)).unwrap();
    let key = rcgen::KeyPair::from_pem(&key_pem).unwrap();
    let mut params = rcgen::CertificateParams::default();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "DEMO/07");
    let csr = params.serialize_request(&key).unwrap().pem().unwrap();
    let cert = rig
        .sim
        .tls()
        .unwrap()
        .issue_for_test(&csr, "DEMO", "07", from, to)
        .unwrap();
    std::fs::write(id_dir.join(IDENTITY_CERT_FILE), cert).unwrap();
}

#[tokio::test]
async fn an_expired_or_not_yet_valid_certificate_is_a_typed_state() {
    let rig = Rig::start().await;
    let id_dir = rig.enrol("07", CODE).await;
    let now = time::OffsetDateTime::now_utc();
    reissue(
        &rig,
        &id_dir,
        now - time::Duration::days(400),
        now - time::Duration::days(35),
    );
    let client = rig.client(&id_dir);
    let err = client.health().await;
    assert!(
        !matches!(&err, Err(e) if e.is_final()),
        "retryable: {err:?}"
    );
    assert_eq!(channel_problem(err), ChannelProblem::CertificateExpired);
    assert_eq!(
        client.status().channel,
        Some(ChannelProblem::CertificateExpired)
    );

    reissue(
        &rig,
        &id_dir,
        now + time::Duration::days(2),
        now + time::Duration::days(300),
    );
    let client = rig.client(&id_dir);
    assert_eq!(
        channel_problem(client.health().await),
        ChannelProblem::CertificateNotYetValid
    );
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn a_revoked_certificate_is_refused_on_the_next_connection() {
    let rig = Rig::start().await;
    let id_dir = rig.enrol("07", CODE).await;
    rig.client(&id_dir).health().await.unwrap();
    let revoked = rig
        .sim
        .tls()
        .unwrap()
        .revoke_workstation("DEMO", "07")
        .unwrap();
    assert_eq!(revoked, 1);
    let client = rig.client(&id_dir);
    assert_eq!(
        channel_problem(client.health().await),
        ChannelProblem::CertificateRevoked
    );
    // Another workstation's certificate still works.
    let other = rig.enrol("08", "TEST-CODE-0002").await;
    rig.client(&other).health().await.unwrap();
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn a_channel_problem_opens_the_circuit_and_the_next_good_exchange_clears_it() {
    let rig = Rig::start().await;
    let empty = rig.dir.path().join("none");
    std::fs::create_dir_all(&empty).unwrap();
    let mut c = ClientConfig::new(rig.sim.url());
    c.tls = Some(TlsSettings {
        ca_file: Some(rig.ca_file()),
        identity_dir: Some(empty.clone()),
    });
    let client = RegisterClient::new(c).unwrap();
    for _ in 0..10 {
        let _ = client.health().await;
    }
    let s = client.status();
    assert_eq!(s.channel, Some(ChannelProblem::NotEnrolled));
    assert_eq!(
        s.state,
        passport_register_client::ConnectionState::Offline,
        "{s:?}"
    );
    rig.sim.stop().await.unwrap();
}

#[tokio::test]
async fn an_unreadable_ca_file_is_an_error_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("ca.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    for ca_file in [bad, dir.path().join("absent.pem")] {
        let mut c = ClientConfig::new("https://127.0.0.1:9");
        c.tls = Some(TlsSettings {
            ca_file: Some(ca_file.clone()),
            identity_dir: Some(dir.path().to_path_buf()),
        });
        let err = RegisterClient::new(c).unwrap_err();
        assert!(
            err.to_string().contains(&*ca_file.to_string_lossy()),
            "{err}"
        );
    }
}
