"""The patient's clinical history as a PDF: WeasyPrint over a Jinja2 template.

``render_history_pdf(PrintableHistory(...))`` is pure apart from WeasyPrint: everything the
document shows is in the dataclass, gathered (and audited) by the use case beforehand.

As for the invoice PDF in billing, decided once here rather than per request:

- the Jinja environment is built at import; WeasyPrint's font configuration (Pango over
  fontconfig, not safe to share between threads) and the parsed stylesheet are built once per
  thread on its first render (FastAPI runs the sync route in its thread pool);
- WeasyPrint fetches nothing on the document's behalf: the template links nothing and the URL
  fetcher refuses every URL, so no clinical text or name can make the server fetch a URL or
  read a file; autoescape keeps every text a text.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from clinic_records.domain.entries import SECTIONS, Amendment, Entry
from clinic_records.domain.episodes import Episode
from clinic_records.domain.measures import EpisodeOutcome, Instrument, instrument_for
from clinic_records.infrastructure.history_text import LANGUAGES, Language, Locale
from clinic_records.infrastructure.measures import Measure


@dataclass(frozen=True)
class PrintedEntry:
    """A signed entry and its amendments, oldest first."""

    entry: Entry
    amendments: Sequence[Amendment]


@dataclass(frozen=True)
class PrintedOutcome:
    """One instrument's outcome over an episode."""

    instrument: Instrument
    outcome: EpisodeOutcome


@dataclass(frozen=True)
class PrintedEpisode:
    """An episode of care and the outcome of each instrument measured in it."""

    episode: Episode
    outcomes: Sequence[PrintedOutcome]


@dataclass(frozen=True)
class PrintableHistory:
    """Everything the clinical-history PDF shows, oldest first in every section."""

    patient_id: str
    patient_name: str
    language: Language
    issued_at: datetime  # aware; printed in ``zone``
    issued_by: str  # a user id, printed through ``names``
    zone: ZoneInfo
    episodes: Sequence[PrintedEpisode]
    entries: Sequence[PrintedEntry]
    measures: Sequence[Measure]
    names: Mapping[str, str] = field(default_factory=dict)  # staff user id → full name
    # A long history comes in parts: this one holds entries first_entry… of total_entries.
    part: int = 1
    parts: int = 1
    first_entry: int = 1
    total_entries: int = 0

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")

    @property
    def part_line(self) -> dict[str, int] | None:
        """What the part's heading says, or None for a history in one part."""
        if self.parts == 1:
            return None
        last = self.first_entry + len(self.entries) - 1
        return {
            "part": self.part,
            "parts": self.parts,
            "first": self.first_entry,
            "last": last,
            "total": self.total_entries,
        }

    def who(self, user_id: str | None) -> str:
        """A staff member's name as the read model knows it (else the id)."""
        if user_id is None:
            return ""
        return self.names.get(user_id, user_id)

    def reason_of(self, episode_id: str | None) -> str | None:
        """The reason of the patient's episode ``episode_id``."""
        for printed in self.episodes:
            if printed.episode.id == episode_id:
                return printed.episode.fields.reason
        return None


def render_history_pdf(doc: PrintableHistory) -> bytes:
    """The clinical history as an A4 PDF (bytes)."""
    locale = Locale(doc.language)
    html = _template().render(
        doc=doc,
        L=locale.labels,
        fmt=locale,
        sections=SECTIONS,
        instrument_for=instrument_for,
        when=lambda moment: locale.moment(moment.astimezone(doc.zone)),
    )
    state = _resources()
    pdf: bytes | None = weasyprint.HTML(string=html, url_fetcher=state.fetcher).write_pdf(
        stylesheets=[state.stylesheet], font_config=state.fonts
    )
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


class NothingFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # untyped base class
    """Refuses every URL (http, https, file, data…): the history links nothing."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        raise ValueError(f"the clinical history PDF fetches nothing, not {url[:40]!r}")


@dataclass
class _Resources:
    """One thread's WeasyPrint state, reused by every render on that thread."""

    fonts: FontConfiguration
    stylesheet: weasyprint.CSS
    fetcher: NothingFetcher = field(default_factory=NothingFetcher)


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("clinic_records", "templates"),
    autoescape=True,  # clinical text and names are user input: always text, never markup
    undefined=jinja2.StrictUndefined,  # a misspelt label fails the tests, not the printout
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES = files("clinic_records") / "templates"
_local = threading.local()


def _template() -> jinja2.Template:
    return _ENVIRONMENT.get_template("clinical_history.html.j2")


def _resources() -> _Resources:
    resources: _Resources | None = getattr(_local, "resources", None)
    if resources is None:
        fonts = FontConfiguration()
        css = (_TEMPLATES / "clinical_history.css").read_text(encoding="utf-8")
        resources = _Resources(fonts, weasyprint.CSS(string=css, font_config=fonts))
        _local.resources = resources
    return resources
