"""scikit-learn's LinearDiscriminantAnalysis(solver='svd') on the small table of
tests/it/regression.rs (lda_matches_scikit_learn): prints the transform of every row and the
explained variance ratio, the numbers that test compares to (up to the sign of each component).
Run: python3 peer/sklearn_lda.py (scikit-learn 1.9.1, numpy 2.4.6)."""

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

X = np.array([
    [1.0, 2.0, 0.5], [1.5, 1.8, 0.7], [0.8, 2.4, 0.2], [1.2, 2.1, 0.9], [0.9, 1.6, 0.4],
    [3.0, 0.5, 1.5], [3.4, 0.9, 1.1], [2.8, 0.2, 1.9], [3.1, 0.7, 1.4], [3.6, 0.4, 1.6],
    [2.0, 3.5, 3.0], [2.3, 3.1, 2.6], [1.7, 3.8, 3.3], [2.2, 3.4, 2.9], [1.9, 3.0, 3.6],
])
y = np.array([0] * 5 + [1] * 5 + [2] * 5)

lda = LinearDiscriminantAnalysis(solver="svd").fit(X, y)
np.set_printoptions(precision=17, floatmode="unique")
print("explained_variance_ratio", repr(lda.explained_variance_ratio_))
for row in lda.transform(X):
    print(f"[{float(row[0])!r}, {float(row[1])!r}],")
