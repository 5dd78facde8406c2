//! Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
//! for tree ensembles", Algorithm 2: the polynomial-time path algorithm with EXTEND / UNWIND),
//! for a [`DecisionTree`] and for a [`Forest`] (the mean over its trees).
//!
//! The output explained is `predict_proba`'s probability of each class; a feature left out of a
//! coalition is integrated over the tree's own training distribution: at a node testing it, both
//! children are followed, weighted by their cover (the weighted training rows that reached
//! them). This is shap's `TreeExplainer(model, feature_perturbation="tree_path_dependent")`.
//! For every row and class, Σ_features SHAP + base value = `predict_proba`.
//!
//! Cost per row: O(leaves · depth²) per tree.

use super::decision_tree::DecisionTree;
use super::forest::Forest;
use crate::error::{Error, Result};
use crate::models::api::check_predict;
use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};
use polars::prelude::*;
use rayon::prelude::*;

/// SHAP values of some rows, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapValues {
    /// rows × features × classes.
    pub values: Array3<f64>,
    /// The expected output per class: the cover-weighted mean of the leaf distributions (the
    /// mean over trees for a forest).
    pub base_values: Array1<f64>,
    /// The feature names given.
    pub feature_names: Vec<String>,
}

impl ShapValues {
    /// The SHAP values of class `class`, rows × features.
    ///
    /// # Panics
    /// If `class` is not below the number of classes.
    pub fn class(&self, class: usize) -> ArrayView2<'_, f64> {
        self.values.index_axis(Axis(2), class)
    }

    /// One row per (feature, class): `feature`, `class`, `mean_abs_shap` (mean |SHAP| over the
    /// rows), features ordered by their total over classes (largest first), as shap's bar
    /// summary plot.
    ///
    /// # Errors
    /// Only if polars refuses the columns.
    pub fn summary(&self) -> Result<DataFrame> {
        let (rows, p, k) = self.values.dim();
        let mean_abs = self
            .values
            .mapv(f64::abs)
            .sum_axis(Axis(0))
            .mapv(|v| v / rows.max(1) as f64);
        let mut order: Vec<usize> = (0..p).collect();
        let total = mean_abs.sum_axis(Axis(1));
        order.sort_by(|&a, &b| total[b].total_cmp(&total[a]).then(a.cmp(&b)));
        let (mut feature, mut class, mut value) = (Vec::new(), Vec::new(), Vec::new());
        for &f in &order {
            for c in 0..k {
                feature.push(self.feature_names[f].clone());
                class.push(c as u32);
                value.push(mean_abs[[f, c]]);
            }
        }
        Ok(DataFrame::new(
            feature.len(),
            vec![
                Column::new("feature".into(), feature),
                Column::new("class".into(), class),
                Column::new("mean_abs_shap".into(), value),
            ],
        )?)
    }
}

impl ShapValues {
    /// [`Self::summary`] with the class column holding `classes[c]` instead of the index `c`:
    /// what [`crate::plots::stacked_barh`] draws as shap's multi-class summary.
    ///
    /// # Errors
    /// [`Error::Shape`] when `classes` does not name every class.
    pub fn summary_named(&self, classes: &[String]) -> Result<DataFrame> {
        let k = self.values.dim().2;
        if classes.len() != k {
            return Err(crate::error::Error::Shape(format!(
                "{} class names for SHAP values of {k} classes",
                classes.len()
            )));
        }
        let mut df = self.summary()?;
        let names: Vec<String> = df
            .column("class")?
            .cast(&DataType::UInt32)?
            .u32()?
            .iter()
            .map(|c| c.map_or_else(String::new, |c| classes[c as usize].clone()))
            .collect();
        df.with_column(Column::new("class".into(), names))?;
        Ok(df)
    }
}

impl DecisionTree {
    /// TreeSHAP values of the rows of `x` (see the module docs); `names` names its columns.
    ///
    /// # Errors
    /// [`Error::Shape`] when `x` or `names` do not fit the tree; [`Error::NonFinite`].
    pub fn shap_values(&self, x: &Array2<f64>, names: &[&str]) -> Result<ShapValues> {
        explain(std::slice::from_ref(self), x, names)
    }
}

impl Forest {
    /// TreeSHAP values of the rows of `x`, the mean over the trees (see the module docs);
    /// `names` names its columns.
    ///
    /// # Errors
    /// [`Error::Shape`] when `x` or `names` do not fit the forest; [`Error::NonFinite`].
    pub fn shap_values(&self, x: &Array2<f64>, names: &[&str]) -> Result<ShapValues> {
        explain(&self.trees, x, names)
    }
}

/// Mean SHAP values over `trees`, rows in parallel.
fn explain(trees: &[DecisionTree], x: &Array2<f64>, names: &[&str]) -> Result<ShapValues> {
    let (p, k) = (trees[0].n_features, trees[0].n_classes);
    check_predict(x, p)?;
    if names.len() != p {
        return Err(Error::Shape(format!(
            "{} feature names for {p} columns",
            names.len()
        )));
    }
    let scale = 1.0 / trees.len() as f64;
    let mut values = vec![0.0; x.nrows() * p * k];
    values
        .par_chunks_mut(p * k)
        .enumerate()
        .for_each(|(i, out)| {
            let row: Vec<f64> = x.row(i).to_vec();
            for t in trees {
                Explainer::new(t, &row, out).run();
            }
            out.iter_mut().for_each(|v| *v *= scale);
        });
    let mut base = Array1::<f64>::zeros(k);
    for t in trees {
        base += &Array1::from(expected_value(t));
    }
    base *= scale;
    Ok(ShapValues {
        values: Array3::from_shape_vec((x.nrows(), p, k), values)
            .map_err(|e| Error::Shape(e.to_string()))?,
        base_values: base,
        feature_names: names.iter().map(|s| s.to_string()).collect(),
    })
}

/// The tree's expected output per class: leaf distributions averaged with the cover fractions
/// TreeSHAP uses (child cover / parent cover along each path).
fn expected_value(t: &DecisionTree) -> Vec<f64> {
    let k = t.n_classes;
    let mut e = vec![0.0; k];
    let mut stack = vec![(0usize, 1.0f64)];
    while let Some((i, share)) = stack.pop() {
        let n = &t.nodes[i];
        match n.children {
            None => {
                for (e, v) in e.iter_mut().zip(t.node_value(i)) {
                    *e += share * v;
                }
            }
            Some((l, r)) => {
                for c in [l, r] {
                    stack.push((c, share * fraction(t, c, i)));
                }
            }
        }
    }
    e
}

/// Cover of `child` over cover of `parent` (0 for an empty parent).
fn fraction(t: &DecisionTree, child: usize, parent: usize) -> f64 {
    let w = t.nodes[parent].weighted_n;
    if w > 0.0 {
        t.nodes[child].weighted_n / w
    } else {
        0.0
    }
}

/// One element of the path of unique features: the feature (`usize::MAX` for the root's
/// placeholder), the share of covers when it is left out (z), whether `x` follows the path (o),
/// and the permutation weight w.
#[derive(Debug, Clone, Copy, Default)]
struct PathElement {
    feature: usize,
    zero: f64,
    one: f64,
    weight: f64,
}

/// TreeSHAP of one row through one tree, adding into `out` (features × classes).
struct Explainer<'a> {
    tree: &'a DecisionTree,
    row: &'a [f64],
    out: &'a mut [f64],
}

impl<'a> Explainer<'a> {
    fn new(tree: &'a DecisionTree, row: &'a [f64], out: &'a mut [f64]) -> Self {
        Explainer { tree, row, out }
    }

    fn run(&mut self) {
        // Each recursion level holds a copy of its path: depth + 2 segments of ≤ depth + 2.
        let d = self.tree.depth + 2;
        let mut paths = vec![PathElement::default(); d * (d + 1) / 2 + d];
        self.recurse(0, &mut paths, 0, 1.0, 1.0, usize::MAX);
    }

    /// Algorithm 2's RECURSE. `paths[..depth]` is the parent's path; this node's path starts at
    /// `depth + 1`.
    fn recurse(
        &mut self,
        node: usize,
        paths: &mut [PathElement],
        depth: usize,
        zero: f64,
        one: f64,
        feature: usize,
    ) {
        let (parent, path) = paths.split_at_mut(depth + 1);
        path[..depth].copy_from_slice(&parent[..depth]);
        extend(path, depth, zero, one, feature);
        let t = self.tree;
        let k = t.n_classes;
        let n = &t.nodes[node];
        let Some((left, right)) = n.children else {
            let value = t.node_value(node);
            for i in 1..=depth {
                let el = path[i];
                let scale = unwound_sum(path, depth, i) * (el.one - el.zero);
                let out = &mut self.out[el.feature * k..(el.feature + 1) * k];
                for (o, v) in out.iter_mut().zip(value) {
                    *o += scale * v;
                }
            }
            return;
        };
        let (hot, cold) = if self.row[n.feature] <= n.threshold {
            (left, right)
        } else {
            (right, left)
        };
        let (mut in_zero, mut in_one, mut depth) = (1.0, 1.0, depth);
        if let Some(i) = path[..=depth].iter().position(|e| e.feature == n.feature) {
            in_zero = path[i].zero;
            in_one = path[i].one;
            unwind(path, depth, i);
            depth -= 1;
        }
        let (hot_zero, cold_zero) = (fraction(t, hot, node), fraction(t, cold, node));
        let f = n.feature;
        self.recurse(hot, path, depth + 1, hot_zero * in_zero, in_one, f);
        self.recurse(cold, path, depth + 1, cold_zero * in_zero, 0.0, f);
    }
}

/// EXTEND: appends (feature, zero, one) at index `depth` and updates the permutation weights.
fn extend(path: &mut [PathElement], depth: usize, zero: f64, one: f64, feature: usize) {
    path[depth] = PathElement {
        feature,
        zero,
        one,
        weight: if depth == 0 { 1.0 } else { 0.0 },
    };
    let l = (depth + 1) as f64;
    for i in (0..depth).rev() {
        path[i + 1].weight += one * path[i].weight * (i + 1) as f64 / l;
        path[i].weight = zero * path[i].weight * (depth - i) as f64 / l;
    }
}

/// UNWIND: removes element `at` from `path[..=depth]`, undoing its EXTEND.
fn unwind(path: &mut [PathElement], depth: usize, at: usize) {
    let PathElement { one, zero, .. } = path[at];
    let l = (depth + 1) as f64;
    let mut next = path[depth].weight;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let tmp = path[i].weight;
            path[i].weight = next * l / ((i + 1) as f64 * one);
            next = tmp - path[i].weight * zero * (depth - i) as f64 / l;
        } else {
            path[i].weight = path[i].weight * l / (zero * (depth - i) as f64);
        }
    }
    for i in at..depth {
        path[i].feature = path[i + 1].feature;
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
    }
}

/// The sum of the weights UNWIND(path, at) would leave, without changing `path`.
fn unwound_sum(path: &[PathElement], depth: usize, at: usize) -> f64 {
    let PathElement { one, zero, .. } = path[at];
    let l = (depth + 1) as f64;
    let mut next = path[depth].weight;
    let mut total = 0.0;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let w = next * l / ((i + 1) as f64 * one);
            total += w;
            next = path[i].weight - w * zero * (depth - i) as f64 / l;
        } else {
            total += path[i].weight * l / (zero * (depth - i) as f64);
        }
    }
    total
}
