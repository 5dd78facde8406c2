//! Models on ndarray, linfa-style (`params()` builders with checked parameters, `Fit`, `Predict`),
//! for what linfa lacks: scikit-learn-like SVC, MLP classifier, ensembles.
