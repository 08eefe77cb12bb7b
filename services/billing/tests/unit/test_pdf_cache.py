"""The PDF cache renders each (invoice, version, settings version) once and keeps the newest."""

from __future__ import annotations

import uuid

from clinic_billing.infrastructure.pdf_cache import PdfCache


def test_a_key_is_rendered_once_and_a_new_version_renders_again() -> None:
    cache = PdfCache()
    invoice = uuid.uuid4()
    renders: list[int] = []

    def render(version: int) -> bytes:
        renders.append(version)
        return f"pdf v{version}".encode()

    assert cache.get_or_render((invoice, 2, 1), lambda: render(2)) == b"pdf v2"
    assert cache.get_or_render((invoice, 2, 1), lambda: render(2)) == b"pdf v2"
    assert cache.get_or_render((invoice, 3, 1), lambda: render(3)) == b"pdf v3"
    assert renders == [2, 3]


def test_the_least_recently_printed_is_dropped_first() -> None:
    cache = PdfCache(entries=2)
    first, second, third = (uuid.uuid4() for _ in range(3))
    cache.get_or_render((first, 1, 1), lambda: b"1")
    cache.get_or_render((second, 1, 1), lambda: b"2")
    cache.get_or_render((first, 1, 1), lambda: b"never")  # first is now the most recent
    cache.get_or_render((third, 1, 1), lambda: b"3")  # drops second

    assert cache.get_or_render((first, 1, 1), lambda: b"again") == b"1"
    assert cache.get_or_render((second, 1, 1), lambda: b"re-rendered") == b"re-rendered"
