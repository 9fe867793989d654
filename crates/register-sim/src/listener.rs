//! The simulator's listener, so that every refusal carries a `Problem`.
//!
//! hyper answers a request it cannot parse itself, before any handler or
//! middleware runs: a request line over the URI limit is 414, a header
//! block over the buffer 431, a malformed head 400, each with an empty body,
//! after which it closes the connection. The contract says every non-2xx
//! answer carries a `Problem`, and hyper has no hook for those answers, so
//! each connection's writes pass through [`ProblemIo`]: a write that is
//! exactly such a bodiless error head is replaced by the same status with a
//! `Problem` body. The register's own answers never match (its refusals all
//! have a body, by `api::problem_bodies`).
//!
//! With TLS ([`crate::tls`]) each connection is a [`Conn`] whose handshake
//! runs *lazily*, on hyper's first read: not in `accept`, so a client that
//! never finishes its handshake does not hold up the accept loop, and
//! inside hyper's header read time-out, so it is cut like a client that
//! never finishes its request head. The handshake's outcome (a verified
//! client certificate, or none) is left in the connection's [`Peer`] for
//! every request on it. [`ProblemIo`] wraps the TLS stream, so it still
//! sees plain HTTP.

use crate::tls::{Peer, PeerCertificate, SimTls};
use passport_register_contract::{Problem, ProblemCode};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections are [`ProblemIo`], over TLS when it
/// has a [`SimTls`].
#[derive(Debug)]
pub struct ProblemListener(TcpListener, Option<Arc<SimTls>>);

impl ProblemListener {
    /// Connections speak TLS with `tls`'s current configuration.
    pub fn with_tls(listener: TcpListener, tls: Option<Arc<SimTls>>) -> Self {
        Self(listener, tls)
    }
}

impl axum::serve::Listener for ProblemListener {
    type Io = ProblemIo<Conn>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((io, addr)) => {
                    let conn = match &self.1 {
                        Some(tls) => {
                            Conn::Handshaking(Box::new(tls.acceptor().accept(io)), Peer::default())
                        }
                        None => Conn::Plain(io),
                    };
                    return (ProblemIo::new(conn), addr);
                }
                // As axum's own TCP listener: a failed accept (a client
                // gone, no file descriptors left) is not the server's end;
                // wait a little so that a full table is not spun on.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection whose bodiless error answers get a `Problem` body.
#[derive(Debug)]
pub struct ProblemIo<T> {
    inner: T,
    /// The answer written instead of hyper's, and how much of it is out.
    replacement: Option<(Vec<u8>, usize)>,
}

impl<T> ProblemIo<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            replacement: None,
        }
    }
}

impl ProblemIo<Conn> {
    /// Where the handshake leaves the client's certificate; `None` on a
    /// plain connection.
    pub fn peer(&self) -> Option<Peer> {
        match &self.inner {
            Conn::Handshaking(_, peer) => Some(peer.clone()),
            Conn::Plain(_) | Conn::Tls(..) | Conn::Failed => None,
        }
    }
}

/// One connection: plain TCP, or TLS (its handshake first).
pub enum Conn {
    Plain(TcpStream),
    Handshaking(Box<tokio_rustls::Accept<TcpStream>>, Peer),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    /// The handshake failed: nothing more is read or written.
    Failed,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::Plain(_) => "Conn::Plain",
            Conn::Handshaking(..) => "Conn::Handshaking",
            Conn::Tls(_) => "Conn::Tls",
            Conn::Failed => "Conn::Failed",
        })
    }
}

impl Conn {
    /// Drives the handshake, if one is under way, to its end.
    fn poll_handshake(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Conn::Handshaking(accept, peer) = self else {
            return Poll::Ready(match self {
                Conn::Failed => Err(io::ErrorKind::NotConnected.into()),
                _ => Ok(()),
            });
        };
        match Pin::new(&mut **accept).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(stream)) => {
                let present = stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .is_some_and(|c| !c.is_empty());
                let _ = peer.0.set(PeerCertificate { present });
                *self = Conn::Tls(Box::new(stream));
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => {
                *self = Conn::Failed;
                Poll::Ready(Err(e))
            }
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        ready!(self.poll_handshake(cx))?;
        match &mut *self {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Conn::Handshaking(..) | Conn::Failed => {
                Poll::Ready(Err(io::ErrorKind::NotConnected.into()))
            }
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_handshake(cx))?;
        match &mut *self {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Conn::Handshaking(..) | Conn::Failed => {
                Poll::Ready(Err(io::ErrorKind::NotConnected.into()))
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut *self {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Conn::Handshaking(..) | Conn::Failed => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut *self {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Conn::Handshaking(..) | Conn::Failed => Poll::Ready(Ok(())),
        }
    }
}

/// The status of `buf` if it is a whole answer head, 4xx or 5xx, with
/// `content-length: 0` and nothing after it: what hyper writes for a
/// request it could not parse.
fn bodiless_error(buf: &[u8]) -> Option<u16> {
    if buf.len() > 1024 || !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let head = std::str::from_utf8(buf).ok()?;
    let rest = head
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| head.strip_prefix("HTTP/1.0 "))?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let empty = head
        .split("\r\n")
        .any(|l| l.eq_ignore_ascii_case("content-length: 0"));
    ((400..600).contains(&status) && empty).then_some(status)
}

/// The whole answer written instead: the same status, a `Problem` body.
fn problem_answer(status: u16) -> Vec<u8> {
    let reason = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let code = match status {
        413 => ProblemCode::PayloadTooLarge,
        500..=599 => ProblemCode::Internal,
        _ => ProblemCode::BadRequest,
    };
    let message = match status {
        414 => "the request line is too long to read".to_owned(),
        431 => "the request's headers are too long to read".to_owned(),
        _ => format!("the request could not be read ({reason})"),
    };
    let body = serde_json::to_string(&Problem::of(code, message)).unwrap_or_default();
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.replacement.is_none() {
            match bodiless_error(buf) {
                Some(status) => this.replacement = Some((problem_answer(status), 0)),
                None => return Pin::new(&mut this.inner).poll_write(cx, buf),
            }
        }
        // hyper retries the same buffer after Pending; it is told the whole
        // of it was written once the replacement is out.
        while let Some((bytes, done)) = &mut this.replacement {
            if *done >= bytes.len() {
                this.replacement = None;
                return Poll::Ready(Ok(buf.len()));
            }
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(buf.len()))
    }

    /// Not vectored, so that hyper writes each answer head as one buffer
    /// and [`bodiless_error`] sees it whole.
    fn is_write_vectored(&self) -> bool {
        false
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bodiless_error_head_is_replaced() {
        let hyper_414 = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sun, 29 Nov 2026 09:00:00 GMT\r\n\r\n";
        assert_eq!(bodiless_error(hyper_414), Some(414));
        assert_eq!(
            bodiless_error(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n"
            ),
            Some(431)
        );
        for other in [
            &b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 42\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}",
            b"{\"code\":\"x\",\"message\":\"HTTP/1.1 414 \r\ncontent-length: 0\r\n\r\n\"}",
        ] {
            assert_eq!(bodiless_error(other), None);
        }
        let answer = String::from_utf8(problem_answer(414)).unwrap_or_default();
        assert!(
            answer.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{answer}"
        );
        assert!(answer.ends_with("\"}"), "{answer}");
    }
}
