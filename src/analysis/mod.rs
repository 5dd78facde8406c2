//! Analysis helpers on the canonical tables.

pub mod join;
pub mod normalise;

pub use join::{Coverage, Joined, combine_tracks, join_features};
