//! Models on ndarray, linfa-style (`params()` builders with checked parameters, `fit`,
//! `predict`), for what linfa lacks: a scikit-learn-like SVC, an MLP classifier, an ensemble of
//! MLPs, a standard scaler, and the playlist dataset builder the classifiers are fed from.

pub mod data;
pub mod scaler;
pub mod svc;

pub use data::{PlaylistDataset, playlist_dataset};
pub use scaler::StandardScaler;
pub use svc::{Gamma, Kernel, Svc, SvcParams};
