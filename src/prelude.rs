//! Everything a notebook needs: `use listening::prelude::*;`.
//!
//! Brings in the polars prelude (`DataFrame`, `col`, `lit`, …), the crate's modules, its error
//! type, [`Figure`] and the [`NotebookDisplay`] trait that makes values show as tables and
//! figures in evcxr.

pub use polars::prelude::*;

pub use crate::analysis::{self, Coverage, Joined, combine_tracks, join_features};
pub use crate::bridge;
pub use crate::datasets;
pub use crate::digest;
pub use crate::display::NotebookDisplay;
pub use crate::error::{Error, Result};
pub use crate::evaluation::{
    self, ClassWeight, ConfusionMatrix, GridResult, GridSearch, TrainTest,
};
pub use crate::evaluation::{Models, confusion_grid};
pub use crate::kernel;
pub use crate::loaders::{
    self, Catalogue, DateFormat, LoadReport, Loaded, PlaylistExport, PlaysColumns, read_plays,
    read_table,
};
pub use crate::models::{
    self, Activation, Array1, Array2, Ensemble, EnsembleScore, Gamma, Kernel, Mlp, MlpParams,
    PlaylistDataset, StandardScaler, Svc, SvcParams, playlist_dataset,
};
pub use crate::plots::{self, Figure};
pub use crate::schema;
pub use crate::tags;
