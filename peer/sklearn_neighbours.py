#!/usr/bin/env python3
"""scikit-learn peer of the neighbour models (issue "Genre structure: trees, forests, neighbours
and clusters"): KNeighborsClassifier, KMeans, PCA.

Reads the public data straight from the files with pandas (not through the crate):

  fixture  writes tests/fixtures/neighbours/tidytuesday_sample.csv (every 36th row of TidyTuesday's
           spotify_songs: track_id, genre, the 11 features as in the file) and prints, as Rust
           constants for tests/it/neighbours.rs, scikit-learn's figures on it: KNN predictions and
           accuracies on the fixed split, k-means WCSS for k = 1..15, PCA variances and the first
           rows of the transform.
  full     the same figures on the real data: KNN on all 32,833 TidyTuesday rows (fixed split),
           k-means WCSS and PCA on the 10k sample of the 114k-track set, with scikit-learn's time
           for the k-means sweep.

Conventions shared with the Rust tests:
  features   the 11 audio features of schema::AUDIO_FEATURES without time_signature (TidyTuesday
             has none), in the crate's order;
  labels     genre names sorted (edm, latin, pop, r&b, rap, rock) -> 0..5;
  split      row i (file order) is a test row when i % 4 == 3, a training row otherwise;
  scaling    KNN: StandardScaler fitted on the training rows; k-means and PCA: on all rows.

Usage: LISTENING_DATA_DIR=/work/shared/data python3 peer/sklearn_neighbours.py fixture|full
scikit-learn is not a project dependency; CI does not run this script.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.environ.get("LISTENING_DATA_DIR", os.path.join(REPO, "..", "shared", "data"))
TIDY = os.path.join(DATA, "tidytuesday_spotify_songs", "spotify_songs.csv.gz")
SAMPLE = os.path.join(DATA, "spotify_tracks_114k_sample", "dataset_sample_10k.csv")
FIXTURE = os.path.join(REPO, "tests", "fixtures", "neighbours", "tidytuesday_sample.csv")

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]
# (name, scikit-learn estimator): the KNN configurations the tests compare.
KNN = [
    ("k5_uniform_euclidean", dict(n_neighbors=5, weights="uniform")),
    ("k15_distance_euclidean", dict(n_neighbors=15, weights="distance")),
    ("k5_uniform_cosine", dict(n_neighbors=5, weights="uniform", metric="cosine")),
    ("k10_distance_manhattan", dict(n_neighbors=10, weights="distance", metric="manhattan")),
]


def labels(genres):
    classes = sorted(set(genres))
    index = {g: i for i, g in enumerate(classes)}
    return np.array([index[g] for g in genres]), classes


def split(n):
    test = np.arange(n) % 4 == 3
    return ~test, test


def knn(x, y, show_predictions):
    tr, te = split(len(y))
    sc = StandardScaler().fit(x[tr])
    xtr, xte = sc.transform(x[tr]), sc.transform(x[te])
    print(f"// KNN: {tr.sum()} training rows, {te.sum()} test rows (row i is a test row when i % 4 == 3)")
    for name, kw in KNN:
        for algo in ["brute", "auto"]:
            if algo == "auto" and kw.get("metric") == "cosine":
                continue  # cosine has no tree: 'auto' is brute
            clf = KNeighborsClassifier(algorithm=algo, **kw).fit(xtr, y[tr])
            t = time.perf_counter()
            p = clf.predict(xte)
            dt = time.perf_counter() - t
            print(f"// {name} ({algo}): accuracy {100 * (p == y[te]).mean():.4f} %  predict {dt:.3f} s")
            if algo == "brute":
                brute = p
                const = "SK_" + name.upper()
                print(f"const {const}_ACCURACY: f64 = {float((p == y[te]).mean())!r};")
                if show_predictions:
                    print(f'const {const}: &str = "{"".join(map(str, p))}";')
                if name == "k15_distance_euclidean":
                    proba = clf.predict_proba(xte[:3])
                    print(f"const {const}_PROBA: [[f64; {proba.shape[1]}]; 3] = "
                          f"{[[float(v) for v in r] for r in proba]};")
            else:
                print(f"//   auto ({clf._fit_method}) and brute predictions agree on "
                      f"{(p == brute).sum()} / {len(p)} rows")


def kmeans(x, what, timing):
    xs = StandardScaler().fit_transform(x)
    ks = range(1, 16)
    t = time.perf_counter()
    wcss = [KMeans(n_clusters=k, n_init=10, random_state=0).fit(xs).inertia_ for k in ks]
    dt = time.perf_counter() - t
    print(f"// k-means on {what}, standardised: WCSS (inertia_) for k = 1..15, n_init=10, "
          f"random_state=0; sweep {dt:.2f} s")
    print(f"const SK_WCSS: [f64; 15] = {[float(w) for w in wcss]};")
    if timing:
        from threadpoolctl import threadpool_limits
        for threads in [1, 2]:
            with threadpool_limits(threads):
                times = []
                for _ in range(3):
                    t = time.perf_counter()
                    for k in ks:
                        KMeans(n_clusters=k, n_init=10, random_state=0).fit(xs)
                    times.append(time.perf_counter() - t)
            print(f"// sweep with {threads} OpenMP thread(s): {', '.join(f'{s:.2f}' for s in times)} s")


def pca(x, what, rows):
    xs = StandardScaler().fit_transform(x)
    full = PCA().fit(xs)
    z = full.transform(xs[:rows])
    print(f"// PCA on {what}, standardised (svd_solver resolved to {full._fit_svd_solver!r})")
    print(f"const SK_PCA_VARIANCE: [f64; {len(FEATURES)}] = {full.explained_variance_.tolist()};")
    print(f"const SK_PCA_RATIO: [f64; {len(FEATURES)}] = {full.explained_variance_ratio_.tolist()};")
    print(f"const SK_PCA_ROWS: [[f64; {len(FEATURES)}]; {rows}] = {[r.tolist() for r in z]};")
    three = PCA(n_components=3).fit(xs)
    print(f"// n_components=3: ratios {three.explained_variance_ratio_.tolist()} "
          f"(sum {three.explained_variance_ratio_.sum():.6f})")
    for share in [0.5, 0.9, 0.99]:
        n = PCA(n_components=share).fit(xs).n_components_
        print(f"// PCA(n_components={share}).n_components_ = {n}")


def tidytuesday():
    df = pd.read_csv(TIDY)
    return df


def fixture():
    df = tidytuesday().iloc[::36]
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    out = df[["track_id", "playlist_genre"] + FEATURES].rename(columns={"playlist_genre": "genre"})
    out.to_csv(FIXTURE, index=False, float_format=None)
    print(f"// {FIXTURE}: {len(out)} rows, {os.path.getsize(FIXTURE)} bytes")
    x = out[FEATURES].to_numpy(float)
    y, classes = labels(out["genre"].tolist())
    print(f"// classes {classes}, counts {np.bincount(y).tolist()}")
    knn(x, y, True)
    kmeans(x, "the fixture", False)
    pca(x, "the fixture", 3)


def full():
    df = tidytuesday()
    x = df[FEATURES].to_numpy(float)
    y, classes = labels(df["playlist_genre"].tolist())
    print(f"// TidyTuesday: {len(y)} rows, classes {classes}")
    knn(x, y, False)
    s = pd.read_csv(SAMPLE)
    x = s[FEATURES].to_numpy(float)
    kmeans(x, "the 10k sample", True)
    pca(x, "the 10k sample", 3)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    np.set_printoptions(precision=17)
    {"fixture": fixture, "full": full}[sys.argv[1] if len(sys.argv) > 1 else "full"]()
