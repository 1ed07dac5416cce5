"""tilmash: offline translation and glossary tool for kk/ru/en newsrooms.

This package holds what the glossary and translation layers share (errors, safe file
I/O, the workspace config) and the command-line interface.  It is kept import-light:
nothing here imports argostranslate, torch or the CLI at package import time.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
