"""Machine translation throughput: ``tilmash translate`` against argostranslate and raw CTranslate2.

The model is a real Argos package with random weights and the architecture of Argos's en→ru
1.9 package (:data:`tests.tinymodel.ARGOS_BASE`: Transformer base, 6+6 layers, d_model 512, 8
heads, FFN 2048, 50,000-token shared vocabulary, int8), installed into a temporary
``ARGOS_PACKAGES_DIR``.  Random weights would decode to CTranslate2's 256-token limit, so the
package's weights end outputs after a length ramp (``target_length``): output lengths are a
property of the model, so every side decodes exactly the same tokens as long as it gets the
same input and the same decoding options, and the benchmark checks that the outputs are equal.
(Forcing ``max_decoding_length`` would not do: argostranslate cannot pass it, and a shorter
output still stops early on ``</s>``.)

Sides, each in its own process with the same ``ARGOS_*`` environment (:mod:`benchmarks.mt_worker`):
tilmash (whole document in one engine call), argostranslate (one ``translate`` call per
segment, as a user loops over paragraphs) and raw CTranslate2 (``translate_batch`` on all the
sentences, no pipeline: the ceiling).  The tilmash and ceiling sides run three rounds
(:data:`ROUNDS`) and the fastest counts; argostranslate, ten times slower, runs once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, SEED, VENV_BIN, Row, format_seconds, write_document

__all__ = ["run_mt", "long_document"]

_WORD = re.compile(r"\b[a-z]{4,}\b")
#: rounds of the fast sides per mode (the fastest counts)
ROUNDS = {"smoke": 1, "quick": 3, "full": 3}


def long_document(text: str, copies: int) -> str:
    """*text* followed by ``copies - 1`` variants whose lower-case words (4+ letters) are
    replaced by other words of the text, so that no paragraph with such words repeats (a
    repeat would be translated once by tilmash, a head start that is not batching).  Markup,
    capitalized words, numbers and punctuation stay, so the variants are Markdown of the same
    shape; paragraphs without lower-case words (a date, a byline) do repeat."""
    words = sorted(set(_WORD.findall(text)))
    seen = set(text.split("\n\n"))
    parts = [text.rstrip("\n") + "\n"]
    for k in range(1, copies):
        variant = []
        for n, paragraph in enumerate(text.strip("\n").split("\n\n")):
            new = paragraph
            for salt in range(100):
                counter = iter(range(10**9))

                def swap(m: re.Match[str], key: str = f"{k}:{n}:{salt}", counter: Any = counter) -> str:
                    digest = hashlib.blake2b(f"{key}:{next(counter)}:{m.group(0)}".encode(),
                                             digest_size=4)
                    return words[int.from_bytes(digest.digest(), "big") % len(words)]

                new = _WORD.sub(swap, paragraph)
                if new not in seen or not _WORD.search(paragraph):
                    break
            seen.add(new)
            variant.append(new)
        parts.append(f"\n## Part {k + 1}\n\n" + "\n\n".join(variant) + "\n")
    return "".join(parts)


def training_text(document: str) -> str:
    """Text the benchmark model's SentencePiece is trained on: English prose that ships with
    Python (the ``pydoc`` topics, ~200 kB) and the document's lines twice.  A real Argos
    vocabulary (trained on millions of sentences) has the common words of a news article as
    single pieces; trained on 28 sentences, the seed article came out at 4.7 pieces per word,
    4× longer sources than a real model would see and a different batching problem."""
    from pydoc_data.topics import topics

    prose = [line.strip() for text in topics.values() for line in text.split("\n")
             if len(line.split()) >= 6 and not line.startswith(" ")]
    lines = [line for line in document.split("\n") if line.strip()]
    return "\n".join(prose + lines * 2)


def _cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "tilmash-benchmarks"


def _package(spec: Any) -> Path:
    """Build the package once per spec (cached in the temporary folder)."""
    from tests.tinymodel import build_package

    key = hashlib.sha256(repr(spec).encode()).hexdigest()[:16]
    dest = _cache_dir() / f"model-{key}"
    target = dest / f"{spec.folder_name}.argosmodel"
    if not target.exists():
        build_package(spec, dest)
    return target


def _argos_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update({
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"), "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "PYTHONPATH": str(REPO), "NO_COLOR": "1",
    })
    return env


def _worker(jobs: list[dict[str, Any]], env: dict[str, str]) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "mt_worker.py")], input=json.dumps(jobs),
        capture_output=True, text=True, env=env, cwd=REPO, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _words(segments: list[str]) -> int:
    return sum(len(s.split()) for s in segments)


def run_mt(mode: str, work: Path) -> tuple[dict[str, Any], list[Row]]:
    """Run the section; *mode* is ``smoke``, ``quick`` or ``full``."""
    from tests.tinymodel import ARGOS_BASE, TinyModel

    if mode == "smoke":
        spec, model_name = TinyModel("en", "ru", target_length=12), "tiny (2+2 layers, d32)"
    else:
        spec, model_name = ARGOS_BASE, "Argos base (6+6, d512, 50k vocab, int8)"
    seed = SEED.read_text(encoding="utf-8")
    spec = TinyModel(**{**vars(spec), "from_code": "en", "to_code": "ru",
                        "from_name": "English", "to_name": "Russian",
                        "sp_extra_text": training_text(seed) if mode != "smoke" else ""})
    package = _package(spec)
    home = work / "argos-home"
    env = _argos_env(home)
    installed = subprocess.run([str(VENV_BIN / "tilmash"), "models", "install", str(package)],
                               capture_output=True, text=True, env=env, check=False)
    if installed.returncode != 0:
        raise RuntimeError(f"tilmash models install failed: {installed.stderr}")
    package_dir = next((home / "packages").iterdir())

    documents = {"seed": seed}
    if mode == "full":
        documents["seed×10"] = long_document(seed, 10)

    described = {**vars(spec), "sp_extra_text": f"{spec.sp_extra_text.count(chr(10)) + 1} lines, "
                 f"sha256 {hashlib.sha256(spec.sp_extra_text.encode()).hexdigest()[:12]}"}
    section: dict[str, Any] = {"model": model_name, "spec": described,
                               "package_mb": round(package.stat().st_size / 1e6, 1),
                               "documents": {}}
    rows: list[Row] = []
    for name, text in documents.items():
        folder, doc = write_document(work, "mt", name, text)
        # the fast sides run ROUNDS times, interleaved, and the fastest round counts: other
        # work on the machine only ever adds time (the slow argostranslate side runs once)
        rounds: list[list[dict[str, Any]]] = []
        for r in range(ROUNDS[mode]):
            tb4, tb1, draft = _worker([
                {"mode": "tilmash", "document": str(doc), "workdir": str(folder / f"b4-{r}"),
                 "beam": 4},
                {"mode": "tilmash", "document": str(doc), "workdir": str(folder / f"b1-{r}"),
                 "beam": 1},
                {"mode": "tilmash", "document": str(doc), "workdir": str(folder / f"draft-{r}"),
                 "beam": 1, "draft": True},
            ], env)
            segments = tb4["segments"]
            assert tb1["segments"] == segments == draft["segments"], "the runs sent different segments"
            ceil4, ceil1 = _worker([
                {"mode": "ct2", "segments": segments, "beam": 4, "package": str(package_dir)},
                {"mode": "ct2", "segments": segments, "beam": 1, "package": str(package_dir)},
            ], env)
            rounds.append([tb4, tb1, draft, ceil4, ceil1])
        for side in range(5):
            outputs = [run[side]["outputs"] for run in rounds]
            assert all(o == outputs[0] for o in outputs), "a side's output changed between rounds"
        tb4, tb1, draft, ceil4, ceil1 = (
            min((run[side] for run in rounds), key=lambda x: x["seconds"] + x.get("load_seconds", 0))
            for side in range(5))
        segments = tb4["segments"]
        (argos,) = _worker([{"mode": "argos", "segments": segments}], env)
        words = _words(segments)
        mismatches = [i for i, (a, b) in enumerate(zip(tb4["outputs"], argos["outputs"], strict=True))
                      if a != b]
        target_tokens = tb4["stats"]["target_tokens"]
        doc_result = {
            "segments": len(segments), "words": words,
            "source_tokens": tb4["stats"]["source_tokens"], "target_tokens": target_tokens,
            "tilmash_beam4": _side(tb4["seconds"], words, target_tokens, tb4["stats"]),
            "tilmash_beam1": _side(tb1["seconds"], words, tb1["stats"]["target_tokens"], tb1["stats"]),
            "tilmash_draft": _side(draft["seconds"], words, draft["stats"]["target_tokens"],
                                   draft["stats"]),
            # beam 1 is argostranslate's output at beam 1 (tests/test_argos.py); the draft's
            # any-length batches may flip near-ties
            "draft_differs_from_beam1": sum(
                1 for a, b in zip(tb1["outputs"], draft["outputs"], strict=True) if a != b),
            # every side's time includes its model load (tilmash's call does it inside)
            "argos_beam4": {**_side(argos["seconds"] + argos["load_seconds"], words, target_tokens),
                            "load_seconds": argos["load_seconds"]},
            "ct2_beam4": {**_side(ceil4["seconds"] + ceil4["load_seconds"], words,
                                  ceil4["target_tokens"]), "load_seconds": ceil4["load_seconds"]},
            "ct2_beam1": {**_side(ceil1["seconds"] + ceil1["load_seconds"], words,
                                  ceil1["target_tokens"]), "load_seconds": ceil1["load_seconds"]},
            "round_seconds": {side: [round(run[i]["seconds"] + run[i].get("load_seconds", 0), 3)
                                     for run in rounds]
                              for i, side in enumerate(["tilmash_beam4", "tilmash_beam1",
                                                        "tilmash_draft", "ct2_beam4", "ct2_beam1"])},
            "identical_to_argos": not mismatches,
            "mismatched_segments": len(mismatches),
            "ceiling_differs_from_engine": sum(
                1 for s, o in zip(segments, tb4["outputs"], strict=True)
                if "\n" not in s and s.strip() and ceil4["outputs"].get(s.strip()) != o),
        }
        section["documents"][name] = doc_result
        rows += _rows(name, model_name, doc_result)
    return section, rows


def _side(seconds: float, words: int, target_tokens: int, stats: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    out = {"seconds": seconds, "words_per_s": words / seconds, "tokens_per_s": target_tokens / seconds}
    if stats is not None:
        out["engine_seconds"] = stats["seconds"]
        out["batches"] = stats["batches"]
    return out


def _rows(name: str, model: str, d: dict[str, Any]) -> list[Row]:
    t4, t1, dr, a4 = d["tilmash_beam4"], d["tilmash_beam1"], d["tilmash_draft"], d["argos_beam4"]
    c4, c1 = d["ct2_beam4"], d["ct2_beam1"]

    def fig(side: dict[str, Any]) -> str:
        return f"{side['words_per_s']:.0f} w/s, {side['tokens_per_s']:.0f} tok/s ({format_seconds(side['seconds'])})"

    case = (f"{name}: {d['segments']} segments, {d['words']} words "
            f"({d['source_tokens'] / d['words']:.2f} source tokens/word), {model}")
    same = "outputs identical" if d["identical_to_argos"] else f"{d['mismatched_segments']} segments DIFFER"
    return [
        {"section": "MT", "case": f"{case}; beam 4 vs argostranslate", "tilmash": fig(t4),
         "baseline": "argos " + fig(a4), "ratio": f"{a4['seconds'] / t4['seconds']:.1f}×",
         "target": f"≥ 5× (long doc); {same}"},
        {"section": "MT", "case": f"{name}: beam 4 vs raw CTranslate2 ceiling", "tilmash": fig(t4),
         "baseline": "ct2 " + fig(c4), "ratio": f"{t4['words_per_s'] / c4['words_per_s']:.2f} of ceiling",
         "target": "≥ 0.90 of ceiling"},
        {"section": "MT", "case": f"{name}: --beam 1 vs greedy ceiling", "tilmash": fig(t1),
         "baseline": "ct2 " + fig(c1), "ratio": f"{t1['words_per_s'] / c1['words_per_s']:.2f} of ceiling",
         "target": "near ceiling"},
        {"section": "MT", "case": f"{name}: --draft (beam 1, any-length batches) vs greedy ceiling; "
         f"{d['draft_differs_from_beam1']} of {d['segments']} segments differ from --beam 1",
         "tilmash": fig(dr), "baseline": "ct2 " + fig(c1),
         "ratio": f"{dr['words_per_s'] / c1['words_per_s']:.2f} of ceiling", "target": "near ceiling"},
    ]
