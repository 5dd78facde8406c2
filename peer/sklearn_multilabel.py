#!/usr/bin/env python3
"""scikit-learn peer of the multi-label models and metrics (issue 11, write-up 002):
listening::models::{MultiForest, MultiKnn} and listening::evaluation::multilabel.

Reads tables the Rust side wrote from real data (TidyTuesday tracks x Last.fm artist top tags,
cleaned, the 9 most frequent tags without `rock`, the rest `misc`; 11 audio features standardised
on the training rows): columns `split` (train/test), the features, then one 0/1 column per tag.

  fixture  tests/fixtures/multilabel/lastfm_tidy_1500.csv (1,000 train / 500 test rows). Fits
           RandomForestClassifier() (100 trees, seeds 0-4, mean) and KNeighborsClassifier()
           (k = 5, brute force) natively multi-output on the 2-D label matrix, prints their subset
           accuracy and micro-F1 as the constants of tests/it/multilabel.rs, writes the KNN's test
           predictions to tests/fixtures/multilabel/knn_sklearn_pred.csv and prints every
           multi-label metric of those predictions (accuracy_score, hamming_loss, precision /
           recall / f1 with average micro, macro, weighted, samples) for the exact-metric test.
  full     target/multilabel_full.csv (every track, 70 / 30; written by the ignored Rust test
           multilabel::write_fixture). Times GridSearchCV over the grids of
           multilabel::peer_grid_times (KNN 12 candidates, random forest 6, 3-fold shuffled
           KFold(random_state=0), scoring='accuracy'), best of 3 runs, and prints the test scores.

Usage: python3 peer/sklearn_multilabel.py fixture|full
Measured with scikit-learn 1.9.1, numpy 2.4.6, pandas 3.1.1, Python 3
(`pip install scikit-learn==1.9.1 numpy==2.4.6 pandas==3.1.1`). Not a project dependency; CI does
not run this script.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, hamming_loss, precision_score, recall_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.neighbors import KNeighborsClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(REPO, "tests", "fixtures", "multilabel")
N_FEATURES = 11


def load(path):
    df = pd.read_csv(path)
    train = (df["split"] == "train").to_numpy()
    x = df.iloc[:, 1:1 + N_FEATURES].to_numpy(dtype=float)
    y = df.iloc[:, 1 + N_FEATURES:].to_numpy(dtype=int)
    return x[train], y[train], x[~train], y[~train], list(df.columns[1 + N_FEATURES:])


def fixture():
    xtr, ytr, xte, yte, labels = load(os.path.join(FIXTURES, "lastfm_tidy_1500.csv"))
    acc, f1 = [], []
    for seed in range(5):
        p = RandomForestClassifier(random_state=seed).fit(xtr, ytr).predict(xte)
        acc.append(accuracy_score(yte, p))
        f1.append(f1_score(yte, p, average="micro", zero_division=0))
    print(f"// {len(ytr)} train / {len(yte)} test rows, labels {labels}")
    print(f"const SK_FOREST_SUBSET_ACCURACY: f64 = {float(np.mean(acc))!r};")
    print(f"const SK_FOREST_F1_MICRO: f64 = {float(np.mean(f1))!r};")
    knn = KNeighborsClassifier(algorithm="brute").fit(xtr, ytr)
    p = knn.predict(xte)
    print(f"const SK_KNN_SUBSET_ACCURACY: f64 = {float(accuracy_score(yte, p))!r};")
    print(f"const SK_KNN_F1_MICRO: f64 = {float(f1_score(yte, p, average='micro'))!r};")
    pd.DataFrame(p, columns=labels).to_csv(os.path.join(FIXTURES, "knn_sklearn_pred.csv"), index=False)
    print(f"const SK_METRICS: [(&str, f64); 14] = [")
    print(f"    (\"accuracy\", {float(accuracy_score(yte, p))!r}),")
    print(f"    (\"hamming_loss\", {float(hamming_loss(yte, p))!r}),")
    for avg in ["micro", "macro", "weighted", "samples"]:
        for name, fn in [("precision", precision_score), ("recall", recall_score), ("f1", f1_score)]:
            v = fn(yte, p, average=avg, zero_division=0)
            print(f"    (\"{name}_{avg}\", {float(v)!r}),")
    print("];")


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def full():
    xtr, ytr, xte, yte, labels = load(os.path.join(REPO, "target", "multilabel_full.csv"))
    print(f"{len(ytr)} train / {len(yte)} test rows, {len(labels)} labels")
    cv = KFold(3, shuffle=True, random_state=0)
    grids = [
        ("knn", KNeighborsClassifier(algorithm="brute", n_jobs=2),
         {"n_neighbors": [5, 15, 30], "weights": ["uniform", "distance"],
          "metric": ["euclidean", "manhattan"]}),
        ("random forest", RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0),
         {"max_depth": [None, 10, 20], "min_samples_leaf": [1, 2]}),
    ]
    for name, est, grid in grids:
        secs, gs = best_of(3, lambda: GridSearchCV(est, grid, cv=cv, scoring="accuracy").fit(xtr, ytr))
        p = gs.best_estimator_.predict(xte)
        print(f"{name}: grid {secs:.2f} s ({len(gs.cv_results_['params'])} candidates x 3 folds), "
              f"best {gs.best_params_} CV {gs.best_score_:.4f}; test subset accuracy "
              f"{accuracy_score(yte, p):.4f}, micro-F1 {f1_score(yte, p, average='micro'):.4f}")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "fixture":
        fixture()
    elif mode == "full":
        full()
    else:
        sys.exit(__doc__)
