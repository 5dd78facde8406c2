//! Models on ndarray, linfa-style (`params()` builders with checked parameters, `fit`,
//! `predict`), for what linfa lacks: a scikit-learn-like SVC, an MLP classifier, an ensemble of
//! MLPs, a standard scaler, and the playlist dataset builder the classifiers are fed from.
//!
//! Fitted models are owned values (they live from cell to cell in evcxr). They take
//! `&Array2<f64>` rows and `&[usize]` labels rather than linfa's `DatasetBase`, to keep the
//! notebook types nameable.

pub mod api;
pub mod data;
pub mod ensemble;
pub mod kmeans;
pub mod knn;
pub mod lda;
pub mod mlp;
pub mod mlp_regressor;
pub mod multilabel;
pub mod pca;
pub mod pipeline;
pub mod recommend;
pub mod resample;
pub mod scaler;
pub mod svc;
pub mod tree;
pub mod umap;
pub mod weights;

/// ndarray 0.16's matrix and vector types, so notebooks can name them without a `:dep`.
pub use ndarray::{Array1, Array2};

pub use api::{Classifier, Fit, Regressor, accuracy, check_fit, check_predict, r2};
pub use data::{
    MLP_FEATURES, PlaylistDataset, SIX_GENRES, label_dataset, playlist_dataset, table_dataset,
};
pub use ensemble::{Ensemble, EnsembleParams, EnsembleScore, Member};
pub use kmeans::{KMeans, KMeansParams, wcss_curve};
pub use knn::{Knn, KnnParams, Metric, Weights};
pub use lda::{Lda, LdaParams};
pub use mlp::{Activation, History, Mlp, MlpParams};
pub use mlp_regressor::{MlpRegressor, MlpRegressorParams};
pub use multilabel::{
    FitMultiLabel, LabelWeight, MultiForest, MultiForestParams, MultiKnn, MultiKnnParams,
    MultiLabelBinarizer, MultiLabelClassifier, MultiLabelDataset, OneVsRest, OneVsRestParams,
    label_class_weights, multilabel_dataset,
};
pub use pca::{Pca, PcaParams, leading_columns_for};
pub use pipeline::{Reduced, ReducedParams, Reduction, rounded_classes};
pub use recommend::{Recommendations, recommend};
pub use resample::{jitter_rows, resample_indices, resample_rows};
pub use scaler::StandardScaler;
pub use svc::{Gamma, Kernel, Svc, SvcParams};
pub use tree::{DecisionTree, DecisionTreeParams, Forest, ForestParams, MaxFeatures, ShapValues};
pub use umap::{
    Embedding, Umap, UmapInit, UmapMetric, UmapParams, find_ab_params, trustworthiness,
};
pub use weights::{ClassWeight, balanced_weights};
