//! The one error of this crate: what went wrong talking to a device, typed
//! so that the counter can show a state ("busy", "unplugged", "answer
//! refused") rather than a message.

/// Why a JWS from a device is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("not a compact JWS (three base64url parts)")]
    NotCompact,
    #[error("the JWS header is unreadable")]
    Header,
    #[error("the signature algorithm {0:?} is not accepted (EdDSA or RS256)")]
    Algorithm(String),
    #[error("the JWS header carries no device certificate (x5c)")]
    NoCertificate,
    #[error("the device certificate is unreadable")]
    Certificate,
    #[error("the device certificate is not issued by a trusted device provider: {0}")]
    Untrusted(String),
    #[error("the signature does not match the data")]
    Mismatch,
    #[error("no device provider certificates are configured (trust store empty)")]
    EmptyTrustStore,
}

/// What a device exchange can end in, besides an answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MdsError {
    /// Nothing listens on the port (connection refused): no device, or
    /// unplugged.
    #[error("no device answers on 127.0.0.1:{port}")]
    Unreachable { port: u16 },
    /// The connection broke before the whole answer came: the device was
    /// pulled out, or its service stopped, mid-exchange.
    #[error("the device on 127.0.0.1:{port} was disconnected during the exchange")]
    Disconnected { port: u16 },
    #[error("the device on 127.0.0.1:{port} did not answer within {millis} ms")]
    TimedOut { port: u16, millis: u64 },
    #[error("the device's answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the device answered HTTP {status}")]
    Status { status: u16 },
    #[error("the device's answer is malformed: {0}")]
    Malformed(String),
    #[error("the device's answer has {field} out of range")]
    OutOfRange { field: &'static str },
    /// MDS error 111, or "Busy" as the device's status.
    #[error("the device is busy")]
    Busy,
    /// MDS error 110, or "Not Ready"/"Not Registered".
    #[error("the device is not ready")]
    NotReady,
    /// Another MDS error code (101 unable to detect a finger, 102, …).
    #[error("the device refused: error {code} ({info})")]
    Device { code: u16, info: String },
    #[error("the device's signature is refused: {0}")]
    Signature(#[from] SignatureError),
    /// The answer is for another request (transaction, finger, hash chain).
    #[error("the device's answer does not match the request: {0}")]
    Mismatch(&'static str),
    /// The image is not a usable finger image (the domain's checks).
    #[error("the finger image is refused: {0}")]
    Image(String),
}

impl MdsError {
    /// A stable code for the UI's words and counterctl's JSON.
    pub fn code(&self) -> &'static str {
        match self {
            MdsError::Unreachable { .. } => "biometrics.unreachable",
            MdsError::Disconnected { .. } => "biometrics.disconnected",
            MdsError::TimedOut { .. } => "biometrics.timed_out",
            MdsError::TooLarge { .. }
            | MdsError::Status { .. }
            | MdsError::Malformed(_)
            | MdsError::OutOfRange { .. }
            | MdsError::Mismatch(_) => "biometrics.bad_answer",
            MdsError::Busy => "biometrics.busy",
            MdsError::NotReady => "biometrics.not_ready",
            MdsError::Device { .. } => "biometrics.device_error",
            MdsError::Signature(_) => "biometrics.signature",
            MdsError::Image(_) => "biometrics.image",
        }
    }

    /// The device is gone (unplugged or its service stopped): the state
    /// the status bar shows and a retry after re-plugging clears.
    pub fn is_gone(&self) -> bool {
        matches!(
            self,
            MdsError::Unreachable { .. } | MdsError::Disconnected { .. }
        )
    }
}
