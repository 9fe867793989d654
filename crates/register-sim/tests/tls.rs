//! The simulator over TLS, met by a raw rustls client (no counter code in
//! between): a `/v1` call without a certificate is a 401 Problem, a
//! certificate the handshake refuses (expired, from another CA) ends the
//! connection with the matching alert, and the slow-client limits still
//! hold when the slow part is the handshake.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_sim::tls::TlsSettings;
use passport_register_sim::{Limits, SimConfig, SimHandle, spawn};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn sim(limits: Limits) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            limits,
            tls: Some(TlsSettings {
                enrolment_codes: vec!["CODE-1".into()],
                ..TlsSettings::default()
            }),
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

/// `GET path` over TLS, trusting `ca_pem`, presenting `identity`; the
/// whole answer, or the error that ended the connection.
async fn get(
    sim: &SimHandle,
    ca_pem: &str,
    identity: Option<Identity>,
    path: &str,
) -> std::io::Result<String> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(c.unwrap()).unwrap();
    }
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots);
    let config = match identity {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).unwrap(),
        None => builder.with_no_client_auth(),
    };
    let tcp = TcpStream::connect(sim.addr).await?;
    let mut tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await?;
    tls.write_all(
        format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n").as_bytes(),
    )
    .await?;
    let mut answer = Vec::new();
    tls.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// A workstation certificate from the simulator's CA, valid as given.
fn identity(sim: &SimHandle, from: time::OffsetDateTime, to: time::OffsetDateTime) -> Identity {
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::default()
        .serialize_request(&key)
        .unwrap()
        .pem()
        .unwrap();
    let pem = sim
        .tls()
        .unwrap()
        .issue_for_test(&csr, "DEMO", "01", from, to)
        .unwrap();
    (
        vec![CertificateDer::from_pem_slice(pem.as_bytes()).unwrap()],
        PrivateKeyDer::from_pem_slice(key.serialize_pem().as_bytes()).unwrap(),
    )
}

fn alert(e: &std::io::Error) -> Option<rustls::AlertDescription> {
    match e.get_ref()?.downcast_ref::<rustls::Error>()? {
        rustls::Error::AlertReceived(a) => Some(*a),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_certificate_v1_is_401_and_enrolment_is_reachable() {
    let s = sim(Limits::default()).await;
    let ca = s.tls().unwrap().ca_pem().to_owned();
    let answer = get(&s, &ca, None, "/v1/health").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("client_certificate_required"), "{answer}");
    // The enrolment path answers (405 for a GET: it exists), and admin is
    // absent as without TLS.
    let answer = get(&s, &ca, None, "/enrolment/v1/workstations")
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    let answer = get(&s, &ca, None, "/admin/stats").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    // With a certificate from its CA, /v1 answers.
    let now = time::OffsetDateTime::now_utc();
    let id = identity(
        &s,
        now - time::Duration::hours(1),
        now + time::Duration::days(1),
    );
    let answer = get(&s, &ca, Some(id), "/v1/health").await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_refuses_an_expired_or_foreign_certificate() {
    let s = sim(Limits::default()).await;
    let ca = s.tls().unwrap().ca_pem().to_owned();
    let now = time::OffsetDateTime::now_utc();
    let expired = identity(
        &s,
        now - time::Duration::days(30),
        now - time::Duration::days(1),
    );
    let err = get(&s, &ca, Some(expired), "/v1/health").await.unwrap_err();
    assert_eq!(
        alert(&err),
        Some(rustls::AlertDescription::CertificateExpired),
        "{err:?}"
    );
    let early = identity(
        &s,
        now + time::Duration::days(1),
        now + time::Duration::days(30),
    );
    let err = get(&s, &ca, Some(early), "/v1/health").await.unwrap_err();
    assert!(alert(&err).is_some(), "{err:?}");

    // Another simulator's CA: unknown here. (Both CAs have the same
    // name, so webpki finds "the issuer" and its signature fails:
    // decrypt_error, where a CA of another name gives unknown_ca.)
    let other = sim(Limits::default()).await;
    let foreign = identity(
        &other,
        now - time::Duration::hours(1),
        now + time::Duration::days(1),
    );
    let err = get(&s, &ca, Some(foreign), "/v1/health").await.unwrap_err();
    assert!(
        matches!(
            alert(&err),
            Some(
                rustls::AlertDescription::UnknownCA
                    | rustls::AlertDescription::BadCertificate
                    | rustls::AlertDescription::DecryptError
            )
        ),
        "{err:?}"
    );
    other.stop().await.unwrap();
    s.stop().await.unwrap();
}

/// A client that opens a connection and never sends its ClientHello is cut
/// by the header read time-out; with the cap at one connection, a real
/// client is served once it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_handshake_is_timed_out_and_frees_its_slot() {
    let s = sim(Limits {
        header_read: Duration::from_millis(500),
        body_idle: Duration::from_millis(500),
        max_connections: 1,
    })
    .await;
    let ca = s.tls().unwrap().ca_pem().to_owned();
    let start = Instant::now();
    let mut silent = TcpStream::connect(s.addr).await.unwrap();
    let mut buf = [0u8; 64];
    let r = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf))
        .await
        .expect("the server closes a silent connection");
    assert!(matches!(r, Ok(0) | Err(_)), "{r:?}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );

    // Half a ClientHello, then nothing: cut the same way, and meanwhile
    // the only slot is taken, so a real client waits rather than fails.
    let mut half = TcpStream::connect(s.addr).await.unwrap();
    half.write_all(&[0x16, 0x03, 0x01, 0x01, 0x00, 0x01])
        .await
        .unwrap();
    let start = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(5), get(&s, &ca, None, "/v1/health"))
        .await
        .expect("served once the stalled handshake is cut")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    s.stop().await.unwrap();
}
