"""Clustering note vectors into themes, and choosing how many themes the notes support.

e5 vectors share a large common direction and a few dominant ones; centring and whitening them
(PCA, each component scaled to unit variance) lets the topic directions count. As the best
number of components varies, KMeans runs on several and a final KMeans groups notes that those
runs keep together (a consensus). Measured on the benchmark (bench/themes.py): NMI 0.51 Swedish,
0.62 polis, against 0.39 / 0.51 for KMeans on the raw vectors and 0.45 / 0.58 with UMAP.

Callers pass rows in a canonical order (see themes.canonical_order): every random step here is
seeded, so the same rows give the same clusters.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

MAX_THEMES = 12  # a process across villages holds 10 to 12 topics (the demo's has 12); the choice may be fewer
MAX_OUTLIER_SHARE = 0.05  # far outliers put in "other", at most this share of the notes
CHOICE_SAMPLE = 200  # notes enough to tell how many themes a large café or process holds (and fast)

# KMeans runs per whitened space: the more runs, the less the consensus depends on the seed.
# On the benchmark's sets (485 and 1,004 notes), the ARI between seeds is 0.81 / 0.89 / 0.81
# (polis, Swedish, English) with 10 runs, 0.98 / 0.93 / 0.91 with 60 and 29; NMI unchanged
# within 0.01. Runs cost time in proportion to the notes, so a café (up to 500 notes) gets 60 and
# a process of thousands 10. The final KMeans's inits matter less (10 or 30: the same ARI).
# Choosing the number of themes tries up to 11 counts, so it uses fewer (its choice, not its
# clusters, is kept).
_RUN_BUDGET, _FEWEST_RUNS, _MOST_RUNS = 30_000, 10, 60  # runs per space: budget / notes, within bounds
_FINAL_INITS = 10
_CHOICE_RUNS_PER_COUNT, _CHOICE_FINAL_INITS = 4, 5


def cluster_vectors(vectors: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """A cluster number (0..k-1) for each row: the consensus of KMeans on whitened spaces."""
    from sklearn.cluster import KMeans

    n = len(vectors)
    if k <= 1 or n <= 1:
        return np.zeros(n, dtype=int)
    if n <= k:
        return np.arange(n)
    spaces = whitened_spaces(vectors)
    if not spaces:  # (almost) identical vectors: nothing to whiten
        return KMeans(k, n_init=3, random_state=seed).fit_predict(vectors - vectors.mean(axis=0))
    runs = min(_MOST_RUNS, max(_FEWEST_RUNS, _RUN_BUDGET // n))
    return _consensus(spaces, k, seed, runs, _FINAL_INITS)


def choose_theme_count(vectors: np.ndarray, seed: int = 0, most: int = MAX_THEMES) -> int:
    """How many themes (2 to `most`) the notes support.

    For each count, the KMeans runs behind the consensus are compared with the consensus itself
    (mean ARI): where the notes hold that many topics, the runs agree with one another. The
    agreement that the same runs reach on points without any structure (random directions,
    whitened alike) is taken off, as more themes agree more by chance; the count with the largest
    gain is chosen. On 36 café-sized samples this chose counts whose NMI is 0.003 below that of
    the true number, against 0.032 for the silhouette gap used before (bench/themes.py). Rows come
    in canonical (hash) order, so the first `CHOICE_SAMPLE` rows are a random sample of a large
    process."""
    sample = vectors[:CHOICE_SAMPLE]
    most = min(most, len(sample) - 1)
    if most <= 2:
        return max(1, most)
    spaces = whitened_spaces(sample)
    if not spaces:
        return 1
    best, best_gain = 2, -np.inf
    for k in range(2, most + 1):
        runs = _runs(spaces, k, seed, _CHOICE_RUNS_PER_COUNT)
        labels = _combined(runs, k, seed, _CHOICE_FINAL_INITS)
        if len(np.unique(labels)) < 2:
            continue
        gain = _agreement(runs, labels) - _structureless_agreement(*sample.shape, k)
        if gain > best_gain:
            best, best_gain = k, gain
    return best


def whitened_spaces(vectors: np.ndarray) -> list[np.ndarray]:
    """The rows centred, whitened on several numbers of top components, as unit rows; empty
    when the rows are (almost) identical."""
    n = len(vectors)
    centred = vectors - vectors.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / n)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    usable = int(np.sum(eigenvalues > 1e-6 * max(eigenvalues[0], 1e-12)))
    if usable < 2:
        return []
    spaces = []
    for dims in _component_counts(n, usable):
        whitened = centred @ eigenvectors[:, :dims] / np.sqrt(eigenvalues[:dims])
        spaces.append(whitened / (np.linalg.norm(whitened, axis=1, keepdims=True) + 1e-12))
    return spaces


def far_outliers(vectors: np.ndarray, labels: np.ndarray) -> set[int]:
    """Rows much farther from their theme's centre than notes usually are: at most 5 %."""
    n = len(vectors)
    if n < 20:
        return set()
    centred = vectors - vectors.mean(axis=0)
    centred = centred / (np.linalg.norm(centred, axis=1, keepdims=True) + 1e-12)
    similarity = np.empty(n)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        centre = centred[rows].mean(axis=0)
        similarity[rows] = centred[rows] @ (centre / (np.linalg.norm(centre) + 1e-12))
    median = np.median(similarity)
    spread = 1.4826 * np.median(np.abs(similarity - median))
    if spread < 1e-6:  # (almost) identical notes: none is far from the others
        return set()
    candidates = np.flatnonzero(similarity < median - 3.5 * spread)
    candidates = candidates[np.argsort(similarity[candidates])][: int(MAX_OUTLIER_SHARE * n)]
    return set(candidates.tolist())


def _consensus(spaces: list[np.ndarray], k: int, seed: int, runs: int, inits: int) -> np.ndarray:
    return _combined(_runs(spaces, k, seed, runs), k, seed, inits)


def _runs(spaces: list[np.ndarray], k: int, seed: int, runs: int) -> list[np.ndarray]:
    """Labels of `runs` seeded KMeans runs with k clusters in each space."""
    from sklearn.cluster import KMeans

    rng = np.random.RandomState(seed)
    return [KMeans(k, n_init=1, random_state=rng.randint(2**31 - 1)).fit_predict(space)
            for space in spaces for _ in range(runs)]


def _combined(runs: list[np.ndarray], k: int, seed: int, inits: int) -> np.ndarray:
    """The consensus: a final KMeans over the runs' memberships groups notes they keep together."""
    from sklearn.cluster import KMeans

    together = np.hstack([np.eye(k, dtype=np.float32)[labels] for labels in runs])
    return KMeans(k, n_init=inits, random_state=seed).fit_predict(together)


def _agreement(runs: list[np.ndarray], consensus: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(np.mean([adjusted_rand_score(labels, consensus) for labels in runs]))


def _component_counts(n: int, usable: int) -> list[int]:
    # Few notes carry few reliable directions: the top count grows with n, up to 40.
    top = max(4, min(40, n // 6, usable))
    counts = {max(2, min(usable, round(top * share))) for share in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)}
    return sorted(counts)


@lru_cache(maxsize=512)
def _structureless_agreement(n: int, dims: int, k: int) -> float:
    """How well the runs agree with their consensus on n random directions in `dims` dimensions,
    whitened as notes are: what a count of k reaches with no topics at all."""
    points = np.random.RandomState(n * 1009 + dims * 31 + k).normal(size=(n, dims))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    spaces = whitened_spaces(points)
    runs = _runs(spaces, k, 0, _CHOICE_RUNS_PER_COUNT)
    return _agreement(runs, _combined(runs, k, 0, _CHOICE_FINAL_INITS))
