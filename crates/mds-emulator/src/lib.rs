//! The project's own MOSIP biometric device (see `mds-emulator --help`):
//! a fingerprint scanner behind the MDS / SBI HTTP interface (specVersion
//! 0.9.5 and 1.0) on 127.0.0.1, with its own signing key and certificate,
//! and variants that tests switch while it runs. The device is a library so
//! that tests and benchmarks can start it in-process on a port they chose.
//!
//! Finger images are generated PNGs (`image.rs`), not ISO/IEC 19794-4
//! records: the counter sends PNG with quality and finger position to the
//! register, and a generated record would test nothing more.

pub mod device;
pub mod image;
pub mod pki;

pub use device::{Config, Emulator, FINGERS, SpecVersion, Variant, empty_hash};
pub use pki::DevicePki;
