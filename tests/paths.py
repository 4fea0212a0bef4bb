"""Where the test data lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
CORPUS = ROOT / "tests" / "corpus"
SEED_IDS = ("000_7584a26c6b66eb82", "002_89b6ca824f38df5a", "004_7ffd91957bcffdf4")
