//! Genre tags for multi-label learning (write-up 002): three real tag sources read into one tidy
//! table, normalised, counted, cut to the most frequent tags with a `misc` bucket, and joined to
//! tracks that carry audio features.
//!
//! **The tidy tags table** has one row per (item, tag): [`ARTIST`], [`TITLE`] (null for
//! artist-level sources), [`TAG`], [`WEIGHT`] (Last.fm's 0–100 tag weight where the source has
//! one, else null) and [`SOURCE`] ([`LASTFM_ARTIST`], [`LASTFM_TRACK`],
//! [`SPOTIFY_ARTIST_GENRES`]).
//!
//! - [`read_tags`] / `datasets::load_tags`: any of the three files, recognised by its header;
//! - [`clean_tags`]: case, hyphens, surrounding punctuation, spelling variants
//!   (`hip-hop` / `hip hop` / `hiphop`), and out: junk (`seen live`, `favorites`, …), numbers and
//!   decades, the artist's own name — the rules are data, `data/tag_rules.csv`;
//! - [`tag_counts`] / [`track_tag_counts`], [`top_tags`], [`bucket_tags`]: per-tag counts (by item
//!   or by tagged track), the top N with exclusions,
//!   everything else as `misc`;
//! - [`tag_tracks`]: tags onto catalogue tracks by normalised artist (and title where the source
//!   has one), with the tracks tagged per source; [`tag_sets`] for a binarizer.
//!
//! ```no_run
//! use listening::{datasets, tags};
//! let raw = datasets::load_tags("lastfm-artist-tags-mattsandy")?;
//! let clean = tags::clean_tags(&raw.df)?;
//! let counts = tags::tag_counts(&clean.df)?;
//! let top = tags::top_tags(&counts, 9, &["rock"])?;
//! let cut = tags::bucket_tags(&clean.df, &top, "misc")?;
//! # Ok::<(), listening::Error>(())
//! ```

mod clean;
mod join;
mod load;
mod select;

pub use clean::{CleanTags, TagRule, clean_tags, normalise_tag, tag_rules};
pub use join::{TaggedTracks, tag_sets, tag_tracks};
pub use load::{
    LASTFM_ARTIST, LASTFM_TRACK, SPOTIFY_ARTIST_GENRES, parse_py_list, percent_decode, read_tags,
};
pub use select::{bucket_tags, tag_counts, top_tags, track_tag_counts};

use crate::loaders::LoadReport;
use polars::prelude::DataFrame;

/// Column: the artist as the source writes it.
pub const ARTIST: &str = "artist";
/// Column: the track title (null for artist-level tags).
pub const TITLE: &str = "title";
/// Column: the tag.
pub const TAG: &str = "tag";
/// Column: the tag's weight (Last.fm's 0–100), null where the source has none.
pub const WEIGHT: &str = "weight";
/// Column: which source the row came from.
pub const SOURCE: &str = "source";

/// A tags file read into the tidy tags table, with what was read, loaded and skipped.
#[derive(Debug, Clone)]
pub struct Tags {
    /// One row per (item, tag): `artist`, `title`, `tag`, `weight`, `source`.
    pub df: DataFrame,
    /// Rows read and loaded (a loaded row is an item with at least one tag), skipped by reason.
    pub report: LoadReport,
}

impl std::fmt::Display for Tags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} tag rows; {}", self.df.height(), self.report)
    }
}
