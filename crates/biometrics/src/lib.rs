//! The counter's client for MOSIP biometric devices (the MDS / SBI
//! interface, specVersion 0.9.5 and 1.0): fingerprint scanners from any
//! vendor that implements it, as local HTTP services on 127.0.0.1 ports
//! 4501–4600 answering MOSIPDISC, MOSIPDINFO, RCAPTURE and STREAM.
//!
//! - `client.rs`: the exchanges (time-outs, answers bounded before they are
//!   read), discovery across the port range, capture of one finger.
//! - `wire.rs`: the wire format and its parsers: range checks, the
//!   device's JWS verified (`jws.rs`) before any signed field is believed,
//!   the image checked by the domain's rules.
//! - `take.rs`: quality threshold, retakes, the best capture, then an
//!   exception.
//! - `watch.rs`: devices appearing, changing state, going.
//! - `stream.rs`: STREAM, the live preview (M-JPEG), bounded.
//!
//! Device answers become the domain's types here, once: finger positions
//! are [`passport_domain::biometrics::FingerPosition`], qualities
//! [`passport_domain::biometrics::Quality`], images decoded
//! [`passport_domain::biometrics::PngImage`] ([`DeviceCapture::into_domain`]).

pub mod client;
pub mod error;
pub mod jws;
pub mod stream;
pub mod take;
pub mod watch;
pub mod wire;

pub use client::{Device, DeviceState, MdsClient, MdsOptions};
pub use error::{MdsError, SignatureError};
pub use jws::{TrustStore, TrustStoreError};
pub use stream::{MultipartParser, PreviewStream, StreamEnd, StreamError, StreamLimits};
pub use take::{CapturePolicy, FingerOutcome, FingerTake, TakeStep, take_finger};
pub use watch::{DeviceEvent, DeviceWatch};
pub use wire::{DeviceCapture, DeviceDescription, DeviceStatus};

impl DeviceCapture {
    /// The one conversion into the domain's capture (position, quality,
    /// image); the device's serial, time and hash stay at this edge.
    pub fn into_domain(self) -> passport_domain::biometrics::FingerCapture {
        passport_domain::biometrics::FingerCapture {
            position: self.position,
            quality: self.quality,
            image: self.image,
        }
    }

    /// The draft form the screens and `counterctl application submit` hand
    /// in (base64 PNG), for a capture taken at this counter.
    pub fn to_draft(&self) -> passport_domain::biometrics::FingerCaptureDraft {
        passport_domain::biometrics::FingerCaptureDraft {
            position: self.position,
            quality: u32::from(self.quality.get()),
            png_base64: self.image.to_base64(),
        }
    }
}
