//! Trees for genre structure: a CART classification tree ([`DecisionTree`]), random forests and
//! extra trees ([`Forest`]), and exact TreeSHAP attributions for both ([`ShapValues`]), all with
//! scikit-learn's semantics and the crate's [`Fit`](super::Fit) / [`Classifier`](super::Classifier)
//! interface (so cross-validation, grid search and permutation importance take them).
//!
//! linfa-trees (linfa's decision tree) has no per-split `max_features`, no class probabilities
//! and no sample weights, which forests and TreeSHAP need; `tests/it/trees.rs` compares the two
//! trees on the same data.

pub mod decision_tree;
pub mod forest;
pub mod shap;

pub use decision_tree::{Criterion, DecisionTree, DecisionTreeParams, MaxFeatures, Node, Splitter};
pub use forest::{Forest, ForestKind, ForestParams};
pub use shap::ShapValues;
