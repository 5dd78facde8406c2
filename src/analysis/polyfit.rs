//! Least-squares polynomial fit with the domain scaling of numpy's `Polynomial.fit`.

use crate::error::{Error, Result};

/// A polynomial fitted on a scaled domain: `p(x) = Σ c_k · t^k` with `t = off + scl · x`, the
/// data's x range mapped onto [-1, 1] (numpy's `Polynomial.fit(x, y, deg)`, whose `coef` are
/// these `c_k`). Scaling keeps the least-squares problem well conditioned for x = 0…365.
#[derive(Debug, Clone, PartialEq)]
pub struct Polynomial {
    coef: Vec<f64>,
    domain: (f64, f64),
}

impl Polynomial {
    /// Fits a polynomial of `degree` to the points by least squares (Householder QR).
    /// Needs at least `degree + 1` points and x values that are not all equal (for degree > 0).
    pub fn fit(x: &[f64], y: &[f64], degree: usize) -> Result<Polynomial> {
        if x.len() != y.len() {
            return Err(Error::InvalidParameter(format!(
                "polyfit: {} x values for {} y values",
                x.len(),
                y.len()
            )));
        }
        let (m, n) = (x.len(), degree + 1);
        if m < n {
            return Err(Error::InvalidParameter(format!(
                "polyfit: {m} points cannot determine a polynomial of degree {degree}"
            )));
        }
        if x.iter().chain(y).any(|v| !v.is_finite()) {
            return Err(Error::InvalidParameter(
                "polyfit: x and y must be finite (no NaN or infinity)".into(),
            ));
        }
        let lo = x.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if degree > 0 && hi <= lo {
            return Err(Error::InvalidParameter(
                "polyfit: all x values are equal".into(),
            ));
        }
        let p = Polynomial {
            coef: vec![],
            domain: (lo, hi),
        };
        // Vandermonde matrix in t, column-major, and the right-hand side.
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|k| x.iter().map(|&xi| p.scale(xi).powi(k as i32)).collect())
            .collect();
        let mut b = y.to_vec();
        // Householder QR: reduce column j below the diagonal, applying each reflection to b too.
        for j in 0..n {
            let norm = (j..m).map(|i| a[j][i] * a[j][i]).sum::<f64>().sqrt();
            if norm == 0.0 {
                return Err(Error::InvalidParameter(
                    "polyfit: the points do not determine the polynomial (rank deficient)".into(),
                ));
            }
            let alpha = if a[j][j] > 0.0 { -norm } else { norm };
            let mut v: Vec<f64> = (j..m).map(|i| a[j][i]).collect();
            v[0] -= alpha;
            let vnorm2: f64 = v.iter().map(|t| t * t).sum();
            if vnorm2 > 0.0 {
                for col in a.iter_mut().skip(j) {
                    let dot: f64 = (j..m).map(|i| v[i - j] * col[i]).sum();
                    let f = 2.0 * dot / vnorm2;
                    for i in j..m {
                        col[i] -= f * v[i - j];
                    }
                }
                let dot: f64 = (j..m).map(|i| v[i - j] * b[i]).sum();
                let f = 2.0 * dot / vnorm2;
                for i in j..m {
                    b[i] -= f * v[i - j];
                }
            }
        }
        // Back substitution on the upper triangle R.
        let mut c = vec![0.0; n];
        for j in (0..n).rev() {
            let s: f64 = (j + 1..n).map(|k| a[k][j] * c[k]).sum();
            c[j] = (b[j] - s) / a[j][j];
        }
        Ok(Polynomial { coef: c, ..p })
    }

    fn scale(&self, x: f64) -> f64 {
        let (lo, hi) = self.domain;
        if hi > lo {
            -1.0 + 2.0 * (x - lo) / (hi - lo)
        } else {
            0.0
        }
    }

    /// The coefficients in the scaled variable t, lowest degree first (numpy's `coef`).
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The x range mapped onto [-1, 1] (numpy's `domain`).
    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }

    /// The polynomial's value at `x`.
    pub fn eval(&self, x: f64) -> f64 {
        let t = self.scale(x);
        self.coef.iter().rev().fold(0.0, |acc, c| acc * t + c)
    }
}
