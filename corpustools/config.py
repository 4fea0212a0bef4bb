"""The project config file, `corpustools.toml`, one documented object per command.

    [project]                      # the digital edition, for every TEI header (export)
    publisher = "Department of History, University of Somewhere"
    licence = "CC BY 4.0"
    licence_url = "https://creativecommons.org/licenses/by/4.0/"
    encoder = "Ada Example"
    title = "Scraped articles on the Russian Revolution"
    description = "Articles collected in 2024 for ..."
    change_date = "2024-05-01"     # the date written on revisionDesc/change (no clock is read)

    [clean]                        # boilerplate removal
    corpus_min_articles = 3        # a line in this many articles of one source is site boilerplate
    disable = ["sharing.count"]    # rule ids, or whole categories ("advertising")

    [[rule]]                       # extra rules, tried before the built-in ones
    id = "site.my-footer"
    category = "legal"
    pattern = '''^Printed from example\\.org'''

    [site."Valley Courier".clean]  # a profile for one source (sub-folder or catalogue source)
    disable = ["navigation.related"]
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .rules import UserConfig, user_config_from_table
from .tei import Edition
from .values import is_iso_date

CONFIG_NAME = "corpustools.toml"
PROJECT_TEXTS = ("publisher", "licence", "licence_url", "encoder", "title", "description")


@dataclass(frozen=True)
class ProjectConfig:
    rules: UserConfig = field(default_factory=UserConfig)
    edition: Edition = field(default_factory=Edition)
    change_date: str = ""
    origin: str = ""


def find_config(explicit: Path | None, *folders: Path) -> Path | None:
    """The config to use: the one named, else corpustools.toml in the working folder or beside the input."""
    if explicit is not None:
        return explicit
    for folder in (Path.cwd(), *folders):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> ProjectConfig:
    if path is None:
        return ProjectConfig()
    try:
        table: dict[str, Any] = tomllib.loads(path.read_text("utf-8"))
    except OSError as problem:
        raise ConfigError(f"cannot read the config: {problem.strerror}", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise ConfigError(f"not valid TOML: {problem}", str(path)) from None
    project = table.get("project", {})
    if not isinstance(project, dict):
        raise ConfigError("[project] must be a table", str(path))
    _check_project(project, str(path))
    edition = Edition(
        publisher=str(project.get("publisher", Edition.publisher)),
        licence=str(project.get("licence", "")),
        licence_url=str(project.get("licence_url", "")),
        encoder=str(project.get("encoder", "")),
        corpus_title=str(project.get("title", Edition.corpus_title)),
        corpus_description=str(project.get("description", "")),
    )
    rules = user_config_from_table(table, str(path))
    return ProjectConfig(rules=rules, edition=edition, change_date=str(project.get("change_date", "")), origin=str(path))


def _check_project(project: dict[str, Any], origin: str) -> None:
    """Refuse [project] values the TEI header cannot use: a date written on @when must be a date."""
    for name in PROJECT_TEXTS:
        if name in project and not isinstance(project[name], str):
            raise ConfigError(f"[project] {name} must be a string, not {project[name]!r}", origin)
    change_date = project.get("change_date", "")
    # An unquoted TOML date is read as a date; a date with a time is not what @when records here.
    if isinstance(change_date, datetime.date) and not isinstance(change_date, datetime.datetime):
        change_date = change_date.isoformat()
    if not isinstance(change_date, str) or (change_date and not is_iso_date(change_date)):
        raise ConfigError(f"[project] change_date must be a date (YYYY-MM-DD), not {change_date!r}", origin)
