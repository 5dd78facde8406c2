#!/usr/bin/env python3
"""scikit-learn peer of issue 12's regression study: MLPRegressor, PCA and LDA on one fixed,
synthetic, preference-like table, so tests/it/regression.rs can check the crate's agreement.

Writes tests/fixtures/regression/peer.csv (the table: f0..f5, y, split) and
tests/fixtures/regression/peer_expected.json (scikit-learn's figures). Run once:

    python3 peer/sklearn_regression.py

Measured with scikit-learn 1.9.1, numpy 2.4.6 (Python 3.11). The table is synthetic (numpy,
seed 7): six features on different scales, a 1–10 target that depends on four of them
non-linearly, plus noise; the first 240 rows train, the last 80 test.
"""
import json, os
import numpy as np
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
import sklearn

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "tests", "fixtures", "regression")
os.makedirs(out, exist_ok=True)

rng = np.random.default_rng(7)
n, n_train = 320, 240
X = np.column_stack([
    rng.uniform(0, 1, n),            # a 0–1 descriptor (valence-like)
    rng.uniform(0, 1, n),            # another
    rng.normal(-8, 3, n),            # loudness-like, dB
    rng.normal(120, 25, n),          # tempo-like, BPM
    rng.integers(0, 2, n).astype(float),  # mode-like
    rng.uniform(0, 1, n),            # an unused descriptor
])
y = 5.5 + 3.0 * np.tanh(3 * (X[:, 0] - 0.5)) - 2.0 * X[:, 1] + 0.15 * (X[:, 2] + 8) \
    + 0.8 * X[:, 4] + rng.normal(0, 0.4, n)
y = np.clip(y, 1, 10)
split = np.array(["train"] * n_train + ["test"] * (n - n_train))

with open(os.path.join(out, "peer.csv"), "w") as f:
    f.write("f0,f1,f2,f3,f4,f5,y,split\n")
    for row, t, s in zip(X, y, split):
        f.write(",".join(repr(float(v)) for v in row) + f",{float(t)!r},{s}\n")

tr, te = split == "train", split == "test"
scaler = StandardScaler().fit(X[tr])
Xs_tr, Xs_te = scaler.transform(X[tr]), scaler.transform(X[te])

# MLP: 16 tanh units, Adam 0.01, batch 32, 300 epochs, alpha 1e-4, no early stopping, scaled.
r2 = []
for seed in range(5):
    m = MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", solver="adam",
                     learning_rate_init=0.01, batch_size=32, max_iter=300, alpha=1e-4,
                     tol=1e-4, n_iter_no_change=10, random_state=seed)
    m.fit(Xs_tr, y[tr])
    r2.append(m.score(Xs_te, y[te]))

pca = PCA(n_components=3).fit(Xs_tr)
classes = np.round(y[tr]).astype(int)
lda = LinearDiscriminantAnalysis(solver="svd").fit(Xs_tr, classes)

expected = {
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "mlp_test_r2_per_seed": r2,
    "mlp_test_r2_mean": float(np.mean(r2)),
    "pca_explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
    "pca_first_test_rows": pca.transform(Xs_te[:5]).tolist(),
    "lda_classes": sorted(set(classes.tolist())),
    "lda_explained_variance_ratio": lda.explained_variance_ratio_.tolist(),
    "lda_first_test_rows": lda.transform(Xs_te[:5]).tolist(),
}
with open(os.path.join(out, "peer_expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(json.dumps({k: v for k, v in expected.items() if "rows" not in k}, indent=1))
