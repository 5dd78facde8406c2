//! # listening
//!
//! Study your own music listening and the audio features behind it, in Jupyter notebooks with
//! the evcxr kernel: Last.fm scrobbles and Spotify histories joined to Spotify audio features,
//! listening over time, top artists, playlists, classifiers.
//!
//! - [`loaders`]: exports and catalogues into the canonical tables of [`schema`];
//! - [`datasets`]: the registry of public datasets, by name;
//! - [`ledger`]: every export of one person merged into one plays table, with what was set apart;
//! - [`analysis`]: joins, coverage, and the investigations;
//! - [`plots`]: charts as owned SVG [`plots::Figure`]s;
//! - [`models`]: classifiers linfa lacks (SVC, MLP, ensembles);
//! - [`evaluation`]: splits, folds, class weights, metrics, grid search;
//! - [`features`]: audio features from AcousticBrainz and other sources, with provenance;
//! - [`tags`]: genre tags, normalised and cut, joined to tracks (multi-label targets);
//! - [`display`]: rich output in evcxr (HTML tables, SVG);
//! - [`bridge`]: DataFrame ↔ ndarray for linfa;
//! - [`kernel`]: checks the notebook kernel.
//! - `online` (cargo feature `online`): Last.fm and Spotify clients that fetch your own data.
//!
//! In a notebook: `:dep listening = { path = ".." }` then `use listening::prelude::*;`.

pub mod analysis;
pub mod bridge;
pub mod datasets;
pub mod digest;
pub mod display;
pub mod error;
pub mod evaluation;
pub mod features;
pub mod kernel;
pub mod ledger;
pub mod loaders;
pub mod models;
#[cfg(feature = "online")]
pub mod online;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod plots;
pub mod prelude;
pub mod schema;
pub mod tags;

pub use error::{Error, Result};

// Re-exported so notebooks need only `:dep listening` (one build serves every notebook).
pub use linfa;
pub use ndarray;
pub use plotters;
pub use polars;
