//! The project's own virtual smart cards (see `virtual-card --help`): the
//! card logic is a library so that tests can also drive it in-process.

pub mod clerk;
pub mod face;
pub mod passport;
pub mod pki;
