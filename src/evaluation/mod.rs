//! Models on ndarray, linfa-style (`params()` builders with checked parameters, `Fit`, `Predict`),
//! for what linfa lacks: scikit-learn-like SVC, MLP classifier, ensembles.
//! Evaluation: seeded stratified splits and folds, class weights, metrics, confusion matrices,
//! grid search by cross-validation.
//!
//! - [`split`]: stratified train/test split, stratified and repeated k-fold, all seeded;
//! - [`weights`]: class weights (`'balanced'`: w_c = n / (k · n_c));
//! - [`metrics`]: accuracy, confusion matrix (counts public, row-normalised form), precision /
//!   recall / F1 report as a DataFrame;
//! - [`search`]: grid search scored by stratified k-fold cross-validation on the training split.

pub mod metrics;
pub mod search;
pub mod split;
pub mod weights;

pub use metrics::{ConfusionMatrix, accuracy, classification_report};
pub use search::{GridResult, GridSearch, cross_val_score};
pub use split::{
    Fold, TrainTest, kfold, repeated_stratified_kfold, stratified_kfold, take_labels, take_rows,
    train_test_split,
};
pub use weights::{ClassWeight, balanced_weights};

use crate::error::{Error, Result};

/// Number of classes implied by labels 0..k (the largest label + 1); an error when empty.
pub(crate) fn n_classes_of(y: &[usize]) -> Result<usize> {
    y.iter()
        .max()
        .map(|m| m + 1)
        .ok_or_else(|| Error::InvalidParameter("no labels: the dataset is empty".into()))
}

/// Per-class counts of labels 0..k.
pub(crate) fn class_counts(y: &[usize], k: usize) -> Vec<usize> {
    let mut c = vec![0; k];
    for &l in y {
        if l < k {
            c[l] += 1;
        }
    }
    c
}
