//! Taking one finger: a capture whose quality reaches the threshold is
//! accepted; below it the clerk retakes, a limited number of times, and the
//! best capture is kept; when the retakes are used up the counter asks for
//! an exception (the finger is missing, or temporarily impossible to take
//! and a supervisor confirms), with the best capture still at hand.
//!
//! A state machine with no I/O, so the screen (one Space press, one
//! capture) and [`take_finger`] (a loop) follow the same rule.

use crate::client::MdsClient;
use crate::error::MdsError;
use crate::wire::DeviceCapture;
use passport_domain::biometrics::FingerPosition;

/// The rule: quality threshold (0–100) and retakes after the first capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapturePolicy {
    pub threshold: u8,
    pub retries: u8,
}

/// Where one finger's taking stands after a capture.
#[derive(Debug, Clone, PartialEq)]
pub enum TakeStep {
    /// Good enough: this capture is the finger's.
    Accepted(Box<DeviceCapture>),
    /// Below the threshold: take it again (`left` retakes remain).
    Retake { quality: u8, left: u8 },
    /// Retakes used up: record an exception, or accept the best capture
    /// if the rules allow it; `best` is the best quality seen.
    ExceptionNeeded { best: Option<Box<DeviceCapture>> },
}

/// One finger's attempts.
#[derive(Debug, Clone)]
pub struct FingerTake {
    pub position: FingerPosition,
    policy: CapturePolicy,
    attempts: u8,
    best: Option<DeviceCapture>,
}

impl FingerTake {
    pub fn new(position: FingerPosition, policy: CapturePolicy) -> Self {
        Self {
            position,
            policy,
            attempts: 0,
            best: None,
        }
    }

    pub fn attempts(&self) -> u8 {
        self.attempts
    }

    pub fn best(&self) -> Option<&DeviceCapture> {
        self.best.as_ref()
    }

    /// Records a capture of this finger and says what comes next.
    pub fn record(&mut self, capture: DeviceCapture) -> TakeStep {
        self.attempts = self.attempts.saturating_add(1);
        let quality = capture.quality.get();
        if quality >= self.policy.threshold {
            self.best = Some(capture.clone());
            return TakeStep::Accepted(Box::new(capture));
        }
        if self
            .best
            .as_ref()
            .is_none_or(|b| b.quality < capture.quality)
        {
            self.best = Some(capture);
        }
        let allowed = self.policy.retries.saturating_add(1);
        if self.attempts < allowed {
            TakeStep::Retake {
                quality,
                left: allowed - self.attempts,
            }
        } else {
            TakeStep::ExceptionNeeded {
                best: self.best.clone().map(Box::new),
            }
        }
    }
}

/// How a finger ended, after [`take_finger`].
#[derive(Debug, Clone, PartialEq)]
pub enum FingerOutcome {
    Accepted(Box<DeviceCapture>),
    ExceptionNeeded {
        best: Option<Box<DeviceCapture>>,
        attempts: u8,
    },
}

/// Captures `position` until accepted or the retakes are used up. A device
/// failure (busy, gone, refused signature) ends it with that error: the
/// clerk sees the state and tries again.
pub async fn take_finger(
    client: &MdsClient,
    port: u16,
    device_id: &str,
    position: FingerPosition,
    policy: CapturePolicy,
) -> Result<FingerOutcome, MdsError> {
    let mut take = FingerTake::new(position, policy);
    loop {
        let capture = client
            .capture(port, device_id, position, policy.threshold)
            .await?;
        match take.record(capture) {
            TakeStep::Accepted(c) => return Ok(FingerOutcome::Accepted(c)),
            TakeStep::Retake { .. } => continue,
            TakeStep::ExceptionNeeded { best } => {
                return Ok(FingerOutcome::ExceptionNeeded {
                    best,
                    attempts: take.attempts(),
                });
            }
        }
    }
}
