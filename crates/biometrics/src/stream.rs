//! STREAM: a device's live preview while the finger is on it, as M-JPEG
//! (`multipart/x-mixed-replace`, one JPEG a part; the specification asks
//! for three frames a second or more).
//!
//! Bounded everywhere: a part's declared size is checked before its bytes
//! are kept, a part without one is cut at the same size, headers are
//! short, frames come no faster than [`StreamLimits::min_interval`] (the
//! others are dropped, not queued), the whole preview ends after
//! [`StreamLimits::total`], and a device that goes silent ends it after
//! [`StreamLimits::stall`]. The caller stops it by dropping the
//! [`PreviewStream`] (the connection closes with it).
//!
//! The parts are bytes here; the counter checks each as a JPEG before it
//! shows it.

use std::time::Duration;
use tokio::time::Instant;

/// The bounds of one preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// The largest part (one JPEG frame) kept.
    pub part_max: usize,
    /// At most one frame per this much time; faster frames are dropped.
    pub min_interval: Duration,
    /// The whole preview, from the request.
    pub total: Duration,
    /// The longest wait for the answer's headers or the next bytes.
    pub stall: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            part_max: 512 * 1024,
            // Five frames a second: enough to place a finger by.
            min_interval: Duration::from_millis(200),
            total: Duration::from_secs(60),
            stall: Duration::from_secs(3),
        }
    }
}

/// A part's headers longer than this are not a device's.
const HEADERS_MAX: usize = 4 * 1024;
/// RFC 2046: a boundary is 1–70 characters.
const BOUNDARY_MAX: usize = 70;

/// Why the bytes of a stream are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("a preview frame is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the preview stream is malformed: {0}")]
    Malformed(&'static str),
}

/// How a preview ended, for the screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// The device closed the stream (its time-out, or the capture ended).
    Finished,
    /// The counter's [`StreamLimits::total`] passed.
    TimeLimit,
    /// No bytes for [`StreamLimits::stall`].
    Stalled,
    /// The connection broke: unplugged, or its service stopped.
    Gone { port: u16 },
    /// The bytes are not a multipart stream of frames.
    Refused(StreamError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a delimiter line (the preamble, or between parts).
    Delimiter,
    Headers,
    Body {
        length: Option<usize>,
    },
    /// After the close delimiter (`--boundary--`).
    Closed,
}

/// The multipart parser: bytes in, whole parts out; no I/O, so that it is
/// tested over any bytes.
#[derive(Debug, Clone)]
pub struct MultipartParser {
    /// `--` and the boundary.
    delimiter: Vec<u8>,
    part_max: usize,
    buf: Vec<u8>,
    state: State,
    /// How far `buf` was searched for the next delimiter (a body without a
    /// length), so that each byte is searched about once.
    scanned: usize,
}

impl MultipartParser {
    /// `boundary` as the `Content-Type` named it (quotes removed).
    pub fn new(boundary: &str, part_max: usize) -> Result<Self, StreamError> {
        let ok = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
        if boundary.is_empty()
            || boundary.len() > BOUNDARY_MAX
            || !boundary.chars().all(ok)
            || boundary.ends_with(' ')
        {
            return Err(StreamError::Malformed("boundary"));
        }
        let mut delimiter = b"--".to_vec();
        delimiter.extend_from_slice(boundary.as_bytes());
        Ok(Self {
            delimiter,
            part_max,
            buf: Vec::new(),
            state: State::Delimiter,
            scanned: 0,
        })
    }

    /// The `boundary` parameter of a `multipart/…` content type.
    pub fn boundary_of(content_type: &str) -> Result<String, StreamError> {
        let mut params = content_type.split(';');
        let Some(media) = params.next().map(|m| m.trim().to_ascii_lowercase()) else {
            return Err(StreamError::Malformed("no media type"));
        };
        if !media.starts_with("multipart/") {
            return Err(StreamError::Malformed("not a multipart answer"));
        }
        for p in params {
            let Some((name, value)) = p.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("boundary") {
                let v = value.trim();
                // Quoted or not (RFC 2046 allows both).
                let v = match v.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
                    Some(quoted) => quoted,
                    None => v,
                };
                // Some servers write the boundary with its leading dashes.
                return Ok(v.to_owned());
            }
        }
        Err(StreamError::Malformed("no boundary"))
    }

    /// The close delimiter came: no more parts.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Takes `bytes`; the parts they complete, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, StreamError> {
        let mut parts = Vec::new();
        if self.state == State::Closed {
            return Ok(parts);
        }
        self.buf.extend_from_slice(bytes);
        while let Some(part) = self.step()? {
            if let Some(p) = part {
                parts.push(p);
            }
        }
        Ok(parts)
    }

    /// One step: `Some(Some(part))` a part, `Some(None)` progress without a
    /// part, `None` more bytes needed.
    #[allow(clippy::option_option)]
    fn step(&mut self) -> Result<Option<Option<Vec<u8>>>, StreamError> {
        match self.state {
            State::Closed => Ok(None),
            State::Delimiter => {
                let d = self.delimiter.len();
                let Some(at) = find(&self.buf, &self.delimiter) else {
                    // Garbage before a delimiter: keep only what could be
                    // the start of one.
                    let keep = d.min(self.buf.len());
                    self.buf.drain(..self.buf.len() - keep);
                    return Ok(None);
                };
                let rest = &self.buf[at + d..];
                if rest.len() < 2 {
                    return Ok(None);
                }
                if rest.starts_with(b"--") {
                    self.state = State::Closed;
                    self.buf.clear();
                    return Ok(None);
                }
                // Transport padding, then the line's end.
                let pad = rest
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                let after = &rest[pad..];
                let eol = if after.starts_with(b"\r\n") {
                    2
                } else if after.starts_with(b"\n") {
                    1
                } else if after.is_empty() || after == b"\r" {
                    if pad > 64 {
                        return Err(StreamError::Malformed("delimiter line"));
                    }
                    return Ok(None);
                } else {
                    // The boundary string inside other text: not a
                    // delimiter; look past it.
                    self.buf.drain(..at + d);
                    return Ok(Some(None));
                };
                self.buf.drain(..at + d + pad + eol);
                self.state = State::Headers;
                Ok(Some(None))
            }
            State::Headers => {
                // A part with no headers starts with its blank line.
                let (end, skip) = if self.buf.starts_with(b"\r\n") {
                    (0, 2)
                } else if self.buf.starts_with(b"\n") {
                    (0, 1)
                } else {
                    match (find(&self.buf, b"\r\n\r\n"), find(&self.buf, b"\n\n")) {
                        (Some(a), Some(b)) if b + 1 < a => (b + 1, 1),
                        (Some(a), _) => (a + 2, 2),
                        (None, Some(b)) => (b + 1, 1),
                        (None, None) => {
                            if self.buf.len() > HEADERS_MAX {
                                return Err(StreamError::Malformed("part headers too long"));
                            }
                            return Ok(None);
                        }
                    }
                };
                if end > HEADERS_MAX {
                    return Err(StreamError::Malformed("part headers too long"));
                }
                let length = self.headers(end)?;
                self.buf.drain(..end + skip);
                self.state = State::Body { length };
                self.scanned = 0;
                Ok(Some(None))
            }
            State::Body { length: Some(n) } => {
                if self.buf.len() < n {
                    return Ok(None);
                }
                let part: Vec<u8> = self.buf.drain(..n).collect();
                self.state = State::Delimiter;
                Ok(Some(Some(part)))
            }
            State::Body { length: None } => {
                let from = self.scanned.saturating_sub(self.delimiter.len() + 2);
                let found = find(&self.buf[from..], &self.delimiter).map(|i| i + from);
                match found {
                    // The delimiter belongs to the line before it: its
                    // CRLF (or LF) is not the part's.
                    Some(at) => {
                        let mut end = at;
                        if end >= 1 && self.buf[end - 1] == b'\n' {
                            end -= 1;
                            if end >= 1 && self.buf[end - 1] == b'\r' {
                                end -= 1;
                            }
                        }
                        if end > self.part_max {
                            return Err(StreamError::TooLarge {
                                limit: self.part_max,
                            });
                        }
                        let part = self.buf[..end].to_vec();
                        self.buf.drain(..at);
                        self.state = State::Delimiter;
                        Ok(Some(Some(part)))
                    }
                    None => {
                        if self.buf.len() > self.part_max + self.delimiter.len() + 2 {
                            return Err(StreamError::TooLarge {
                                limit: self.part_max,
                            });
                        }
                        self.scanned = self.buf.len();
                        Ok(None)
                    }
                }
            }
        }
    }

    /// The part's headers in `buf[..end]`: its length, if it names one
    /// (checked against the cap before any of the body is kept), and its
    /// type, which must be a JPEG if named.
    fn headers(&self, end: usize) -> Result<Option<usize>, StreamError> {
        let text = std::str::from_utf8(&self.buf[..end])
            .map_err(|_| StreamError::Malformed("part headers are not text"))?;
        let mut length = None;
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or(StreamError::Malformed("part header line"))?;
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("content-length") {
                if value.is_empty()
                    || value.len() > 12
                    || !value.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(StreamError::Malformed("part length"));
                }
                let n: usize = value
                    .parse()
                    .map_err(|_| StreamError::Malformed("part length"))?;
                if n > self.part_max {
                    return Err(StreamError::TooLarge {
                        limit: self.part_max,
                    });
                }
                length = Some(n);
            } else if name.eq_ignore_ascii_case("content-type") {
                // The media type without its parameters (none: all of it).
                let media = match value.split_once(';') {
                    Some((media, _)) => media,
                    None => value,
                }
                .trim()
                .to_ascii_lowercase();
                if media != "image/jpeg" && media != "image/jpg" {
                    return Err(StreamError::Malformed("a part is not a JPEG"));
                }
            }
        }
        Ok(length)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An open preview: frames as they come, within the limits. Dropping it
/// closes the connection, which ends the device's stream.
#[derive(Debug)]
pub struct PreviewStream {
    port: u16,
    response: reqwest::Response,
    parser: MultipartParser,
    limits: StreamLimits,
    ends_at: Instant,
    last_frame: Option<Instant>,
    ready: std::collections::VecDeque<Vec<u8>>,
    delivered: u32,
    dropped: u32,
}

impl PreviewStream {
    pub(crate) fn new(
        port: u16,
        response: reqwest::Response,
        parser: MultipartParser,
        limits: StreamLimits,
        started: Instant,
    ) -> Self {
        Self {
            port,
            response,
            parser,
            limits,
            ends_at: started + limits.total,
            last_frame: None,
            ready: std::collections::VecDeque::new(),
            delivered: 0,
            dropped: 0,
        }
    }

    /// Frames handed out so far.
    pub fn delivered(&self) -> u32 {
        self.delivered
    }

    /// Frames dropped for coming faster than the limit.
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// The next frame (a part's bytes, not yet checked as a JPEG), or how
    /// the stream ended.
    pub async fn next_frame(&mut self) -> Result<Vec<u8>, StreamEnd> {
        loop {
            while let Some(part) = self.ready.pop_front() {
                let now = Instant::now();
                if self
                    .last_frame
                    .is_some_and(|t| now.duration_since(t) < self.limits.min_interval)
                {
                    self.dropped = self.dropped.saturating_add(1);
                    continue;
                }
                self.last_frame = Some(now);
                self.delivered = self.delivered.saturating_add(1);
                return Ok(part);
            }
            if self.parser.is_closed() {
                return Err(StreamEnd::Finished);
            }
            let now = Instant::now();
            if now >= self.ends_at {
                return Err(StreamEnd::TimeLimit);
            }
            let wait = self.limits.stall.min(self.ends_at - now);
            let chunk = match tokio::time::timeout(wait, self.response.chunk()).await {
                Err(_) if Instant::now() >= self.ends_at => return Err(StreamEnd::TimeLimit),
                Err(_) => return Err(StreamEnd::Stalled),
                Ok(Err(_)) => return Err(StreamEnd::Gone { port: self.port }),
                Ok(Ok(None)) => return Err(StreamEnd::Finished),
                Ok(Ok(Some(chunk))) => chunk,
            };
            let parts = self.parser.push(&chunk).map_err(StreamEnd::Refused)?;
            // Only the newest few are worth showing; older ones would be
            // dropped by the rate anyway.
            for p in parts {
                if self.ready.len() >= 2 {
                    self.ready.pop_front();
                    self.dropped = self.dropped.saturating_add(1);
                }
                self.ready.push_back(p);
            }
        }
    }
}
