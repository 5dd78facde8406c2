//! Checks that a notebook runs in the kernel set up by `scripts/setup`.
//!
//! evcxr compiles every cell into its own library and links each dependency statically into it,
//! so every `static` exists once per cell. polars caches a DataFrame's schema in a hash map seeded
//! from foldhash's process-wide random seed — a static — so a frame built in one cell could not
//! find its own columns in the next one. The repository patches foldhash to a fixed seed
//! (`patches/foldhash`, applied by `.cargo/config.toml` to every build under the repository, the
//! kernel's included). [`check`] tells whether this build has the patch.

use crate::error::{Error, Result};
use foldhash::SharedSeed;
use foldhash::quality::SeedableRandomState;
use std::hash::BuildHasher;

/// The global seed of the patched foldhash (`patches/foldhash/src/seed.rs`).
const PATCHED_SEED: SharedSeed = SharedSeed::from_u64(0x6c69_7374_656e_696e);

/// Whether foldhash's global seed is the patched, fixed one.
pub fn seed_is_fixed() -> bool {
    static FIXED: SharedSeed = PATCHED_SEED;
    let live = SeedableRandomState::with_seed(7, SharedSeed::global_random()).hash_one("listening");
    let fixed = SeedableRandomState::with_seed(7, &FIXED).hash_one("listening");
    live == fixed
}

/// What a notebook runs with: shown by the first cell of every notebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// This crate's version.
    pub version: String,
    /// Folders the dataset registry searches, in order.
    pub data_dirs: Vec<std::path::PathBuf>,
}

impl std::fmt::Display for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dirs: Vec<String> = self
            .data_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        write!(
            f,
            "listening {}: kernel ok (DataFrames keep their columns from cell to cell); datasets from {}",
            self.version,
            if dirs.is_empty() {
                "nowhere (set LISTENING_DATA_DIR)".to_string()
            } else {
                dirs.join(", then ")
            }
        )
    }
}

impl crate::display::NotebookDisplay for Session {
    fn evcxr_display(&self) {
        crate::display::emit(&[("text/plain", &self.to_string())]);
    }
}

/// A [`Session`] when DataFrames will keep their column lookup from cell to cell; otherwise an
/// error that says how to start the right kernel.
///
/// Binding the result with `let` in the first cell also makes evcxr's type analysis (rust-analyzer
/// loading the dependency graph, about 8 s once per kernel) happen there rather than in the first
/// cell of real work.
pub fn check() -> Result<Session> {
    if seed_is_fixed() {
        Ok(Session {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dirs: crate::datasets::search_dirs(),
        })
    } else {
        Err(Error::Environment(
            "this kernel builds without the repository's foldhash patch, so a DataFrame loaded in one \
             cell will not find its columns in the next; run scripts/setup and open the notebook with \
             the \"Rust (listening)\" kernel (it builds under the repository, where .cargo/config.toml applies)"
                .into(),
        ))
    }
}
