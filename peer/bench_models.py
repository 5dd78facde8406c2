"""scikit-learn side of scripts/bench-models: the same tasks on the same data and split as
examples/bench_models.rs, timed the same way (median of N runs after one warm-up).

  forest:  RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=THREADS) on
           TidyTuesday's 32,833 rows, 11 audio features, label playlist_genre (6 classes);
           the split (75 % train, stratified, random_state=0) is written to
           target/bench/tidytuesday_test_rows.txt for the Rust side.
  kmeans:  KMeans(k, n_init=10, random_state=0) for k = 1..15 on the 10,000-row Spotify Tracks
           sample, 11 standardised features (StandardScaler).

Prints one line per task: `task seconds accuracy_or_wcss`.
Usage: LISTENING_DATA_DIR=../shared/data THREADS=2 RUNS=5 python3 peer/bench_models.py OUTDIR
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness",
            "acousticness", "instrumentalness", "liveness", "valence", "tempo"]
data = os.environ.get("LISTENING_DATA_DIR", "../shared/data")
threads = int(os.environ.get("THREADS", "2"))
runs = int(os.environ.get("RUNS", "5"))
out = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
os.makedirs(out, exist_ok=True)


def median_time(f):
    f()  # warm-up
    times = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), result


tidy = pd.read_csv(f"{data}/tidytuesday_spotify_songs/spotify_songs.csv.gz")
x = tidy[FEATURES].to_numpy(dtype=float)
classes = sorted(tidy["playlist_genre"].unique())
y = tidy["playlist_genre"].map({c: i for i, c in enumerate(classes)}).to_numpy()
rows = np.arange(len(y))
train, test = train_test_split(rows, test_size=0.25, stratify=y, random_state=0)
np.savetxt(f"{out}/tidytuesday_test_rows.txt", np.sort(test), fmt="%d")


def forest():
    m = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=threads)
    m.fit(x[train], y[train])
    return m


secs, m = median_time(forest)
acc = float((m.predict(x[test]) == y[test]).mean())
print(f"forest {secs:.4f} {acc:.4f}")

sample = pd.read_csv(f"{data}/spotify_tracks_114k_sample/dataset_sample_10k.csv")
xs = StandardScaler().fit_transform(sample[FEATURES].to_numpy(dtype=float))


def sweep():
    return [KMeans(n_clusters=k, n_init=10, random_state=0).fit(xs).inertia_ for k in range(1, 16)]


secs, wcss = median_time(sweep)
print(f"kmeans_sweep {secs:.4f} {wcss[7]:.2f}")
print("wcss " + " ".join(f"{w:.4f}" for w in wcss))
