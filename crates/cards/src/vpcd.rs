//! A virtual card for the vsmartcard `vpcd` reader driver (Debian's
//! `vsmartcard-vpcd`): pcscd shows two readers, `Virtual PCD 00 00` on TCP
//! 35963 and `Virtual PCD 00 01` on 35964; a card is inserted while a client
//! holds that connection. Each frame is a 2-byte big-endian length and a
//! payload: one byte from the reader is a control code (0 power off, 1 power
//! on, 2 reset, 4 "send your ATR"), anything longer a command APDU, answered
//! with the response APDU in the same framing.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The first vpcd reader's port.
pub const PORT_0: u16 = 35963;

/// What a virtual card does.
pub trait Card: Send + 'static {
    fn atr(&self) -> Vec<u8>;
    /// Answers one command APDU (the response ends with SW1 SW2).
    fn apdu(&mut self, command: &[u8]) -> Vec<u8>;
    /// Whether the card has left the reader (checked after each APDU): how
    /// a test lifts a passport off the reader in the middle of a read.
    fn removed(&self) -> bool {
        false
    }
    /// Power off, power on or reset from the reader: a chip forgets its
    /// selection and any secure session.
    fn reset(&mut self) {}
}

/// A T=1 answer to reset with `historical` bytes (at most 15, as many as
/// T0 can count: the rest are left out) and its check byte.
pub fn atr_t1(historical: &[u8]) -> Vec<u8> {
    let historical = &historical[..historical.len().min(15)];
    let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x80, 0x01];
    atr.extend_from_slice(historical);
    let tck = atr[1..].iter().fold(0u8, |a, b| a ^ b);
    atr.push(tck);
    atr
}

/// A card with no applications: every SELECT is "file not found".
#[derive(Debug, Clone, Default)]
pub struct BlankCard;

impl Card for BlankCard {
    fn atr(&self) -> Vec<u8> {
        // Direct convention, T=1, historical bytes "PCTEST".
        vec![
            0x3B, 0x86, 0x80, 0x01, 0x50, 0x43, 0x54, 0x45, 0x53, 0x54, 0x62,
        ]
    }

    fn apdu(&mut self, command: &[u8]) -> Vec<u8> {
        match command.get(1) {
            Some(0xA4) => vec![0x6A, 0x82],
            _ => vec![0x6D, 0x00],
        }
    }
}

/// A virtual card in a vpcd reader: inserted while this lives.
#[derive(Debug)]
pub struct Inserted {
    stream: TcpStream,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Inserted {
    /// Inserts `card` into the vpcd reader listening on 127.0.0.1:`port`.
    pub fn insert(port: u16, card: impl Card) -> std::io::Result<Self> {
        Self::attach(TcpStream::connect(("127.0.0.1", port))?, card)
    }

    /// Serves `card` on a connection already made to a vpcd reader.
    pub fn attach(stream: TcpStream, card: impl Card) -> std::io::Result<Self> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_millis(200)))?;
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("vpcd-card".into())
            .spawn({
                let stream = stream.try_clone()?;
                let stop = stop.clone();
                move || serve(stream, card, &stop)
            })?;
        Ok(Self {
            stream,
            stop,
            thread: Some(thread),
        })
    }

    /// Whether the card is still in (false once it removed itself).
    pub fn is_inserted(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Removes the card (closes the connection).
    pub fn remove(mut self) -> std::io::Result<()> {
        self.close()
    }

    fn close(&mut self) -> std::io::Result<()> {
        self.stop.store(true, Ordering::SeqCst);
        self.stream.shutdown(Shutdown::Both).ok();
        match self.thread.take() {
            Some(t) => t.join().unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for Inserted {
    fn drop(&mut self) {
        self.close().ok();
    }
}

fn read_frame(stream: &mut TcpStream, stop: &AtomicBool) -> std::io::Result<Option<Vec<u8>>> {
    // vpcd writes a frame's length and payload separately; with delayed
    // ACKs here, Nagle's algorithm there holds the payload ~40 ms. Linux
    // clears quick-ACK after use, so it is set before every read.
    #[cfg(target_os = "linux")]
    socket2::SockRef::from(&*stream).set_tcp_quickack(true).ok();
    let mut len = [0u8; 2];
    loop {
        match stream.read_exact(&mut len) {
            Ok(()) => break,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) {
                    return Ok(None);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.read_exact(&mut buf)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    Ok(Some(buf))
}

fn write_frame(stream: &mut TcpStream, payload: &[u8]) -> std::io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "frame too long"))?;
    // One write: the length and the payload in separate segments would
    // meet Nagle's algorithm and delayed ACKs (~40 ms per APDU).
    let mut frame = Vec::with_capacity(payload.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}

fn serve(mut stream: TcpStream, mut card: impl Card, stop: &AtomicBool) -> std::io::Result<()> {
    while let Some(frame) = read_frame(&mut stream, stop)? {
        match frame.as_slice() {
            [4] => write_frame(&mut stream, &card.atr())?,
            // Power off (0), power on (1), reset (2): no answer.
            [0..=2] => card.reset(),
            [_] => {}
            apdu => {
                let answer = card.apdu(apdu);
                if card.removed() {
                    stream.shutdown(Shutdown::Both).ok();
                    break;
                }
                write_frame(&mut stream, &answer)?;
            }
        }
    }
    Ok(())
}
