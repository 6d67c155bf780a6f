//! jirei (事例): a knowledge base of municipal DX case studies.
//!
//! Layers, with dependencies pointing one way:
//! [`case`] (the model) → [`corpus`] (loading `cases/`) → [`analysis`]
//! (Japanese tokenization) → [`index`] and site → [`publish`] (both in
//! one pass) → [`commands`].
//! [`import`] turns publications into case files; [`config`] and
//! [`diagnostic`] are shared by all layers. [`serve`] (the only
//! asynchronous module: axum on tokio) previews the site with live reload
//! and a JSON API; [`export`] writes the collection for OpenSearch;
//! [`lock`] keeps two builds of one collection from running at once.

pub mod analysis;
pub mod case;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod export;
pub mod hash;
pub mod import;
pub mod index;
pub mod lock;
pub mod publish;
pub mod search;
pub mod serve;
pub mod site;
pub mod timing;
