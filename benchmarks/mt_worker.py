"""One side of the machine-translation benchmark, run in its own process.

argostranslate reads its settings (``ARGOS_*``) at import, so every side runs in a fresh
interpreter with the same environment.  The request (JSON on stdin) is a list of jobs, run in
order; the answer (JSON on stdout) has one result per job:

* ``{"mode": "tilmash", "document": PATH, "workdir": DIR, "beam": N, "draft": BOOL}``:
  ``tilmash translate [--draft]`` en→ru through :func:`translate.pipeline.translate_documents` (empty glossary, argos engine,
  fresh catalogues).  Modules are imported before the clock starts (as on the other
  sides); the model load is timed (as on the other sides).  The engine's ``translate_batch`` is wrapped to record the segments the
  pipeline sent and what came back; the time covers the whole call (document parsing, model
  load, catalogues, outputs).
* ``{"mode": "argos", "segments": [...]}``: ``argostranslate.translate.translate(segment,
  "en", "ru")`` for each segment in turn, as a user of Argos would translate paragraphs; the
  first call on a warm-up sentence loads the model and is timed apart.
* ``{"mode": "ct2", "segments": [...], "beam": N, "package": DIR}``: the ceiling: the same
  sentences tokenized with the package's SentencePiece model and sent to
  ``ctranslate2.Translator.translate_batch`` at once (no pipeline), with the best thread layout
  for a 2-core batch (``inter_threads`` = cores, ``intra_threads`` 1, batches of
  ``max_batch_size`` tokens sorted by length).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]


def _tilmash(job: dict[str, Any]) -> dict[str, Any]:
    from glossary.model import Glossary
    from translate.engines.argos import ArgosEngine
    from translate.pipeline import RunOptions, translate_documents

    recorded: dict[str, Any] = {"segments": [], "outputs": [], "stats": None}
    original = ArgosEngine.translate_batch

    def recording(self: ArgosEngine, segments: list[str], source: str, target: str,
                  **kwargs: Any) -> list[str | None]:
        out = original(self, segments, source, target, **kwargs)
        recorded["segments"] += list(segments)
        recorded["outputs"] += list(out)
        recorded["stats"] = dict(vars(self.stats))
        return out

    ArgosEngine.translate_batch = recording  # type: ignore[method-assign]
    # imports are not timed on any side (argostranslate's happen before its clock starts too)
    import argostranslate.package  # noqa: F401
    import ctranslate2  # noqa: F401
    import sentencepiece  # noqa: F401

    import translate.catalog  # noqa: F401
    import translate.document  # noqa: F401
    import translate.localize  # noqa: F401
    import translate.terms  # noqa: F401
    work = Path(job["workdir"])
    document = Path(job["document"])
    opts = RunOptions(
        source="en", targets=["ru"], glossary=Glossary(), locales=work / "locales",
        output_for=lambda doc, lang: work / "out" / lang / doc.name,
        engine="argos", beam=job["beam"], draft=job.get("draft", False), root=work,
    )
    start = time.perf_counter()
    reports = translate_documents([document], opts)
    seconds = time.perf_counter() - start
    ArgosEngine.translate_batch = original  # type: ignore[method-assign]
    return {"seconds": seconds, "engine_segments": reports[0].engine_segments, **recorded}


def _argos(job: dict[str, Any]) -> dict[str, Any]:
    import argostranslate.translate as translate

    start = time.perf_counter()
    translate.translate("Warm-up.", "en", "ru")
    load = time.perf_counter() - start
    start = time.perf_counter()
    outputs = [translate.translate(text, "en", "ru") for text in job["segments"]]
    return {"seconds": time.perf_counter() - start, "load_seconds": load, "outputs": outputs}


def _ct2(job: dict[str, Any]) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece

    package = Path(job["package"])
    cores = len(os.sched_getaffinity(0))
    start = time.perf_counter()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package / "model"), device="cpu",
                                        inter_threads=cores, intra_threads=1)
    load = time.perf_counter() - start
    sentences = sorted({p.strip() for s in job["segments"] for p in s.split("\n") if p.strip()})
    start = time.perf_counter()
    tokens = sp.encode(sentences, out_type=str)
    results = translator.translate_batch(
        tokens, beam_size=job["beam"], length_penalty=0.2, replace_unknowns=True,
        return_scores=True, max_batch_size=job.get("max_batch_size", 1024), batch_type="tokens")
    outputs = [sp.decode(r.hypotheses[0]) for r in results]
    seconds = time.perf_counter() - start
    # compared with the engine's output after the clock: decoded as argostranslate decodes
    # (SentencePiece leaves "▁" in pieces it does not know, e.g. the model's filler tokens)
    from argostranslate.package import Package

    tokenizer = Package(package).tokenizer
    outputs = [tokenizer.decode(r.hypotheses[0]) for r in results]
    outputs = [out[1:] if out[:1] == " " else out for out in outputs]
    return {
        "seconds": seconds, "load_seconds": load, "sentences": len(sentences),
        "source_tokens": sum(map(len, tokens)),
        "target_tokens": sum(len(r.hypotheses[0]) for r in results),
        "outputs": dict(zip(sentences, outputs, strict=True)),
    }


_MODES = {"tilmash": _tilmash, "argos": _argos, "ct2": _ct2}


def main() -> None:
    """Run the jobs read from stdin; print their results as JSON."""
    sys.path.insert(0, str(REPO))
    jobs = json.load(sys.stdin)
    results = [_MODES[job["mode"]](job) for job in jobs]
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
