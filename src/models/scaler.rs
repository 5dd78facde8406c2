//! Standard scaling (scikit-learn's `StandardScaler`): fit the per-column mean and population
//! standard deviation on the training rows, transform training and test rows with them.

use crate::error::{Error, Result};
use ndarray::{Array1, Array2, Axis};

/// Per-column mean and standard deviation of the rows it was fitted on (owned).
#[derive(Debug, Clone, PartialEq)]
pub struct StandardScaler {
    pub mean: Array1<f64>,
    /// Population standard deviation (ddof 0); a constant column keeps scale 1.
    pub scale: Array1<f64>,
}

impl StandardScaler {
    /// Fits on `x` (usually the training split only).
    ///
    /// # Errors
    /// [`Error::Shape`] when `x` has no rows.
    pub fn fit(x: &Array2<f64>) -> Result<StandardScaler> {
        let mean = x
            .mean_axis(Axis(0))
            .ok_or_else(|| Error::Shape("standard scaler: no rows to fit on".into()))?;
        let scale = x
            .std_axis(Axis(0), 0.0)
            .mapv(|s| if s > 0.0 && s.is_finite() { s } else { 1.0 });
        Ok(StandardScaler { mean, scale })
    }

    /// (x − mean) / scale, column by column.
    ///
    /// # Errors
    /// [`Error::Shape`] when `x` has another number of columns than the fitted rows.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.mean.len() {
            return Err(Error::Shape(format!(
                "standard scaler fitted on {} columns, given {}",
                self.mean.len(),
                x.ncols()
            )));
        }
        Ok((x - &self.mean) / &self.scale)
    }

    /// Fit on `x` and transform it.
    ///
    /// # Errors
    /// As [`Self::fit`].
    pub fn fit_transform(x: &Array2<f64>) -> Result<(StandardScaler, Array2<f64>)> {
        let s = Self::fit(x)?;
        let t = s.transform(x)?;
        Ok((s, t))
    }
}
