"""umap-learn peer of listening::models::umap (tests/it/umap.rs).

Writes tests/fixtures/umap/blobs.csv (a fixed, seeded 500 x 8 dataset: five overlapping Gaussian
blobs of unequal spread) and tests/fixtures/umap/umap_learn_seed0.csv (umap-learn's embedding of it,
random_state 0), and prints the figures the test asserts: find_ab_params for a few (min_dist,
spread), and sklearn's trustworthiness (n_neighbors 10) of umap-learn's embeddings for seeds 0-4.

Run: python3 peer/umap_peer.py  (needs umap-learn and scikit-learn; not a project dependency, not
run by CI). The numbers it prints are written into the tests by hand; see peer/README.md.
`--timing` also times umap-learn on 10,000 x 11 rows (single-threaded, as random_state makes it).
"""
import os
import sys
import time

import numpy as np
import sklearn
import umap
from sklearn.manifold import trustworthiness
from umap.umap_ import find_ab_params

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "umap")


def blobs():
    """Five blobs of 100 rows in 8-D: centres N(0, 2.5^2), per-blob spread 0.7-1.5 (they overlap)."""
    rng = np.random.default_rng(2024)
    centres = rng.normal(0.0, 2.5, size=(5, 8))
    spreads = [0.7, 0.9, 1.1, 1.3, 1.5]
    rows = [c + s * rng.standard_normal((100, 8)) for c, s in zip(centres, spreads)]
    return np.round(np.vstack(rows), 6)


def write(path, x, header):
    np.savetxt(path, x, delimiter=",", fmt="%.6f", header=",".join(header), comments="")


def main():
    print(f"umap-learn {umap.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    for min_dist, spread in [(0.1, 1.0), (0.0, 1.0), (0.5, 1.0), (0.25, 2.0), (1.0, 1.0)]:
        a, b = find_ab_params(spread, min_dist)
        print(f"find_ab_params(min_dist {min_dist}, spread {spread}): a = {a!r}, b = {b!r}")

    os.makedirs(OUT, exist_ok=True)
    x = blobs()
    write(os.path.join(OUT, "blobs.csv"), x, [f"f{j}" for j in range(x.shape[1])])
    x = np.loadtxt(os.path.join(OUT, "blobs.csv"), delimiter=",", skiprows=1)
    scores = []
    for seed in range(5):
        emb = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=seed).fit_transform(x)
        t = trustworthiness(x, emb, n_neighbors=10)
        scores.append(t)
        print(f"seed {seed}: trustworthiness {t!r}")
        if seed == 0:
            write(os.path.join(OUT, "umap_learn_seed0.csv"), emb, ["x", "y"])
            e = np.loadtxt(os.path.join(OUT, "umap_learn_seed0.csv"), delimiter=",", skiprows=1)
            print(f"trustworthiness of the written seed-0 embedding: {trustworthiness(x, e, n_neighbors=10)!r}")
    print(f"mean {np.mean(scores)!r}, min {min(scores)!r}, max {max(scores)!r}")

    if "--timing" in sys.argv:
        rng = np.random.default_rng(7)
        big = rng.standard_normal((10_000, 11)) + np.repeat(rng.normal(0, 3, (10, 11)), 1000, axis=0)
        # Compiles numba code first, on the nn-descent path umap-learn takes above 4,096 rows.
        umap.UMAP(random_state=0, n_epochs=5).fit_transform(big[:5000])
        for init in ["spectral", "random"]:
            start = time.perf_counter()
            umap.UMAP(random_state=0, init=init).fit_transform(big)
            print(f"umap-learn 10,000 x 11, init {init}, random_state 0 (single-threaded): "
                  f"{time.perf_counter() - start:.2f} s")

if __name__ == "__main__":
    main()
