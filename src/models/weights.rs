//! Class weights, scikit-learn's `class_weight` vocabulary.

use crate::error::{Error, Result};

/// How classes are weighted in a classifier's loss (SVC: per-class C = C · w_c; MLP: per-sample
/// weight of the cross-entropy).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ClassWeight {
    /// Every class weighs 1 (scikit-learn's `class_weight=None`).
    #[default]
    Uniform,
    /// w_c = n / (k · n_c) over the labels given to `fit` (scikit-learn's `'balanced'`).
    Balanced,
    /// One weight per class label 0..k.
    Manual(Vec<f64>),
}

impl ClassWeight {
    /// The weight of each class 0..`n_classes` for labels `y`. Classes absent from `y` weigh 1.
    ///
    /// # Errors
    /// `InvalidParameter` for a manual list of the wrong length or with a weight ≤ 0 or not finite.
    pub fn resolve(&self, y: &[usize], n_classes: usize) -> Result<Vec<f64>> {
        match self {
            ClassWeight::Uniform => Ok(vec![1.0; n_classes]),
            ClassWeight::Balanced => Ok(balanced_weights(y, n_classes)),
            ClassWeight::Manual(w) => {
                if w.len() < n_classes {
                    return Err(Error::InvalidParameter(format!(
                        "{} class weights for {n_classes} classes",
                        w.len()
                    )));
                }
                if let Some(bad) = w.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
                    return Err(Error::InvalidParameter(format!(
                        "class weight {bad}: weights must be finite and > 0"
                    )));
                }
                Ok(w[..n_classes].to_vec())
            }
        }
    }
}

/// scikit-learn's `compute_class_weight('balanced')`: w_c = n / (k · n_c), with k the number of
/// classes present in `y`. Classes absent from `y` weigh 1.
pub fn balanced_weights(y: &[usize], n_classes: usize) -> Vec<f64> {
    let counts = super::api::class_counts(y, n_classes);
    let present = counts.iter().filter(|&&c| c > 0).count().max(1);
    let n = y.len() as f64;
    counts
        .iter()
        .map(|&c| {
            if c == 0 {
                1.0
            } else {
                n / (present as f64 * c as f64)
            }
        })
        .collect()
}
