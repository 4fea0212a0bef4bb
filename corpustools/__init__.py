"""corpustools: scraped plain-text articles in, a clean, segmented, validated TEI P5 corpus out.

The library API mirrors the command line (the CLI is a thin layer over it):

    from corpustools import clean_text, to_tei_string
    document = clean_text("Socialist Worker\\n\\nA title\\n\\nText ...", "my-id")
    print(document.metadata.title.value)
    print(to_tei_string(document))

Folders (`clean_folder`, `export_folder`, `validate_paths`) and the rest: corpustools.api.
"""

__version__ = "0.1.0"

from .pipeline import clean_text  # noqa: E402
from .tei import build_tei, to_tei_string  # noqa: E402

__all__ = ["__version__", "clean_text", "build_tei", "to_tei_string"]
