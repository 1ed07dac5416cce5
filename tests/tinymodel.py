"""Build tiny but real Argos Translate packages (``.argosmodel``) offline, for tests and benchmarks.

A package built here is what argostranslate 1.11 expects from a download: a zip holding one
top-level folder with

* ``metadata.json`` (package_version, argos_version, from/to code and name, type ``translate``);
* ``model/``: a CTranslate2 Transformer (``model.bin``, ``config.json``,
  ``shared_vocabulary.json``) with seeded random weights, written with CTranslate2's own spec
  API (``TransformerSpec.from_config`` → weights → ``validate`` → ``optimize`` → ``save``);
* ``sentencepiece.model``: a SentencePiece model (unigram by default) trained on
  :data:`TRAINING_TEXT` plus the spec's ``sp_extra_text``; the model's vocabulary is its
  pieces (plus filler tokens up to ``vocab_size``);
* ``minisbd/<from>.onnx``: the sentence splitter argostranslate 1.11 loads by default.  Without
  it argostranslate downloads a MiniSBD model on first use; this one is a four-node ONNX graph
  (written as protobuf bytes by hand, no ``onnx`` package needed) that never splits, so a
  paragraph is one sentence, as a tilmash segment is;
* ``README.md``.

Random weights rarely pick ``</s>``, so outputs would run to CTranslate2's 256-token limit:
``eos_bias`` raises its logit (lengths then vary from 1 to 256 tokens, a demanding test), and
``target_length`` adds a ramp that ends outputs after roughly that many tokens (benchmarks).

Everything is deterministic for a given :class:`TinyModel` (seeded weights, single-threaded
SentencePiece training, fixed zip timestamps), so a cache keyed on the spec is safe.
:data:`ARGOS_BASE` has the architecture of argos-train's ``config.yml`` (Transformer base:
6+6 layers, d_model 512, 8 heads, FFN 2048, 50k shared vocabulary, int8), for benchmarks.
"""

from __future__ import annotations

import io
import json
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "TinyModel",
    "ARGOS_BASE",
    "TRAINING_TEXT",
    "build_package",
    "build_package_dir",
    "cached_package",
    "never_split_sbd_onnx",
]

#: Text the SentencePiece model is trained on (and a source of test sentences).
TRAINING_TEXT: tuple[str, ...] = (
    "The parliament of Kazakhstan met in Astana on Monday.",
    "Lawmakers approved the budget after a long debate.",
    "The central bank kept its base rate at fourteen percent.",
    "Farmers in the north expect a good wheat harvest this year.",
    "A new railway line will connect Almaty and Bishkek.",
    "The president signed a decree on the development of tourism.",
    "Prices for bread and milk rose in several regions.",
    "Students returned to schools on the first of September.",
    "The weather service warned of strong winds and snow.",
    "Oil exports grew by five percent in the first quarter.",
    "Парламент Казахстана собрался в Астане в понедельник.",
    "Депутаты одобрили бюджет после долгих обсуждений.",
    "Национальный банк сохранил базовую ставку на уровне четырнадцати процентов.",
    "Фермеры на севере ожидают хорошего урожая пшеницы в этом году.",
    "Новая железная дорога соединит Алматы и Бишкек.",
    "Президент подписал указ о развитии туризма.",
    "Цены на хлеб и молоко выросли в нескольких регионах.",
    "Синоптики предупредили о сильном ветре и снеге.",
    "Қазақстан парламенті дүйсенбі күні Астанада жиналды.",
    "Депутаттар ұзақ талқылаудан кейін бюджетті мақұлдады.",
    "Ұлттық банк базалық мөлшерлемені он төрт пайыз деңгейінде сақтады.",
    "Солтүстіктегі фермерлер биыл бидайдың мол өнімін күтеді.",
    "Жаңа теміржол Алматы мен Бішкекті байланыстырады.",
    "Президент туризмді дамыту туралы жарлыққа қол қойды.",
    "Бірнеше өңірде нан мен сүттің бағасы өсті.",
    "Синоптиктер қатты жел мен қар туралы ескертті.",
    "Numbers like 2024, 3.5% and 1 000 000 tenge appear in news too.",
    "Quotes «like this», dashes — and (brackets) are common.",
)


@dataclass(frozen=True)
class TinyModel:
    """What to build; every field has a small default (the whole package is ~220 kB)."""

    from_code: str = "xx"
    to_code: str = "yy"
    from_name: str = ""  # default: "Language xx"
    to_name: str = ""
    package_version: str = "1.0"
    argos_version: str = "1.0"
    encoder_layers: int = 2
    decoder_layers: int = 2
    d_model: int = 32
    heads: int = 4
    ffn: int = 64
    #: CTranslate2 vocabulary size; None = exactly the SentencePiece pieces, a larger number
    #: pads the vocabulary with filler tokens (as a 50k-token real model would have)
    vocab_size: int | None = None
    #: SentencePiece pieces wanted (a soft limit: the small corpus may give fewer)
    sp_vocab_size: int = 400
    #: SentencePiece ``model_type`` (``unigram`` or ``bpe``)
    sp_model_type: str = "unigram"
    #: more training text, one sentence per line (benchmarks train on prose and on the
    #: documents they translate, so words split into as many pieces as a real 50k-piece
    #: vocabulary trained on millions of sentences would split them: ~1.3 per English word,
    #: where the 28 training sentences alone give ~4.7)
    sp_extra_text: str = ""
    #: CTranslate2 weight type, as ``ct2-*-converter --quantization`` (Argos ships int8)
    quantization: str | None = "int8"
    seed: int = 0
    #: added to the output-projection bias of ``</s>``, so random weights still end sentences
    eos_bias: float = 1.5
    #: include the never-splitting MiniSBD model (argostranslate downloads one without it)
    sbd: bool = True
    #: metadata ``target_prefix`` (multilingual packages): a token forced first in the output
    target_prefix: str = ""
    #: make outputs end after roughly this many tokens (see :func:`_length_ramp`; measured
    #: medians: 0.75x at 2 layers/d32, 1.1x at d64/50k vocab, 2.3x at 6 layers/d512); None:
    #: the length is left to chance and ``eos_bias`` (1 token to CTranslate2's 256 limit)
    target_length: int | None = None
    #: weight of the position ramp on ``</s>`` when ``target_length`` is set
    eos_ramp: float = 10.0

    @property
    def folder_name(self) -> str:
        """Top-level folder in the zip, as argospm names packages."""
        return f"translate-{self.from_code}_{self.to_code}-{self.package_version.replace('.', '_')}"

    def metadata(self) -> dict[str, object]:
        """The package's ``metadata.json``."""
        return {
            "package_version": self.package_version,
            "argos_version": self.argos_version,
            "from_code": self.from_code,
            "from_name": self.from_name or f"Language {self.from_code}",
            "to_code": self.to_code,
            "to_name": self.to_name or f"Language {self.to_code}",
            "type": "translate",
            "links": [],
            **({"target_prefix": self.target_prefix} if self.target_prefix else {}),
        }


#: Transformer base as argos-train's config.yml trains it (enc/dec 6, heads 8, 512/2048,
#: 50000 shared SentencePiece vocabulary) and converts it (int8).  110 MB, built in ~8 s;
#: outputs average ~26 tokens (measured on 300 sentences of ~33 source tokens).
ARGOS_BASE = TinyModel(
    encoder_layers=6, decoder_layers=6, d_model=512, heads=8, ffn=2048,
    vocab_size=50000, sp_vocab_size=16000, sp_model_type="bpe", quantization="int8",
    eos_bias=0.0, target_length=13,
)


def _train_sentencepiece(spec: TinyModel) -> bytes:
    import sentencepiece as spm

    out = io.BytesIO()
    extra = [line for line in spec.sp_extra_text.split("\n") if line.strip()]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(TRAINING_TEXT * 4) + extra),
        model_writer=out,
        vocab_size=spec.sp_vocab_size,
        hard_vocab_limit=False,
        model_type=spec.sp_model_type,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return out.getvalue()


def _vocabulary(sp_model: bytes, size: int | None, extra: list[str]) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    # SentencePiece's ids 0-2 are <unk> <s> </s>, the tokens CTranslate2 expects.
    assert pieces[:3] == ["<unk>", "<s>", "</s>"], pieces[:3]
    pieces += [token for token in extra if token not in pieces]
    if size is not None:
        if size < len(pieces):
            raise ValueError(f"vocab_size {size} < {len(pieces)} SentencePiece pieces")
        pieces += [f"▁filler{i}" for i in range(size - len(pieces))]
    return pieces


def _save_ctranslate2(spec: TinyModel, vocabulary: list[str], folder: Path) -> None:
    import numpy as np
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(spec.seed)
    d, v = spec.d_model, len(vocabulary)

    def matrix(rows: int, cols: int) -> np.ndarray:
        return rng.normal(0.0, cols**-0.5, (rows, cols)).astype(np.float32)

    def vector(n: int, scale: float = 0.1) -> np.ndarray:
        return rng.normal(0.0, scale, n).astype(np.float32)

    def linear(layer, rows: int, cols: int) -> None:  # type: ignore[no-untyped-def]
        layer.weight = matrix(rows, cols)
        layer.bias = vector(rows)

    def norm(layer) -> None:  # type: ignore[no-untyped-def]
        layer.gamma = (1.0 + vector(d)).astype(np.float32)
        layer.beta = vector(d)

    def ffn(layer) -> None:  # type: ignore[no-untyped-def]
        norm(layer.layer_norm)
        linear(layer.linear_0, spec.ffn, d)
        linear(layer.linear_1, d, spec.ffn)

    model = TransformerSpec.from_config(
        (spec.encoder_layers, spec.decoder_layers), spec.heads
    )
    model.encoder.embeddings[0].weight = matrix(v, d)
    norm(model.encoder.layer_norm)
    for layer in model.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)
    model.decoder.embeddings.weight = matrix(v, d)
    norm(model.decoder.layer_norm)
    for layer in model.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)
    linear(model.decoder.projection, v, d)
    eos = vocabulary.index("</s>")
    model.decoder.projection.bias[eos] += spec.eos_bias
    if spec.target_length is not None:
        _length_ramp(model, spec, eos)
    model.register_source_vocabulary(vocabulary)
    model.register_target_vocabulary(vocabulary)
    model.validate()
    model.optimize(quantization=spec.quantization)
    model.save(str(folder))


_MAX_POSITIONS = 1024


def _length_ramp(model: Any, spec: TinyModel, eos: int) -> None:
    """Make ``</s>`` likelier at every decoding step, so outputs end near target_length.

    The decoder's position table (normally CTranslate2's sinusoids) gets a last dimension
    holding ``step / target_length``; nothing else writes to that dimension of the residual
    stream (its embedding column and every sublayer output row are zeroed), so after the
    final layer norm it still grows with the step, and the output projection gives it weight
    ``eos_ramp`` towards ``</s>``.  Random weights stay random everywhere else.
    """
    import numpy as np

    d = spec.d_model
    k = d - 1
    steps = np.arange(_MAX_POSITIONS, dtype=np.float64)[:, None]
    rates = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    table = np.zeros((_MAX_POSITIONS, d))
    table[:, 0::2] = np.sin(steps * rates)
    table[:, 1::2] = np.cos(steps * rates)[:, : d // 2]
    table[:, k] = steps[:, 0] / spec.target_length
    decoder = model.decoder
    decoder.position_encodings.encodings = table.astype(np.float32)
    decoder.embeddings.weight[:, k] = 0.0
    for layer in decoder.layer:
        for out in (layer.self_attention.linear[1], layer.attention.linear[2], layer.ffn.linear_1):
            out.weight[k, :] = 0.0
            out.bias[k] = 0.0
    decoder.layer_norm.gamma[k] = 1.0
    decoder.layer_norm.beta[k] = 0.0
    decoder.projection.weight[eos, k] = spec.eos_ramp


# -- a hand-written ONNX model for MiniSBD ------------------------------------------------
# Protobuf wire format: a field is a varint key (number << 3 | wire type) and its payload;
# wire type 0 = varint, 2 = length-delimited (strings, bytes, sub-messages, packed).

def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return _varint(field << 3 | 2) + _varint(len(data)) + data


_FLOAT, _INT64 = 1, 7  # onnx.TensorProto.DataType


def _tensor(name: str, dtype: int, dims: list[int], raw: bytes) -> bytes:
    # TensorProto: dims=1, data_type=2, name=8, raw_data=9
    return b"".join(_int(1, d) for d in dims) + _int(2, dtype) + _bytes(8, name) + _bytes(9, raw)


def _value_info(name: str, dtype: int, dims: list[str]) -> bytes:
    # ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2}}};
    # TensorShapeProto.dim=1: Dimension{dim_param=2}
    shape = b"".join(_bytes(1, _bytes(2, d)) for d in dims)
    tensor_type = _int(1, dtype) + _bytes(2, shape)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def _node(op: str, inputs: list[str], outputs: list[str], attributes: bytes = b"") -> bytes:
    # NodeProto: input=1, output=2, op_type=4, attribute=5
    return (b"".join(_bytes(1, i) for i in inputs) + b"".join(_bytes(2, o) for o in outputs)
            + _bytes(4, op) + attributes)


def never_split_sbd_onnx(lang_code: str) -> bytes:
    """A MiniSBD model (ONNX) whose every character is "no boundary".

    Inputs ``units`` (int64 [batch, chars]) and ``features`` (float [batch, chars, 0]); output
    logits [batch, chars, 5] = 0 + (1, 0, 0, 0, 0).  MiniSBD forces a sentence end on the
    last character, so each paragraph comes back as one sentence, trimmed of surrounding
    whitespace, exactly as a real splitter returns a single sentence.
    """
    value = _tensor("value", _FLOAT, [1], struct.pack("<f", 0.0))
    # AttributeProto: name=1, t=5 (tensor), type=20 (TENSOR=4)
    fill = _bytes(5, _bytes(1, "value") + _bytes(5, value) + _int(20, 4))
    axis = _bytes(5, _bytes(1, "axis") + _int(3, 0) + _int(20, 2))  # i=3, type INT=2
    graph = b"".join([
        _bytes(1, _node("Shape", ["units"], ["batch_chars"])),
        _bytes(1, _node("Concat", ["batch_chars", "classes"], ["out_shape"], axis)),
        _bytes(1, _node("ConstantOfShape", ["out_shape"], ["zeros"], fill)),
        _bytes(1, _node("Add", ["zeros", "no_boundary"], ["logits"])),
        _bytes(2, "never_split"),
        _bytes(5, _tensor("classes", _INT64, [1], struct.pack("<q", 5))),
        _bytes(5, _tensor("no_boundary", _FLOAT, [5], struct.pack("<5f", 1, 0, 0, 0, 0))),
        _bytes(11, _value_info("units", _INT64, ["batch", "chars"])),
        _bytes(11, _value_info("features", _FLOAT, ["batch", "chars", "feats"])),
        _bytes(12, _value_info("logits", _FLOAT, ["batch", "chars", "classes"])),
    ])
    vocab = {"lang": lang_code, "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": ["<PAD>", "<UNK>"], "_unit2id": {"<PAD>": 0, "<UNK>": 1}}
    metadata = {"lang_code": lang_code, "config": json.dumps({"feat_funcs": []}),
                "vocab": json.dumps(vocab)}
    # ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8 ({version=2}),
    # metadata_props=14 ({key=1, value=2})
    return b"".join([
        _int(1, 8),
        _bytes(2, "tilmash-tests"),
        _bytes(7, graph),
        _bytes(8, _int(2, 17)),
        *(_bytes(14, _bytes(1, k) + _bytes(2, v)) for k, v in metadata.items()),
    ])


# -- packages ----------------------------------------------------------------------------

def build_package_dir(spec: TinyModel, parent: Path) -> Path:
    """Write the unpacked package folder ``parent/<spec.folder_name>``; return its path."""
    folder = Path(parent) / spec.folder_name
    (folder / "model").mkdir(parents=True)
    sp_model = _train_sentencepiece(spec)
    (folder / "sentencepiece.model").write_bytes(sp_model)
    extra = [spec.target_prefix] if spec.target_prefix else []
    _save_ctranslate2(spec, _vocabulary(sp_model, spec.vocab_size, extra), folder / "model")
    if spec.sbd:
        (folder / "minisbd").mkdir()
        (folder / "minisbd" / f"{spec.from_code}.onnx").write_bytes(
            never_split_sbd_onnx(spec.from_code))
    (folder / "metadata.json").write_text(
        json.dumps(spec.metadata(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(
        f"# Test model {spec.from_code}→{spec.to_code}\n\nRandom weights; built by "
        "tests/tinymodel.py. Translations are gibberish.\n", encoding="utf-8")
    return folder


def build_package(spec: TinyModel, dest: Path) -> Path:
    """Build ``dest/<folder_name>.argosmodel`` (deterministic bytes); return its path."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / f"{spec.folder_name}.argosmodel"
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        folder = build_package_dir(spec, Path(tmp))
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            entries = sorted(folder.rglob("*"))
            for path in [folder, *entries]:
                name = path.relative_to(folder.parent).as_posix()
                if path.is_dir():
                    info = zipfile.ZipInfo(name + "/", date_time=(1980, 1, 1, 0, 0, 0))
                    info.external_attr = (0o40755 << 16) | 0x10
                    zf.writestr(info, b"")
                else:
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.external_attr = 0o100644 << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
    return target



_CACHE: dict[TinyModel, Path] = {}


def cached_package(spec: TinyModel, tmp_path_factory: Any) -> Path:
    """:func:`build_package` once per test session (pass pytest's ``tmp_path_factory``)."""
    if spec not in _CACHE:
        folder = tmp_path_factory.mktemp(f"argosmodel-{spec.from_code}-{spec.to_code}")
        _CACHE[spec] = build_package(spec, folder)
    return _CACHE[spec]
