#!/usr/bin/env python3
"""The peer side of scripts/bench-vs-peer: each task of examples/bench.rs done with pandas,
numpy, scikit-learn, shap and umap-learn, on the same data and splits, timed the same way
(median of RUNS runs after one warm-up run; one run and small sizes with SMOKE=1).

  prepare     writes the splits both sides use into OUTDIR:
              tidytuesday_test_rows.txt  train_test_split(test_size=0.25, stratify, random_state=0)
                                         of TidyTuesday's 32,833 rows (label playlist_genre);
              playlists_test_rows.txt    train_test_split(test_size=0.25, stratify,
                                         random_state=70) of the six genre playlists (2,163 rows),
                                         the write-up's split (peer/sklearn_playlists.py).
  list        prints the tasks.
  TASK        runs one task and prints `task=NAME secs=S figure=F kind=KIND peak_mb=M` (peak RSS
              of this process, resource.getrusage).

Usage: LISTENING_DATA_DIR=../shared/data THREADS=2 RUNS=5 python3 peer/bench_peer.py TASK [OUTDIR]
Versions are pinned by scripts/bench-vs-peer, which installs them into target/peer-venv.
"""
import glob
import os
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
DATA = os.environ.get("LISTENING_DATA_DIR", os.path.join(HERE, "..", "..", "shared", "data"))
THREADS = int(os.environ.get("THREADS", "2"))
RUNS = max(1, int(os.environ.get("RUNS", "5")))
SMOKE = os.environ.get("SMOKE") == "1"

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness",
            "acousticness", "instrumentalness", "liveness", "valence", "tempo"]
DESCRIPTORS = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
               "liveness", "valence"]
TASKS = ["load_lastfm_csv", "load_spotify_extended", "load_spotify_account", "load_tidytuesday_gz",
         "load_tracks_10k", "load_exportify", "join_lastfm_catalogues", "monthly_and_top40",
         "svc_rbf", "svc_linear", "svc_poly", "svc_sigmoid", "svc_grid_7x8_cv5", "mlp_64",
         "decision_tree", "random_forest", "extra_trees", "knn_5", "kmeans_sweep", "pca",
         "tree_shap", "umap", "forest_10k", "forest_100k", "kmeans_100k"]

LASTFM = f"{DATA}/lastfm_scrobbles/pingw33n_lastfm_scrobbles.csv"
EXTENDED = f"{DATA}/spotify_streaming_history/efrrowini_extended_redacted"
ACCOUNT = f"{DATA}/spotify_streaming_history/vnegi10_account_data"
TIDY = f"{DATA}/tidytuesday_spotify_songs/spotify_songs.csv.gz"
SAMPLE = f"{DATA}/spotify_tracks_114k_sample/dataset_sample_10k.csv"
EXPORTIFY = f"{DATA}/exportify_playlists_seankmchenry"


def small(full, smoke):
    return smoke if SMOKE else full


def median_time(f):
    last = f()  # warm-up
    if SMOKE:
        t = time.perf_counter()
        last = f()
        return time.perf_counter() - t, last
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        last = f()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), last


# ---- data --------------------------------------------------------------------------------------

def read_lastfm():
    df = pd.read_csv(LASTFM, header=None, names=["artist", "album", "track", "date"],
                     dtype=str, keep_default_na=False)
    df["played_at"] = pd.to_datetime(df["date"], format="%d %b %Y %H:%M", utc=True,
                                     errors="coerce")
    df = df[df["played_at"].notna()].drop(columns="date")
    df["ms_played"] = np.nan
    return df.sort_values("played_at", kind="stable").reset_index(drop=True)


def read_extended():
    frames = [pd.read_json(f) for f in sorted(glob.glob(f"{EXTENDED}/Streaming_History_Audio_*.json"))]
    df = pd.concat(frames, ignore_index=True)
    df = df[df["spotify_track_uri"].notna()]
    out = pd.DataFrame({
        "played_at": pd.to_datetime(df["ts"], utc=True) - pd.to_timedelta(df["ms_played"], unit="ms"),
        "artist": df["master_metadata_album_artist_name"],
        "album": df["master_metadata_album_album_name"],
        "track": df["master_metadata_track_name"],
        "ms_played": df["ms_played"],
        "track_id": df["spotify_track_uri"].str.rsplit(":", n=1).str[-1],
    })
    return out.sort_values("played_at", kind="stable").reset_index(drop=True)


def read_account():
    frames = [pd.read_json(f) for f in sorted(glob.glob(f"{ACCOUNT}/StreamingHistory*.json"))]
    df = pd.concat(frames, ignore_index=True)
    end = pd.to_datetime(df["endTime"], format="%Y-%m-%d %H:%M", utc=True)
    out = pd.DataFrame({
        "played_at": end - pd.to_timedelta(df["msPlayed"], unit="ms"),
        "artist": df["artistName"], "track": df["trackName"], "ms_played": df["msPlayed"],
    })
    return out.sort_values("played_at", kind="stable").reset_index(drop=True)


def read_exportify():
    frames = []
    for i, f in enumerate(sorted(glob.glob(f"{EXPORTIFY}/*.csv"))):
        df = pd.read_csv(f)
        df.columns = [c.strip() for c in df.columns]
        df = df[df["Track Name"].notna()]
        df["playlist"] = os.path.basename(f)[:-4]
        df["position"] = np.arange(len(df))
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def tidytuesday():
    tidy = pd.read_csv(TIDY)
    x = tidy[FEATURES].to_numpy(dtype=float)
    classes = sorted(tidy["playlist_genre"].unique())
    y = tidy["playlist_genre"].map({c: i for i, c in enumerate(classes)}).to_numpy()
    return x, y


def split_rows(name, n):
    test = np.loadtxt(os.path.join(OUT, name), dtype=int, ndmin=1)
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def tidy_split():
    x, y = tidytuesday()
    train, test = split_rows("tidytuesday_test_rows.txt", len(y))
    return x[train], y[train], x[test], y[test]


from sklearn_playlists import PLAYLISTS  # noqa: E402  the six genre playlists, in order


def playlists(features):
    from sklearn_playlists import build
    x, y, _ = build(PLAYLISTS, features)
    train, test = split_rows("playlists_test_rows.txt", len(y))
    return x[train], y[train], x[test], y[test]


def tracks_10k(n=10_000):
    from sklearn.preprocessing import StandardScaler
    sample = pd.read_csv(SAMPLE)
    return StandardScaler().fit_transform(sample[FEATURES].to_numpy(dtype=float)[:n])


def resampled(n):
    xt, yt, xv, yv = tidy_split()
    rows = np.random.default_rng(0).integers(0, len(yt), n)
    return xt[rows], yt[rows], xv, yv


# ---- names (the crate's normalise.rs rules, as pandas string operations) -----------------------

VERSION = r"remaster\w*|feat|ft\.|featuring|with |bonus|deluxe|mono|stereo|single version|album version|radio edit|explicit|live"


def squash(s):
    s = s.str.lower().str.replace("&", " and ", regex=False)
    s = s.str.replace(r"['’.]", "", regex=True).str.replace(r"[^\w]+|_", " ", regex=True)
    return s.str.strip().str.replace(r"\s+", " ", regex=True)


def title_key(s):
    s = s.str.lower()
    s = s.str.replace(r"\s(?:feat\.?|ft\.|featuring)\s.*$", "", regex=True)
    s = s.str.replace(rf"\s*[\(\[][^\)\]]*\b(?:{VERSION})[^\)\]]*[\)\]]", "", regex=True)
    s = s.str.replace(rf"\s-\s.*\b(?:{VERSION}).*$", "", regex=True)
    return squash(s)


def artist_key(s):
    return squash(s.str.lower().str.replace(r"\s(?:feat\.?|ft\.|featuring)\s.*$", "", regex=True))


def catalogue():
    tidy = pd.read_csv(TIDY)
    sample = pd.read_csv(SAMPLE)
    exp = read_exportify()
    parts = [
        pd.DataFrame({"track_id": tidy["track_id"], "name": tidy["track_name"],
                      "artists": tidy["track_artist"]}),
        pd.DataFrame({"track_id": sample["track_id"], "name": sample["track_name"],
                      "artists": sample["artists"].str.replace(";", ", ", regex=False)}),
        pd.DataFrame({"track_id": exp["Track ID"].astype(str).str.rsplit(":", n=1).str[-1],
                      "name": exp["Track Name"], "artists": exp["Artist Name(s)"]}),
    ]
    return pd.concat(parts, ignore_index=True).dropna(subset=["name", "artists"])


def join(plays, cat):
    """Plays matched by normalised artist and title against every artist of a catalogue credit,
    the first catalogue row of a key winning (join_features' rule for plays without an id)."""
    credits = cat.assign(artist=cat["artists"].str.split(", ")).explode("artist")
    keys = pd.DataFrame({"a": artist_key(credits["artist"].astype(str)),
                         "t": title_key(credits["name"].astype(str)),
                         "row": credits.index})
    keys = keys.drop_duplicates(["a", "t"], keep="first")
    p = pd.DataFrame({"a": artist_key(plays["artist"].astype(str)),
                      "t": title_key(plays["track"].astype(str))})
    return p.merge(keys, on=["a", "t"], how="left")


# ---- tasks -------------------------------------------------------------------------------------

def svc(model_args):
    from sklearn.svm import SVC
    xt, yt, xv, yv = playlists(DESCRIPTORS)
    secs, m = median_time(lambda: SVC(**model_args).fit(xt, yt))
    return secs, 100 * (m.predict(xv) == yv).mean(), "accuracy_pct"


def classifier(make, data):
    xt, yt, xv, yv = data
    secs, m = median_time(lambda: make().fit(xt, yt))
    return secs, 100 * (m.predict(xv) == yv).mean(), "accuracy_pct"


def run(task):
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
    from sklearn.preprocessing import StandardScaler
    if task == "load_lastfm_csv":
        secs, df = median_time(read_lastfm)
        return secs, len(df), "rows"
    if task == "load_spotify_extended":
        secs, df = median_time(read_extended)
        return secs, len(df), "rows"
    if task == "load_spotify_account":
        secs, df = median_time(read_account)
        return secs, len(df), "rows"
    if task == "load_tidytuesday_gz":
        secs, df = median_time(lambda: pd.read_csv(TIDY))
        return secs, len(df), "rows"
    if task == "load_tracks_10k":
        secs, df = median_time(lambda: pd.read_csv(SAMPLE))
        return secs, len(df), "rows"
    if task == "load_exportify":
        secs, df = median_time(read_exportify)
        return secs, len(df), "rows"
    if task == "join_lastfm_catalogues":
        plays, cat = read_lastfm(), catalogue()
        secs, j = median_time(lambda: join(plays, cat))
        return secs, 100 * j["row"].notna().mean(), "plays_matched_pct"
    if task == "monthly_and_top40":
        plays = read_lastfm()

        def work():
            months = plays.resample("ME", on="played_at").size()
            g = plays.assign(tk=plays["artist"].str.lower() + "\x00" + plays["track"].str.lower())
            top = g.groupby("artist").agg(plays=("tk", "size"), hours=("ms_played", "sum"),
                                          tracks=("tk", "nunique"))
            top["hours"] /= 3.6e6
            top["plays_per_track"] = top["plays"] / top["tracks"]
            top = top.reset_index().sort_values(["plays", "artist"], ascending=[False, True]).head(40)
            return months, top
        secs, (_, top) = median_time(work)
        return secs, int(top["plays"].sum()), "top40_plays"
    if task == "svc_rbf":
        return svc({})
    if task == "svc_linear":
        return svc({"kernel": "linear", "class_weight": "balanced"})
    if task == "svc_poly":
        return svc({"kernel": "poly", "class_weight": "balanced"})
    if task == "svc_sigmoid":
        return svc({"kernel": "sigmoid", "class_weight": "balanced"})
    if task == "svc_grid_7x8_cv5":
        from sklearn.model_selection import GridSearchCV, StratifiedKFold
        from sklearn.svm import SVC
        xt, yt, xv, yv = playlists(DESCRIPTORS)
        sigmas = [0.5, 1.0] if SMOKE else [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0]
        cs = [1.0, 10.0] if SMOKE else [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0]
        grid = {"gamma": [1 / (2 * s * s) for s in sigmas], "C": cs}

        def search():
            g = GridSearchCV(SVC(class_weight="balanced"), grid, refit=False, n_jobs=THREADS,
                             cv=StratifiedKFold(5, shuffle=True, random_state=0))
            return g.fit(xt, yt)
        secs, g = median_time(search)
        best = SVC(class_weight="balanced", **g.best_params_).fit(xt, yt)
        return secs, 100 * (best.predict(xv) == yv).mean(), "accuracy_pct"
    if task == "mlp_64":
        from sklearn.neural_network import MLPClassifier
        xt, yt, xv, yv = playlists(DESCRIPTORS + ["mode", "loudness", "tempo"])
        s = StandardScaler().fit(xt)
        xt, xv = s.transform(xt), s.transform(xv)
        seeds, epochs = small(5, 1), small(50, 5)

        def fits():
            accs = []
            for seed in range(seeds):
                m = MLPClassifier((64,), activation="logistic", learning_rate_init=0.01,
                                  batch_size=32, max_iter=epochs, alpha=0.0,
                                  n_iter_no_change=epochs + 1, random_state=seed).fit(xt, yt)
                accs.append((m.predict(xv) == yv).mean())
            return accs
        secs, accs = median_time(fits)
        return secs / seeds, 100 * float(np.mean(accs)), "accuracy_pct"
    if task == "decision_tree":
        from sklearn.tree import DecisionTreeClassifier
        return classifier(lambda: DecisionTreeClassifier(random_state=0), tidy_split())
    if task == "random_forest":
        return classifier(lambda: RandomForestClassifier(small(100, 10), random_state=0,
                                                         n_jobs=THREADS), tidy_split())
    if task == "extra_trees":
        return classifier(lambda: ExtraTreesClassifier(small(100, 10), random_state=0,
                                                       n_jobs=THREADS), tidy_split())
    if task == "knn_5":
        from sklearn.neighbors import KNeighborsClassifier
        xt, yt, xv, yv = tidy_split()
        s = StandardScaler().fit(xt)
        xt, xv = s.transform(xt), s.transform(xv)
        n = small(len(yv), 500)
        xv, yv = xv[:n], yv[:n]
        secs, pred = median_time(lambda: KNeighborsClassifier(5, n_jobs=THREADS).fit(xt, yt).predict(xv))
        return secs, 100 * (pred == yv).mean(), "accuracy_pct"
    if task == "kmeans_sweep":
        from sklearn.cluster import KMeans
        x = tracks_10k()
        top = small(15, 3)
        secs, wcss = median_time(lambda: [KMeans(k, n_init=10, random_state=0).fit(x).inertia_
                                          for k in range(1, top + 1)])
        return secs, wcss[min(top, 8) - 1], "wcss_k8"
    if task == "pca":
        from sklearn.decomposition import PCA
        x = tracks_10k()
        secs, p = median_time(lambda: PCA(len(FEATURES)).fit(x))
        return secs, 100 * p.explained_variance_ratio_[0], "first_component_variance_pct"
    if task == "tree_shap":
        import shap
        xt, yt, xv, yv = tidy_split()
        forest = RandomForestClassifier(small(50, 5), max_depth=8, random_state=0,
                                        n_jobs=THREADS).fit(xt, yt)
        x = xv[:small(1000, 50)]
        explainer = shap.TreeExplainer(forest)
        secs, values = median_time(lambda: explainer.shap_values(x))
        values = np.asarray(values)
        if values.shape[0] != len(x):  # older shap: one array per class
            values = np.moveaxis(values, 0, -1)
        err = np.abs(values.sum(axis=1) + explainer.expected_value - forest.predict_proba(x)).max()
        return secs, err, "max_additivity_error"
    if task == "umap":
        import umap
        from sklearn.manifold import trustworthiness
        x = tracks_10k(small(10_000, 1_000))
        secs, e = median_time(lambda: umap.UMAP(random_state=0).fit_transform(x))
        return secs, 100 * trustworthiness(x, e, n_neighbors=10), "trustworthiness_pct"
    if task in ("forest_10k", "forest_100k"):
        n = 10_000 if task == "forest_10k" else 100_000
        return classifier(lambda: RandomForestClassifier(small(100, 10), random_state=0,
                                                         n_jobs=THREADS), resampled(small(n, 2_000)))
    if task == "kmeans_100k":
        from sklearn.cluster import KMeans
        xt = StandardScaler().fit_transform(resampled(small(100_000, 2_000))[0])
        secs, m = median_time(lambda: KMeans(8, n_init=10, random_state=0).fit(xt))
        return secs, m.inertia_, "wcss_k8"
    raise SystemExit(f"bench_peer: unknown task {task!r} (see `bench_peer.py list`)")


def prepare():
    from sklearn.model_selection import train_test_split
    from sklearn_playlists import build
    os.makedirs(OUT, exist_ok=True)
    _, y = tidytuesday()
    _, test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=0)
    np.savetxt(os.path.join(OUT, "tidytuesday_test_rows.txt"), np.sort(test), fmt="%d")
    _, y, _ = build(PLAYLISTS, DESCRIPTORS)
    _, test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=70)
    np.savetxt(os.path.join(OUT, "playlists_test_rows.txt"), np.sort(test), fmt="%d")


if __name__ == "__main__":
    task = sys.argv[1] if len(sys.argv) > 1 else "list"
    OUT = sys.argv[2] if len(sys.argv) > 2 else "target/bench"
    if task == "list":
        print("\n".join(TASKS))
    elif task == "prepare":
        prepare()
    else:
        warnings.filterwarnings("ignore")
        secs, figure, kind = run(task)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"task={task} secs={secs:.6f} figure={float(figure):.9e} kind={kind} peak_mb={peak:.1f}")
