#!/usr/bin/env python3
"""scikit-learn / shap peer of the trees (issue "Genre structure: trees, forests, neighbours and
clusters"): listening::models::tree's DecisionTree, Forest (random forest, extra trees) and
TreeSHAP.

Reads TidyTuesday's Spotify songs straight from the gzip CSV with pandas (not through the crate).
Classes: `playlist_genre` in sorted order (edm, latin, pop, r&b, rap, rock); 11 features:
danceability, energy, key, loudness, mode, speechiness, acousticness, instrumentalness, liveness,
valence, tempo.

  fixture  one row per distinct track_id (first occurrence), a stratified sample of 250 tracks
           per genre (random_state=0), split stratified 1,000 train / 500 test (random_state=0);
           writes tests/fixtures/trees/{train,test}.csv (features + label) and prints what
           tests/it/trees.rs holds as constants: accuracies of DecisionTreeClassifier,
           RandomForestClassifier(100), ExtraTreesClassifier(100) for seeds 0-4 and their means,
           the forest's OOB score, a depth-3 tree's splits, and shap's TreeExplainer values
           (tree_path_dependent) for the first 5 test rows.
  full     all 32,833 rows; row i is a test row when i % 4 == 3 (24,625 train / 8,208 test, the
           same rule as the ignored Rust test); accuracies and fit times of the three models.

Usage: LISTENING_DATA_DIR=/work/shared/data python3 peer/sklearn_trees.py fixture|full
scikit-learn, shap and pandas are not project dependencies; CI does not run this script.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(os.environ.get("LISTENING_DATA_DIR", os.path.join(REPO, "..", "shared", "data")),
                    "tidytuesday_spotify_songs", "spotify_songs.csv.gz")
FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]
SEEDS = range(5)


def load():
    df = pd.read_csv(DATA)
    genres = sorted(df["playlist_genre"].unique())
    df = df.dropna(subset=FEATURES + ["playlist_genre"])
    y = df["playlist_genre"].map({g: i for i, g in enumerate(genres)}).to_numpy()
    return df, genres, y


def models(seed):
    return [
        ("tree", DecisionTreeClassifier(random_state=seed)),
        ("forest", RandomForestClassifier(n_estimators=100, oob_score=True, random_state=seed)),
        ("extra", ExtraTreesClassifier(n_estimators=100, random_state=seed)),
    ]


def write_csv(path, x, y):
    frame = pd.DataFrame(x, columns=FEATURES)
    for c in ("key", "mode"):
        frame[c] = frame[c].astype(int)
    frame["label"] = y
    frame.to_csv(path, index=False, float_format=None)


def fixture():
    df, genres, _ = load()
    df = df.drop_duplicates("track_id", keep="first")
    sample = pd.concat([df[df["playlist_genre"] == g].sample(250, random_state=0) for g in genres])
    x = sample[FEATURES].to_numpy(dtype=float)
    y = sample["playlist_genre"].map({g: i for i, g in enumerate(genres)}).to_numpy()
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=500, stratify=y, random_state=0)
    out = os.path.join(REPO, "tests", "fixtures", "trees")
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "train.csv"), xtr, ytr)
    write_csv(os.path.join(out, "test.csv"), xte, yte)
    print(f"// classes {genres}; {len(ytr)} train rows, {len(yte)} test rows")
    acc = {"tree": [], "forest": [], "extra": [], "oob": []}
    for seed in SEEDS:
        for name, m in models(seed):
            m.fit(xtr, ytr)
            acc[name].append(m.score(xte, yte))
            if name == "forest":
                acc["oob"].append(m.oob_score_)
    for name, v in acc.items():
        print(f"// {name}: seeds 0-4 {np.round(np.array(v) * 100, 2)}")
        print(f"const SK_{name.upper()}: f64 = {np.mean(v):.6f};")
    d8 = [DecisionTreeClassifier(max_depth=8, random_state=s).fit(xtr, ytr).score(xte, yte) for s in SEEDS]
    print(f"// tree max_depth=8 (beside linfa-trees): seeds 0-4 {np.round(np.array(d8) * 100, 2)}")
    shap_tree(xtr, ytr, xte)


def shap_tree(xtr, ytr, xte):
    import shap
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(xtr, ytr)
    t = tree.tree_
    print(f"// depth-3 tree: {t.node_count} nodes, accuracy on train {tree.score(xtr, ytr):.6f}")
    print(f"const SK_DEPTH3_FEATURES: [i64; {t.node_count}] = {list(map(int, t.feature))};")
    print(f"const SK_DEPTH3_THRESHOLDS: [f64; {t.node_count}] = {[float(v) for v in t.threshold]};")
    explainer = shap.TreeExplainer(tree, feature_perturbation="tree_path_dependent")
    rows = xte[:5]
    sv = np.asarray(explainer.shap_values(rows))  # rows x features x classes (shap >= 0.45)
    assert sv.shape == (5, len(FEATURES), t.n_classes[0]), sv.shape
    base = np.asarray(explainer.expected_value)
    print(f"const SK_SHAP_BASE: [f64; {len(base)}] = {[float(v) for v in base]};")
    print(f"const SK_SHAP: [[[f64; {sv.shape[2]}]; {sv.shape[1]}]; {sv.shape[0]}] = [")
    for r in sv:
        print("    [")
        for f in r:
            print(f"        {[float(v) for v in f]},")
        print("    ],")
    print("];")
    err = np.abs(sv.sum(axis=1) + base - tree.predict_proba(rows)).max()
    print(f"// shap additivity error {err:.2e}")


def full():
    df, genres, y = load()
    x = df[FEATURES].to_numpy(dtype=float)
    test = np.arange(len(y)) % 4 == 3
    xtr, ytr, xte, yte = x[~test], y[~test], x[test], y[test]
    print(f"{len(ytr)} train / {len(yte)} test rows, classes {genres}")
    for name, m in models(0):
        for jobs in ([1, 2] if name != "tree" else [1]):
            # Fit times without the OOB computation (timed apart, as in the Rust test).
            m.set_params(**({"n_jobs": jobs, "oob_score": False} if name == "forest" else
                            {"n_jobs": jobs} if name == "extra" else {}))
            t, c = time.perf_counter(), time.process_time()
            m.fit(xtr, ytr)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            print(f"  {name:6s} n_jobs={jobs}: accuracy {100 * m.score(xte, yte):.2f} %, "
                  f"fit {dt:.2f} s wall, {dc:.2f} s CPU")
    m = RandomForestClassifier(n_estimators=100, oob_score=True, random_state=0, n_jobs=2)
    print(f"  forest OOB {100 * m.fit(xtr, ytr).oob_score_:.2f} %")

if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    {"fixture": fixture, "full": full}[sys.argv[1] if len(sys.argv) > 1 else "fixture"]()
