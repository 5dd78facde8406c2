#!/usr/bin/env python3
"""scikit-learn peer of the playlist classifiers (write-up 000, issue 5).

Reads the Exportify genre playlists straight from the CSVs (not through the crate), builds the
same dataset as `listening::models::playlist_dataset` (playlists in the given order; per playlist
its distinct track ids in file order; rows with a missing feature skipped), and

  fixture  writes tests/fixtures/classify/{train,test}.csv (a small, fixed subset: features +
           label only) and prints the scikit-learn predictions / accuracies on it as Rust
           constants for tests/it/models.rs;
  full     splits the full dataset with train_test_split(test_size=0.25, random_state=70,
           stratify=y) as the original did, writes the split to peer/out/full_split.csv (read by
           the ignored Rust test `peer_full_dataset`), and reports SVC accuracies per kernel,
           the grid search and MLPClassifier, with fit times.

Usage: LISTENING_DATA_DIR=/work/shared/data python3 peer/sklearn_playlists.py fixture|full
scikit-learn is not a project dependency; CI does not run this script.
"""
import csv
import os
import sys
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(os.environ.get("LISTENING_DATA_DIR", os.path.join(REPO, "..", "shared", "data")),
                    "exportify_playlists_seankmchenry")

# The six broad genre playlists (the closest analogue of the original's six classes).
PLAYLISTS = ["genre_hip-hop_rb", "genre_house__techno", "genre_pop_rock",
             "genre_jazz_jazz-funk", "genre_funk__soul", "genre_classical"]
# schema::DESCRIPTORS, in the crate's order.
DESCRIPTORS = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
               "liveness", "valence"]
EXTRA = ["mode", "loudness", "tempo"]
HEADER = {f: f.capitalize() for f in DESCRIPTORS + EXTRA}


def build(names, features):
    xs, ys, ids = [], [], []
    for c, name in enumerate(names):
        seen = set()
        with open(os.path.join(DATA, name + ".csv"), newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        head = [h.strip() for h in rows[0]]
        col = {h: i for i, h in enumerate(head)}
        for r in rows[1:]:
            tid = r[col["Track ID"]].split(":")[-1]
            if not tid or tid in seen:
                continue
            seen.add(tid)
            try:
                v = [float(r[col[HEADER[f]]]) for f in features]
            except (ValueError, IndexError):
                continue  # skipped: missing feature
            xs.append(v)
            ys.append(c)
            ids.append(tid)
    return np.array(xs), np.array(ys), ids


def five_svms():
    """The original's five SVCs (sigma 0.5, C 20 for the weighted RBF)."""
    return [
        ("uw-rbf", SVC()),
        ("w-rbf", SVC(gamma=1 / (2 * 0.5 ** 2), C=20, class_weight="balanced")),
        ("linear", SVC(kernel="linear", class_weight="balanced")),
        ("poly", SVC(kernel="poly", class_weight="balanced")),
        ("sigmoid", SVC(kernel="sigmoid", class_weight="balanced")),
    ]


def write_csv(path, x, y, features):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(features + ["label"])
        for row, label in zip(x, y):
            w.writerow([repr(float(v)) for v in row] + [int(label)])


def fixture():
    x, y, _ = build(PLAYLISTS, DESCRIPTORS)
    # Fixed subset: every 7th row of each class, at most 50 per class; every third of those is test.
    train_i, test_i = [], []
    for c in range(len(PLAYLISTS)):
        rows = np.flatnonzero(y == c)[::7][:50]
        for k, i in enumerate(rows):
            (test_i if k % 3 == 2 else train_i).append(i)
    out = os.path.join(REPO, "tests", "fixtures", "classify")
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "train.csv"), x[train_i], y[train_i], DESCRIPTORS)
    write_csv(os.path.join(out, "test.csv"), x[test_i], y[test_i], DESCRIPTORS)
    xtr, ytr, xte, yte = x[train_i], y[train_i], x[test_i], y[test_i]
    print(f"// {len(train_i)} train rows, {len(test_i)} test rows")
    for name, clf in five_svms():
        clf.fit(xtr, ytr)
        p = clf.predict(xte)
        const = "SK_" + name.replace("-", "_").upper()
        print(f"// {name}: accuracy {100 * (p == yte).mean():.2f} %, {clf.n_support_.sum()} support vectors")
        print(f"const {const}: [usize; {len(p)}] = {list(map(int, p))};")
    sc = StandardScaler().fit(xtr)
    accs = []
    for seed in range(5):
        mlp = MLPClassifier(hidden_layer_sizes=(64,), activation="logistic", solver="adam",
                            learning_rate_init=0.01, batch_size=32, max_iter=200, alpha=0.0,
                            random_state=seed)
        mlp.fit(sc.transform(xtr), ytr)
        accs.append(mlp.score(sc.transform(xte), yte))
    print(f"// mlp (64 logistic, adam 0.01, batch 32, 200 epochs, scaled): accuracies {np.round(np.array(accs) * 100, 2)} mean {100 * np.mean(accs):.2f}")


def full():
    x, y, ids = build(PLAYLISTS, DESCRIPTORS)
    counts = np.bincount(y)
    print(f"dataset: {len(y)} rows, classes {dict(zip(PLAYLISTS, counts.tolist()))}")
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.25, random_state=70, stratify=y)
    # Rows in dataset order on both sides: the sigmoid kernel is not positive semi-definite, so
    # its (non-convex) SMO solution depends on the order of the training rows (31.61 % in
    # train_test_split's shuffled order, 37.71 % in dataset order, on this split).
    tr, te = np.sort(tr), np.sort(te)
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    with open(os.path.join(HERE, "out", "full_split.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["row", "track_id", "test"])
        test_set = set(te.tolist())
        for i in idx:
            w.writerow([i, ids[i], int(i in test_set)])
    xtr, ytr, xte, yte = x[tr], y[tr], x[te], y[te]
    print(f"split: {len(tr)} train / {len(te)} test (random_state=70, stratified)")
    for name, clf in five_svms():
        t = time.perf_counter()
        clf.fit(xtr, ytr)
        dt = time.perf_counter() - t
        print(f"  svc {name:8s} accuracy {100 * clf.score(xte, yte):6.2f} %  fit {dt:.3f} s")
    sc = StandardScaler().fit(xtr)
    for name, clf in five_svms():
        clf.fit(sc.transform(xtr), ytr)
        print(f"  svc {name:8s} scaled accuracy {100 * clf.score(sc.transform(xte), yte):6.2f} %")
    # Grid search, CV on the training split (5-fold stratified), same grid as the notebook.
    sigmas = [0.05, 0.1, 0.25, 0.5, 1, 2, 5]
    cs = [0.1, 0.5, 1, 2, 5, 10, 20, 30]
    t = time.perf_counter()
    best = (-1, None)
    skf = StratifiedKFold(5, shuffle=True, random_state=0)
    for s in sigmas:
        for c in cs:
            sc_ = []
            for a, b in skf.split(xtr, ytr):
                m = SVC(gamma=1 / (2 * s * s), C=c, class_weight="balanced").fit(xtr[a], ytr[a])
                sc_.append(m.score(xtr[b], ytr[b]))
            if np.mean(sc_) > best[0]:
                best = (np.mean(sc_), (s, c))
    dt = time.perf_counter() - t
    print(f"  grid {len(sigmas)}x{len(cs)} x 5 folds: best sigma, C = {best[1]} CV {100 * best[0]:.2f} %  in {dt:.1f} s")
    # MLP on 10 features (original's headers), standard-scaled.
    x10, y10, _ = build(PLAYLISTS, DESCRIPTORS + EXTRA)
    xtr, xte, ytr, yte = x10[tr], x10[te], y10[tr], y10[te]
    sc = StandardScaler().fit(xtr)
    accs, times = [], []
    for seed in range(5):
        mlp = MLPClassifier(hidden_layer_sizes=(64,), activation="logistic", solver="adam",
                            learning_rate_init=0.01, batch_size=32, max_iter=50, alpha=0.0,
                            random_state=seed)
        t = time.perf_counter()
        mlp.fit(sc.transform(xtr), ytr)
        times.append(time.perf_counter() - t)
        accs.append(mlp.score(sc.transform(xte), yte))
    print(f"  mlp 64 logistic adam 0.01 batch 32 50 epochs, 10 scaled features: accuracy "
          f"{np.round(np.array(accs) * 100, 2)} mean {100 * np.mean(accs):.2f} %, fit {np.mean(times):.2f} s")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    {"fixture": fixture, "full": full}[sys.argv[1] if len(sys.argv) > 1 else "full"]()
