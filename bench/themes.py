"""Benchmark of the theme engine: quality on labelled data, speed and memory at scale.

    .venv/bin/python -m bench.themes        (or: make bench-themes)

Reads every CSV (columns id, text, label) in ../shared/data/themes/ beside the repository, or
in $BYKAFE_THEME_DATA; the data is never copied into the repository. Prints a table and writes
var/bench/themes.json. Vectors of the data files are cached in var/bench/cache/ (by content),
so a second run skips the slow part; embedding speed is measured afresh every run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from facilitation.embeddings import E5_BACKEND, TEXT_BACKEND, backend_name, embed_texts
from facilitation.themes import Note, cluster_vectors, default_theme_count, find_themes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "themes.json"
CACHE = ROOT / "var" / "bench" / "cache"
SCALES = (1_000, 10_000, 100_000)
EMBEDDING_SAMPLE = 1_000
SEEDS = (0, 1, 2)


def main() -> int:
    data_dir = Path(os.environ.get("BYKAFE_THEME_DATA", ROOT.parent / "shared" / "data" / "themes"))
    files = sorted(data_dir.glob("*.csv"))
    if not files:
        print(f"No CSV files in {data_dir}; set BYKAFE_THEME_DATA to a folder of id,text,label files.", file=sys.stderr)
        return 2
    backends = [E5_BACKEND, TEXT_BACKEND] if backend_name() == E5_BACKEND else [TEXT_BACKEND]
    report: dict = {"backends": backends, "machine": f"{os.cpu_count()} cores", "datasets": [], "scale": {}}

    corpora = {}
    for path in files:
        notes, labels = read_labelled(path)
        corpora[path.stem] = (notes, labels)
        for backend in backends:
            vectors = cached_vectors([n.text for n in notes], backend)
            report["datasets"] += quality_rows(path.stem, notes, labels, vectors, backend)
        print_rows([r for r in report["datasets"] if r["file"] == path.stem])

    report["embedding"] = embedding_throughput([n.text for notes, _ in corpora.values() for n in notes], backends)
    all_notes = [n for notes, _ in corpora.values() for n in notes]
    all_vectors = np.vstack([cached_vectors([n.text for n in notes], backends[0]) for notes, _ in corpora.values()])
    report["rerun_500_notes_seconds"] = rerun_time(all_notes, all_vectors, 500)
    report["scale"] = scale_rows(all_notes, all_vectors, report["embedding"])
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nre-run on 500 notes with stored vectors: {report['rerun_500_notes_seconds']:.2f} s")
    print(f"process peak memory: {report['peak_rss_mb']} MB\nwritten: {OUT.relative_to(ROOT)}")
    return 0


def read_labelled(path: Path) -> tuple[list[Note], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [Note(id=r["id"], text=r["text"]) for r in rows], [r["label"] for r in rows]


def cached_vectors(texts: list[str], backend: str) -> np.ndarray:
    digest = hashlib.sha1("\x1e".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{backend}-{digest}.npy"
    if path.exists():
        return np.load(path)
    print(f"embedding {len(texts)} texts with {backend} (cached for next time)...", file=sys.stderr)
    vectors = embed_texts(texts, backend=backend)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def quality_rows(name, notes, labels, vectors, backend) -> list[dict]:
    true_k = len(set(labels))
    rows = []
    for setting, k in (("true k", true_k), ("default k", None)):
        started = time.perf_counter()
        result = find_themes(notes, vectors, n_themes=k, seed=0)
        seconds = time.perf_counter() - started
        peak = peak_memory_mb(lambda: find_themes(notes, vectors, n_themes=k, seed=0))
        scores = [score(labels, notes, find_themes(notes, vectors, n_themes=k, seed=s)) for s in SEEDS[1:]]
        nmi, ari, other = score(labels, notes, result)
        rows.append({
            "file": name, "backend": backend, "method": "engine", "setting": setting,
            "themes": len(result.themes), "true_themes": true_k, "notes": len(notes),
            "nmi": round(nmi, 3), "ari": round(ari, 3), "other_share": round(other, 3),
            "nmi_mean_over_seeds": round(float(np.mean([nmi] + [s[0] for s in scores])), 3),
            "seconds": round(seconds, 2), "peak_mb": peak,
        })
    # A plain baseline for comparison: KMeans on the vectors as they come.
    baseline = KMeans(true_k, n_init=10, random_state=0).fit_predict(vectors)
    rows.append({
        "file": name, "backend": backend, "method": "kmeans baseline", "setting": "true k",
        "themes": true_k, "true_themes": true_k, "notes": len(notes),
        "nmi": round(normalized_mutual_info_score(labels, baseline), 3),
        "ari": round(adjusted_rand_score(labels, baseline), 3), "other_share": 0.0,
    })
    return rows


def score(labels, notes, result) -> tuple[float, float, float]:
    """NMI and ARI with "other" counted as one more group (not left out), and its share."""
    theme_of = {m: i for i, theme in enumerate(result.themes) for m in theme.members}
    predicted = [theme_of.get(n.id, -1) for n in notes]
    return (normalized_mutual_info_score(labels, predicted), adjusted_rand_score(labels, predicted),
            len(result.other) / len(notes))


def embedding_throughput(texts: list[str], backends: list[str]) -> dict:
    sample = [texts[i] for i in np.random.RandomState(0).permutation(len(texts))[:EMBEDDING_SAMPLE]]
    out = {}
    for backend in backends:
        embed_texts(sample[:8], backend=backend)  # load the model first: its load is not throughput
        started = time.perf_counter()
        embed_texts(sample, backend=backend)
        per_second = len(sample) / (time.perf_counter() - started)
        out[backend] = {
            "sample_texts": len(sample),
            "notes_per_second": round(per_second, 1),
            "estimated_seconds": {str(n): round(n / per_second, 1) for n in SCALES},
        }
        print(f"embedding {backend}: {per_second:.1f} notes/s on {len(sample)} texts "
              f"(estimated {SCALES[1] / per_second / 60:.1f} min for {SCALES[1]:,}, "
              f"{SCALES[2] / per_second / 60:.0f} min for {SCALES[2]:,})")
    return out


def rerun_time(notes, vectors, n) -> float:
    """A café of n notes whose vectors are stored: a full theme run, keywords and quotes included."""
    started = time.perf_counter()
    find_themes(notes[:n], vectors[:n])
    return round(time.perf_counter() - started, 3)


def scale_rows(notes, vectors, embedding) -> dict:
    """Clustering at 1k, 10k, 100k notes: real vectors resampled with a little noise."""
    rng = np.random.RandomState(0)
    out = {}
    for n in SCALES:
        picks = rng.randint(len(notes), size=n)
        noisy = vectors[picks] + rng.normal(0, 0.01, size=(n, vectors.shape[1])).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        scaled_notes = [Note(id=i, text=notes[p].text) for i, p in enumerate(picks)]
        k = default_theme_count(n)

        started = time.perf_counter()
        cluster_vectors(noisy, k)
        cluster_seconds = time.perf_counter() - started
        cluster_peak = peak_memory_mb(lambda: cluster_vectors(noisy, k))
        started = time.perf_counter()
        find_themes(scaled_notes, noisy)
        total_seconds = time.perf_counter() - started
        out[str(n)] = {
            "themes": k,
            "cluster_seconds": round(cluster_seconds, 2),
            "cluster_peak_mb": cluster_peak,
            "find_themes_seconds": round(total_seconds, 2),
            "embedding_seconds_estimated": {b: e["estimated_seconds"][str(n)] for b, e in embedding.items()},
        }
        print(f"{n:>7,} notes, {k} themes: clustering {cluster_seconds:6.2f} s (peak {cluster_peak} MB), "
              f"whole run with keywords and quotes {total_seconds:6.2f} s")
    return out


def peak_memory_mb(work) -> float:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def print_rows(rows: list[dict]) -> None:
    for r in rows:
        extra = (f" (mean over seeds {r['nmi_mean_over_seeds']:.3f})  other {r['other_share']:5.1%}  "
                 f"{r['seconds']:5.2f} s  peak {r['peak_mb']} MB") if r["method"] == "engine" else ""
        print(f"{r['file']:<14} {r['backend']:<11} {r['method']:<15} {r['setting']:<9} k={r['themes']:<2} "
              f"NMI {r['nmi']:.3f}  ARI {r['ari']:.3f}{extra}")


if __name__ == "__main__":
    raise SystemExit(main())
