//! Canonical tables: the column names every loader produces and every analysis reads.
//!
//! - **plays**: one row per listen — [`plays::PLAYED_AT`] (UTC datetime, ms, when the play
//!   *started*), [`plays::ARTIST`], [`plays::ALBUM`] (nullable), [`plays::TRACK`],
//!   [`plays::MS_PLAYED`] (nullable: Last.fm has no durations), [`plays::TRACK_ID`] (Spotify id,
//!   nullable), [`plays::SOURCE`] (which export the row came from).
//! - **tracks**: one row per catalogue entry — [`tracks::TRACK_ID`], [`tracks::NAME`],
//!   [`tracks::ARTISTS`], [`tracks::ALBUM`], [`tracks::DURATION_MS`], [`tracks::POPULARITY`],
//!   [`tracks::LABEL`] (the genre or playlist the catalogue files the row under, nullable), then
//!   the Spotify audio features [`AUDIO_FEATURES`]. A catalogue that files a track under several
//!   genres has one row per (track, genre), as in its file. Columns a source has beyond these are
//!   kept after them under their own names.
//! - **playlists**: [`playlists::PLAYLIST`], [`playlists::TRACK_ID`], [`playlists::ADDED_AT`]
//!   (nullable), [`playlists::POSITION`] (0-based order in the playlist).

/// Columns of the plays table.
pub mod plays {
    pub const PLAYED_AT: &str = "played_at";
    pub const ARTIST: &str = "artist";
    pub const ALBUM: &str = "album";
    pub const TRACK: &str = "track";
    pub const MS_PLAYED: &str = "ms_played";
    pub const TRACK_ID: &str = "track_id";
    pub const SOURCE: &str = "source";
    /// All plays columns, in order.
    pub const COLUMNS: [&str; 7] = [PLAYED_AT, ARTIST, ALBUM, TRACK, MS_PLAYED, TRACK_ID, SOURCE];
}

/// Columns of the tracks table (the audio features follow, see [`super::AUDIO_FEATURES`]).
pub mod tracks {
    pub const TRACK_ID: &str = "track_id";
    pub const NAME: &str = "name";
    pub const ARTISTS: &str = "artists";
    pub const ALBUM: &str = "album";
    pub const DURATION_MS: &str = "duration_ms";
    pub const POPULARITY: &str = "popularity";
    pub const LABEL: &str = "label";
    /// Identity columns of the tracks table, in order, before the audio features.
    pub const COLUMNS: [&str; 7] = [
        TRACK_ID,
        NAME,
        ARTISTS,
        ALBUM,
        DURATION_MS,
        POPULARITY,
        LABEL,
    ];
}

/// Columns of the playlists table.
pub mod playlists {
    pub const PLAYLIST: &str = "playlist";
    pub const TRACK_ID: &str = "track_id";
    pub const ADDED_AT: &str = "added_at";
    pub const POSITION: &str = "position";
    pub const COLUMNS: [&str; 4] = [PLAYLIST, TRACK_ID, ADDED_AT, POSITION];
}

/// Columns of the podcast-episode table that the extended Spotify history yields beside plays.
pub mod episodes {
    pub const PLAYED_AT: &str = "played_at";
    pub const SHOW: &str = "show";
    pub const EPISODE: &str = "episode";
    pub const MS_PLAYED: &str = "ms_played";
    pub const EPISODE_ID: &str = "episode_id";
}

/// Columns of the audiobook-chapter table that Spotify histories yield beside plays.
pub mod audiobooks {
    pub const PLAYED_AT: &str = "played_at";
    pub const AUDIOBOOK: &str = "audiobook";
    pub const CHAPTER: &str = "chapter";
    /// The author, where the export names one (account data since 2023).
    pub const AUTHOR: &str = "author";
    pub const MS_PLAYED: &str = "ms_played";
    /// The chapter's Spotify id, where the export has it (extended history).
    pub const CHAPTER_ID: &str = "chapter_id";
}

pub const DANCEABILITY: &str = "danceability";
pub const ENERGY: &str = "energy";
pub const KEY: &str = "key";
pub const LOUDNESS: &str = "loudness";
pub const MODE: &str = "mode";
pub const SPEECHINESS: &str = "speechiness";
pub const ACOUSTICNESS: &str = "acousticness";
pub const INSTRUMENTALNESS: &str = "instrumentalness";
pub const LIVENESS: &str = "liveness";
pub const VALENCE: &str = "valence";
pub const TEMPO: &str = "tempo";
pub const TIME_SIGNATURE: &str = "time_signature";

/// The twelve Spotify audio features, in the order of Spotify's API. `key`, `mode` and
/// `time_signature` are integers; the rest are floats.
pub const AUDIO_FEATURES: [&str; 12] = [
    DANCEABILITY,
    ENERGY,
    KEY,
    LOUDNESS,
    MODE,
    SPEECHINESS,
    ACOUSTICNESS,
    INSTRUMENTALNESS,
    LIVENESS,
    VALENCE,
    TEMPO,
    TIME_SIGNATURE,
];

/// Audio features stored as integers.
pub const INTEGER_FEATURES: [&str; 3] = [KEY, MODE, TIME_SIGNATURE];

/// The seven 0–1 "descriptor" features the write-ups plot and classify on.
pub const DESCRIPTORS: [&str; 7] = [
    DANCEABILITY,
    ENERGY,
    SPEECHINESS,
    ACOUSTICNESS,
    INSTRUMENTALNESS,
    LIVENESS,
    VALENCE,
];
