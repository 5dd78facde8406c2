//! Analysis helpers on the canonical tables.
//!
//! - [`join`]: plays ↔ audio features, with coverage;
//! - [`time`]: resampling over calendar bins, hours per day with per-year polynomial fits;
//! - [`describe`]: pandas-style `describe()`;
//! - [`listening`]: summaries, filters, distinct-vs-all means, top-N tables, estimated durations;
//! - [`playlists`]: plays per playlist, normalised listening time, feature profiles;
//! - [`genres`]: write-up 004's super-genre map (data/super_genres.csv), first row per track,
//!   per-group feature means;
//! - [`polyfit`]: least-squares polynomials as numpy's `Polynomial.fit`.

pub(crate) mod columns;
pub mod describe;
pub mod genres;
pub mod join;
pub mod listening;
pub mod normalise;
pub mod playlists;
pub mod polyfit;
pub mod time;

pub use describe::describe;
pub use genres::{
    SUPER_GENRES, counts, first_per, group_means, most_popular, sample, super_genres,
    with_super_genre,
};
pub use join::{Coverage, Joined, combine_tracks, join_features};
pub use listening::{
    EstimateOptions, Summary, TopBy, TopOptions, distinct_vs_all, drop_nulls_in,
    estimate_durations, feature_coverage, filter_ci, most_played_with_features, summary, top_by,
    unmatched_tracks,
};
pub use playlists::{
    PlaylistPlays, genre_playlists, memberships_from_labels, playlist_plays, playlist_profile,
    playlist_stats,
};
pub use polyfit::Polynomial;
pub use time::{
    Agg, Every, HoursOptions, HoursPerDay, daily_hours, hours_per_day, mean_per, plays_per,
    resample,
};
