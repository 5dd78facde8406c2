//! The crate's tests, in one binary: each test file links polars once instead of nine times.
//! Run one group with `cargo test --test it loaders::`.

mod common;

mod acousticbrainz;
mod analysis;
mod download;
mod evaluation;
mod features_for;
mod genres;
mod interface;
mod join;
mod ledger;
mod loaders;
mod models;
mod multilabel;
mod neighbours;
mod notebook_calls;
#[cfg(feature = "online")]
mod online;
#[cfg(feature = "parquet")]
mod parquet;
mod plots;
mod properties;
mod ratings;
mod real_data;
mod registry_display;
mod regression;
mod summary;
mod trees;
mod umap;
