"""The ``argos`` engine: installed Argos Translate models, run on CTranslate2 in batches.

For each segment it gives exactly what ``argostranslate.translate.translate(segment, src,
tgt)`` gives with the same package and settings, but translates a whole batch of segments
with a few ``ctranslate2.Translator.translate_batch`` calls instead of one call per sentence.
What is mirrored from argostranslate 1.11 (``translate.apply_packaged_translation`` and the
``CachedTranslation``/``PackageTranslation``/``CompositeTranslation`` wrappers):

* a segment is split into paragraphs on ``\\n``; each paragraph is one sentence: argostranslate's
  splitter (MiniSBD or Stanza) returns a single sentence as the paragraph without its leading
  and trailing whitespace, and an empty or blank paragraph as no sentence at all (translation
  ``""``).  Text that the splitter would cut into several sentences is translated here as
  one: segments are single sentences already;
* tokenization and detokenization with the package's own tokenizer object
  (``argostranslate.package.Package(...).tokenizer``: SentencePiece, or BPE for old packages),
  ``target_prefix`` added and removed, one leading space dropped;
* ``translate_batch(replace_unknowns=True, beam_size=max(1, ARGOS_BEAM_SIZE),
  num_hypotheses=1, length_penalty=0.2, return_scores=True)``; nothing else is passed, so
  CTranslate2's defaults (``max_decoding_length=256``, ``min_decoding_length=0``, …) apply to
  both; the translator uses ``ARGOS_DEVICE_TYPE`` and ``ARGOS_COMPUTE_TYPE`` as
  argostranslate does.  Threads differ unless ``ARGOS_INTER_THREADS``/``ARGOS_INTRA_THREADS``
  are set: batches run one thread each, one per core, in parallel (thread counts change
  speed, not results);
* paragraphs joined with ``\\n`` and leading newlines stripped; a missing pair pivots
  through English (the intermediate text goes through the same steps again).

Batching without changing results: CTranslate2 pads the sentences of a batch to the
longest, and attention over padded keys sums in a different order, which flips near-ties
(on random-weight models, 1-5 sentences in 150 came out different).  So sentences are
batched only with sentences of the same token count (``exact=True``, the default): no
padding, identical numbers; the batches are queued together, largest first, and run in
parallel.
``exact=False`` (``tilmash translate --draft``) batches sentences of any length, sorted by
length: fewer, fuller batches (faster when a job has few sentences of each length, above all
at beam 1, where a batch has a quarter of beam 4's rows), but a sentence
may come out different from argostranslate's on a near-tie.

Heavy modules (ctranslate2, sentencepiece, argostranslate.package) are imported on the first
batch.  Language tags are reduced to Argos codes by their language subtag (``kk-Latn`` →
``kk``): script conversion is the caller's job.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from glossary.langtags import base_language
from translate.engines import Progress
from translate.models import ModelInfo, argos_settings, find_route

__all__ = ["ArgosEngine", "ArgosStats", "DEFAULT_MAX_BATCH_TOKENS", "DRAFT_MAX_BATCH_TOKENS"]

#: tokens (sentences × length) per ``translate_batch`` call
DEFAULT_MAX_BATCH_TOKENS = 4096
#: the same for ``exact=False`` (padded tokens): smaller batches of neighbouring lengths
#: waste less on padding and keep both cores busy to the end
DRAFT_MAX_BATCH_TOKENS = 1024


@dataclass
class ArgosStats:
    """Work done by an engine so far (for progress reports and benchmarks)."""

    #: distinct sentences translated (repeats within one translate_batch call count once)
    sentences: int = 0
    #: ``translate_batch`` calls
    batches: int = 0
    source_tokens: int = 0
    target_tokens: int = 0
    #: wall-clock seconds from the first ``translate_batch`` call to the last result
    seconds: float = 0.0


@dataclass
class _Loaded:
    info: ModelInfo
    package: Any  # argostranslate.package.Package
    translator: Any  # ctranslate2.Translator


class ArgosEngine:
    """Translate with installed Argos Translate packages (see the module docstring)."""

    name = "argos"

    def __init__(
        self,
        beam_size: int | None = None,
        *,
        max_batch_tokens: int | None = None,
        exact: bool = True,
        intra_threads: int | None = None,
        inter_threads: int | None = None,
        device: str | None = None,
        compute_type: str | None = None,
    ) -> None:
        """*beam_size* None = argostranslate's (``ARGOS_BEAM_SIZE``, default 4); other
        None arguments likewise take argostranslate's settings.  *max_batch_tokens* None =
        :data:`DEFAULT_MAX_BATCH_TOKENS`, or :data:`DRAFT_MAX_BATCH_TOKENS` when not *exact*."""
        if max_batch_tokens is None:
            max_batch_tokens = DEFAULT_MAX_BATCH_TOKENS if exact else DRAFT_MAX_BATCH_TOKENS
        if beam_size is not None and beam_size < 1:
            raise ValueError("beam_size must be at least 1")
        if max_batch_tokens < 1:
            raise ValueError("max_batch_tokens must be at least 1")
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.exact = exact
        self._overrides = {
            "intra_threads": intra_threads,
            "inter_threads": inter_threads,
            "device": device,
            "compute_type": compute_type,
        }
        self._loaded: dict[str, _Loaded] = {}
        self.stats = ArgosStats()

    # -- Engine protocol ---------------------------------------------------------------

    def describe(self, source: str, target: str) -> str:
        """``argos en→ru translate-en_ru 1.9``; a pivot names both packages; ``(draft)``
        marks batches of any length (``exact=False``)."""
        route = self.route(source, target)
        src, tgt = base_language(source), base_language(target)
        if not route:
            return f"argos {src}→{tgt} identity"
        hops = "→".join([route[0].from_code, *(m.to_code for m in route)])
        draft = "" if self.exact else " (draft)"
        return f"argos {hops} " + " + ".join(m.describe() for m in route) + draft

    def translate_batch(self, segments: list[str], source: str, target: str, *,
                        progress: Progress | None = None) -> list[str | None]:
        """Translate every segment (all together); same text as argostranslate gives
        (``exact=True``).  *progress* hears of each finished batch, in segments (a pivot's
        two hops count half each)."""
        route = self.route(source, target)
        texts = list(segments)
        total = len(segments)
        last = -1

        def tell(done: int) -> None:
            nonlocal last
            if progress is not None and done != last:
                last = done
                progress(done, total)

        for hop, info in enumerate(route):
            def report(done: int, of: int, hop: int = hop) -> None:
                tell(total * (hop * of + done) // (len(route) * max(of, 1)))
            texts = self._translate_texts(self._load(info), texts, report)
        tell(total)
        return list(texts)

    # -- helpers -----------------------------------------------------------------------

    def route(self, source: str, target: str) -> list[ModelInfo]:
        """The packages used for *source*→*target* (tags reduced to Argos codes)."""
        return find_route(base_language(source), base_language(target))

    def beam(self) -> int:
        """The beam size argostranslate would use: ``max(num_hypotheses=1, beam)``."""
        beam = self.beam_size
        if beam is None:
            beam = int(argos_settings().beam_size)
        return max(1, beam)

    def translator_options(self) -> dict[str, Any]:
        """Options for ``ctranslate2.Translator``: arguments, else argostranslate's settings.

        Threads are the exception when ARGOS_INTER_THREADS / ARGOS_INTRA_THREADS are not set
        (environment or settings.json): argostranslate runs one sentence at a time on
        CTranslate2's default thread pool; batches run best one thread each, as many at once
        as there are cores.  Thread counts change speed, not results.
        """
        settings = argos_settings()
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        explicit = {
            "inter_threads": settings.get_setting("ARGOS_INTER_THREADS"),
            "intra_threads": settings.get_setting("ARGOS_INTRA_THREADS"),
        }
        opts: dict[str, Any] = {
            "device": settings.device,
            "compute_type": settings.compute_type,
            "inter_threads": settings.inter_threads if explicit["inter_threads"] is not None
            else max(1, cores or 1),
            "intra_threads": settings.intra_threads if explicit["intra_threads"] is not None else 1,
        }
        opts.update({k: v for k, v in self._overrides.items() if v is not None})
        return opts

    def _load(self, info: ModelInfo) -> _Loaded:
        key = str(info.path)
        loaded = self._loaded.get(key)
        if loaded is None:
            import ctranslate2
            from argostranslate import package

            translator = ctranslate2.Translator(str(info.path / "model"), **self.translator_options())
            loaded = _Loaded(info, package.Package(info.path), translator)
            self._loaded[key] = loaded
        return loaded

    def _translate_texts(self, model: _Loaded, texts: list[str],
                         report: Progress) -> list[str]:
        """One hop: each text's paragraphs → sentences → batches → joined text."""
        paragraphs = [text.split("\n") for text in texts]
        sentences = sorted({p.strip() for paras in paragraphs for p in paras if p.strip()})
        translated = self._translate_sentences(model, sentences, report)
        out = []
        for paras in paragraphs:
            parts = [translated.get(p.strip(), "").lstrip("\n") for p in paras]
            out.append("\n".join(parts).lstrip("\n"))
        return out

    def _translate_sentences(self, model: _Loaded, sentences: list[str],
                             report: Progress) -> dict[str, str]:
        pkg = model.package
        tokenized = [pkg.tokenizer.encode(s) for s in sentences]
        prefix = pkg.target_prefix
        results: dict[str, str] = {}
        started = time.perf_counter()
        # every batch is queued at once; CTranslate2 runs inter_threads of them in parallel
        jobs = [(batch, model.translator.translate_batch(
            [tokenized[i] for i in batch],
            target_prefix=[[prefix]] * len(batch) if prefix != "" else None,
            replace_unknowns=True,
            max_batch_size=0,
            batch_type="tokens",
            beam_size=self.beam(),
            num_hypotheses=1,
            length_penalty=0.2,
            return_scores=True,
            asynchronous=True,
        )) for batch in self._batches(tokenized)]
        done = 0
        for batch, pending in jobs:
            for i, job in zip(batch, pending):
                tokens = job.result().hypotheses[0]
                self.stats.target_tokens += len(tokens)
                value = pkg.tokenizer.decode(tokens)
                if prefix != "" and value.startswith(prefix):
                    value = value[len(prefix):]
                if value[:1] == " ":
                    value = value[1:]
                results[sentences[i]] = value
            self.stats.batches += 1
            self.stats.sentences += len(batch)
            self.stats.source_tokens += sum(len(tokenized[i]) for i in batch)
            done += len(batch)
            report(done, len(sentences))
        self.stats.seconds += time.perf_counter() - started
        return results

    def _batches(self, tokenized: list[list[str]]) -> list[list[int]]:
        """Indices of *tokenized* grouped into batches of at most max_batch_tokens tokens."""
        if self.exact:
            groups: dict[int, list[int]] = defaultdict(list)
            for i, tokens in enumerate(tokenized):
                groups[len(tokens)].append(i)
            ordered = [groups[n] for n in sorted(groups)]
        else:
            ordered = [sorted(range(len(tokenized)), key=lambda i: len(tokenized[i]))]
        batches: list[list[int]] = []
        for group in ordered:
            batch: list[int] = []
            longest = 0
            for i in group:
                longest = max(longest, len(tokenized[i]), 1)
                if batch and longest * (len(batch) + 1) > self.max_batch_tokens:
                    batches.append(batch)
                    batch, longest = [], max(len(tokenized[i]), 1)
                batch.append(i)
            if batch:
                batches.append(batch)
        # largest first: CTranslate2 runs the queued batches in order on inter_threads
        # workers, and a large batch started last keeps one core busy while the others idle
        # (longest-processing-time-first scheduling; the order never changes a result)
        return sorted(batches, key=lambda b: -len(b) * max(len(tokenized[i]) for i in b))
