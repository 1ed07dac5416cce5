"""Translation layer: documents → segments → (catalogues, engine, glossary) → localized documents.

May import :mod:`glossary`; never imports the CLI.  Heavy modules (argostranslate,
ctranslate2, torch) are imported only inside the Argos engine when it runs.
"""
