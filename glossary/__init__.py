"""Glossary manager: a concept-oriented kk/ru/en term base with transliteration.

Modules: :mod:`glossary.model` (pure data), :mod:`glossary.langtags` (BCP 47 tags),
:mod:`glossary.yamlformat` (the human-first YAML files), :mod:`glossary.tbx` and
:mod:`glossary.csvformat` (interchange), :mod:`glossary.translit` (transliteration),
:mod:`glossary.search` and :mod:`glossary.lint` (services).  This package never imports
:mod:`translate` or the CLI.
"""
