//! The emulator's STREAM preview and its refusals, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mds_emulator::{Config, DevicePki, Emulator, Variant};

async fn device(variant: Variant) -> Emulator {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = Config {
        variant,
        ..Config::default()
    };
    Emulator::start(listener, DevicePki::generate("S").unwrap(), config).unwrap()
}

fn method(m: &str) -> reqwest::Method {
    reqwest::Method::from_bytes(m.as_bytes()).unwrap()
}

#[tokio::test]
async fn stream_sends_jpeg_frames_as_multipart() {
    let d = device(Variant::Good).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut response = http
        .request(method("STREAM"), format!("http://{}/stream", d.addr()))
        .body(r#"{"deviceId":"1","deviceSubId":"0","timeout":700}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "multipart/x-mixed-replace; boundary=mdsframe"
    );
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    let frames = body.windows(10).filter(|w| w == b"--mdsframe").count();
    assert!((3..=5).contains(&frames), "{frames} frames in 700 ms");
    let jpeg_start = body.windows(3).position(|w| w == [0xFF, 0xD8, 0xFF]);
    assert!(jpeg_start.is_some());
}

#[tokio::test]
async fn unknown_methods_and_paths_are_refused() {
    let d = device(Variant::Good).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = http
        .get(format!("http://{}/capture", d.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let r = http
        .request(method("MOSIPDISC"), format!("http://{}/nothing", d.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn images_are_deterministic_and_not_blank() {
    let a = mds_emulator::image::finger_png(1, 0, 80).unwrap();
    let b = mds_emulator::image::finger_png(1, 0, 80).unwrap();
    assert_eq!(a, b);
    let pixels = mds_emulator::image::finger_pixels(1, 0, 80);
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / pixels.len() as f64;
    let var = pixels
        .iter()
        .map(|&p| (f64::from(p) - mean).powi(2))
        .sum::<f64>()
        / pixels.len() as f64;
    assert!(var.sqrt() > 20.0, "stddev {}", var.sqrt());
}
