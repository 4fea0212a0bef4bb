"""The project config file, `corpustools.toml`, one documented object per command.

    [project]                      # the digital edition, for every TEI header (export)
    publisher = "Department of History, University of Somewhere"
    licence = "CC BY 4.0"
    licence_url = "https://creativecommons.org/licenses/by/4.0/"
    encoder = "Ada Example"        # shorthand for one person with the role "Corpus editor"
    institution = "University of Somewhere"
    title = "Scraped articles on the Russian Revolution"
    description = "Articles collected in 2024 for ..."
    edition_date = "2024-05-01"    # the edition's date (also `change_date`); else SOURCE_DATE_EPOCH;
                                   # the clock is never read

    [[project.people]]             # who is responsible for the edition (respStmt), any number
    name = "Ada Example"
    role = "Corpus editor"
    orcid = "0000-0002-1825-0097"  # optional
    affiliation = "University of Somewhere"  # optional

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
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .rules import UserConfig, user_config_from_table
from .tei import Edition
from .tei.elements import Person
from .values import is_iso_date

CONFIG_NAME = "corpustools.toml"
PROJECT_TEXTS = ("publisher", "licence", "licence_url", "encoder", "institution", "title", "description")
PERSON_TEXTS = ("name", "role", "orcid", "affiliation")
DATE_KEYS = ("edition_date", "change_date")  # change_date: the name before 0.2
ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
EPOCH = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class ProjectConfig:
    rules: UserConfig = field(default_factory=UserConfig)
    edition: Edition = field(default_factory=Edition)
    origin: str = ""

    @property
    def change_date(self) -> str:
        """The edition date (the name this had before it was the edition's)."""
        return self.edition.date


def find_config(explicit: Path | None, *folders: Path) -> Path | None:
    """The config to use: the one named, else corpustools.toml in the working folder or beside the input."""
    if explicit is not None:
        return explicit
    for folder in (Path.cwd(), *folders):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None, environment: Mapping[str, str] | None = None) -> ProjectConfig:
    """The project config; the edition date falls back on SOURCE_DATE_EPOCH in `environment`
    (os.environ by default), the reproducible-builds convention, so a build system can date
    the edition without the config naming a date."""
    environment = os.environ if environment is None else environment
    if path is None:
        date, origin = _epoch_date(environment)
        return ProjectConfig(edition=Edition(date=date, date_origin=origin))
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
    date, origin = _config_date(project, path.name)
    if not date:
        date, origin = _epoch_date(environment)
    edition = Edition(
        publisher=str(project.get("publisher", Edition.publisher)),
        licence=str(project.get("licence", "")),
        licence_url=str(project.get("licence_url", "")),
        encoder=str(project.get("encoder", "")),
        corpus_title=str(project.get("title", Edition.corpus_title)),
        corpus_description=str(project.get("description", "")),
        people=_people(project.get("people", []), str(path)),
        institution=str(project.get("institution", "")),
        date=date,
        date_origin=origin,
    )
    rules = user_config_from_table(table, str(path))
    return ProjectConfig(rules=rules, edition=edition, origin=str(path))


def _config_date(project: dict[str, Any], name: str) -> tuple[str, str]:
    for key in DATE_KEYS:
        value = project.get(key, "")
        if value:
            return _as_text(value), f"[project] {key} in {name}"
    return "", ""


def _epoch_date(environment: Mapping[str, str]) -> tuple[str, str]:
    """The UTC day of SOURCE_DATE_EPOCH (seconds since 1970), if set."""
    value = environment.get(EPOCH, "").strip()
    if not value:
        return "", ""
    if not value.isdigit():
        raise ConfigError(f"{EPOCH} must be a whole number of seconds since 1970-01-01 UTC, not {value!r}", EPOCH)
    day = datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc).date().isoformat()
    return day, f"the {EPOCH} environment variable ({value})"


def _as_text(value: object) -> str:
    # An unquoted TOML date is read as a date; a date with a time is not what @when records here.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value if isinstance(value, str) else repr(value)


def _people(value: object, origin: str) -> tuple[Person, ...]:
    """[[project.people]]: each a name, and optionally a role, an ORCID iD and an affiliation."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise ConfigError("[project] people must be an array of tables ([[project.people]])", origin)
    people = []
    for number, entry in enumerate(value, start=1):
        unknown = sorted(set(entry) - set(PERSON_TEXTS))
        if unknown:
            raise ConfigError(f"[[project.people]] {number} has unknown keys: {', '.join(map(repr, unknown))}", origin)
        for key in PERSON_TEXTS:
            if key in entry and not isinstance(entry[key], str):
                raise ConfigError(f"[[project.people]] {number}: {key} must be a string, not {entry[key]!r}", origin)
        if not str(entry.get("name", "")).strip():
            raise ConfigError(f"[[project.people]] {number} has no name", origin)
        orcid = str(entry.get("orcid", ""))
        found = ORCID.match(orcid)
        if orcid and not found:
            raise ConfigError(f"[[project.people]] {number}: orcid {orcid!r} is not an ORCID iD (0000-0002-1825-0097)", origin)
        people.append(
            Person(str(entry["name"]).strip(), str(entry.get("role", "")) or Person.role, found.group(1) if found else "", str(entry.get("affiliation", "")))
        )
    return tuple(people)


def _check_project(project: dict[str, Any], origin: str) -> None:
    """Refuse [project] values the TEI header cannot use: a date written on @when must be a date."""
    for name in PROJECT_TEXTS:
        if name in project and not isinstance(project[name], str):
            raise ConfigError(f"[project] {name} must be a string, not {project[name]!r}", origin)
    for key in DATE_KEYS:
        date = _as_text(project.get(key, ""))
        if date and not is_iso_date(date):
            raise ConfigError(f"[project] {key} must be a date (YYYY-MM-DD), not {project[key]!r}", origin)
    given = {_as_text(project[key]) for key in DATE_KEYS if project.get(key)}
    if len(given) > 1:
        raise ConfigError("[project] edition_date and change_date disagree: give one (change_date is its old name)", origin)
