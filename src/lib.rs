//! jirei (事例): a knowledge base of municipal DX case studies.
//!
//! Layers, with dependencies pointing one way:
//! [`case`] (the model) → [`corpus`] (loading `cases/`) → [`analysis`]
//! (Japanese tokenization) → index and site → [`commands`].

pub mod analysis;
pub mod case;
pub mod diagnostic;
pub mod import;
