//! The simulator's HTTP/1 server loop, with the limits a public service
//! needs and `axum::serve` does not set.
//!
//! `axum::serve` gives hyper no timer, so hyper's header read time-out
//! never runs: a client that opens a connection and sends half a request
//! head (or nothing, or keeps an idle keep-alive connection) holds it for
//! as long as it likes, and a hundred of them hold a hundred sockets for
//! minutes. Here each connection is served by hyper directly with:
//!
//! - a **header read time-out**: the whole request head must arrive within
//!   [`Limits::header_read`] of the connection waiting for it. hyper starts
//!   that timer whenever it waits for a head, so the same limit is the
//!   **idle keep-alive time-out**: a connection with no next request within
//!   it is closed;
//! - a **body idle time-out** ([`Limits::body_idle`]): a body whose next
//!   bytes do not come within it is cut (the request gets a 400), so a
//!   client cannot trickle a declared 16 MiB a byte a minute;
//! - a **bounded number of connections** ([`Limits::max_connections`]):
//!   past it, new ones wait in the kernel's backlog until one closes, and
//!   the time-outs above guarantee one does.
//!
//! Shutdown stops accepting, asks every connection to finish the request
//! it is serving, and waits for them all.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// The server's limits on slow and idle clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest wait for a request head, and for the next request on a
    /// kept-alive connection.
    pub header_read: Duration,
    /// The longest wait for the next bytes of a request body.
    pub body_idle: Duration,
    /// The most connections served at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            body_idle: Duration::from_secs(10),
            max_connections: 256,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open
/// connections finish.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send,
    limits: Limits,
    tls: Option<Arc<crate::tls::SimTls>>,
) -> std::io::Result<()> {
    let body_idle = limits.body_idle;
    let app = app.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| body_deadline(req, next, body_idle),
    ));
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(false);
    // With TLS the handshake runs on hyper's first read, under the header
    // read time-out (see `listener`).
    let mut listener = crate::listener::ProblemListener::with_tls(listener, tls);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (io, _) = tokio::select! {
            () = &mut shutdown => break,
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
        };
        // Each request on a TLS connection sees what its handshake verified.
        let routes = match io.peer() {
            Some(peer) => app.clone().layer(axum::Extension(peer)),
            None => app.clone(),
        };
        let service = hyper_util::service::TowerToHyperService::new(routes);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_read)
                .keep_alive(true);
            let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(io), service);
            tokio::pin!(conn);
            tokio::select! {
                // A failed connection (a time-out, a reset) concerns only
                // its client.
                _ = conn.as_mut() => {}
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    // Every connection holds a slot until it ends.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(all).await;
    Ok(())
}

/// Gives the request's body [`Limits::body_idle`] between its chunks.
async fn body_deadline(req: Request, next: Next, idle: Duration) -> Response {
    let (parts, body) = req.into_parts();
    let body = Body::new(IdleBody {
        inner: body,
        idle,
        timer: None,
    });
    next.run(Request::from_parts(parts, body)).await
}

/// A body that fails when its next frame takes longer than `idle`.
struct IdleBody {
    inner: Body,
    idle: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body stalled: no bytes for {0:?}")]
struct BodyStalled(Duration);

impl http_body::Body for IdleBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.timer = None;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let idle = this.idle;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.timer = None;
                        Poll::Ready(Some(Err(axum::Error::new(BodyStalled(idle)))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
