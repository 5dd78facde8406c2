//! Models on ndarray, linfa-style (`params()` builders with checked parameters, `Fit`, `Predict`),
//! for what linfa lacks: scikit-learn-like SVC, MLP classifier, ensembles.
//! Evaluation: seeded stratified splits and folds, class weights, metrics, confusion matrices,
//! grid search by cross-validation.
//!
//! - [`split`]: stratified train/test split, stratified and repeated k-fold, all seeded;
//! - [`weights`]: class weights (`'balanced'`: w_c = n / (k · n_c));
//! - [`metrics`]: accuracy, confusion matrix (counts public, row-normalised form), precision /
//!   recall / F1 report as a DataFrame;
//! - [`regression`]: R², MSE, MAE, cross-validated regression scores, the train/test table;
//! - [`multilabel`]: subset accuracy, Hamming loss, averaged precision / recall / F1, per-label
//!   confusion matrices, grid search of multi-label models;
//! - [`search`]: grid search scored by stratified k-fold cross-validation on the training split;
//! - [`summary`]: several models fitted and scored in one call, a grid of confusion matrices.

pub mod importance;
pub mod metrics;
pub mod multilabel;
pub mod regression;
pub mod search;
pub mod split;
pub mod summary;

pub use crate::models::{ClassWeight, balanced_weights};
pub use importance::{importance_table, permutation_importance};
pub use metrics::{
    ConfusionMatrix, Scores, accuracy, classification_report, figures_beside, score_table, scores,
};
pub use multilabel::{
    Average, MultiLabelConfusion, MultiLabelMetric, MultiLabelSearch, MultiLabelSplit, ParamGrid,
    cross_val_multilabel, f1_score, hamming_loss, multilabel_report, multilabel_score_table,
    per_label_scores, precision_score, recall_score, subset_accuracy, train_test_split_multilabel,
};
pub use regression::{
    RegressionScores, RegressionScoring, RegressionSplit, TrainTestScores,
    cross_val_score_regression, cv_scores_table, learning_curve, mean_absolute_error,
    mean_squared_error, r2, regression_scores, regression_split, train_test_scores,
    train_test_table,
};
pub use search::{GridResult, GridSearch, SearchResult, cross_val_score};
pub use split::{
    Fold, TrainTest, first_rows, kfold, repeated_kfold, repeated_stratified_kfold,
    stratified_kfold, take_labels, take_rows, train_test_split,
};
pub use summary::{
    FittedModel, GRID_WIDTH, Models, NamedPredictions, confusion_grid, predict_named,
};
