//! Audio features from the sources that still have them since Spotify closed its endpoint
//! (November 2024): AcousticBrainz ([`acousticbrainz`]), and one call that tries several
//! sources in order with provenance ([`sources`]).

pub mod acousticbrainz;
pub mod sources;
