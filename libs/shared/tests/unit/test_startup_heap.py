"""A service freezes its startup heap once, when it has started (each case in a fresh
interpreter: a freeze lasts as long as the process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_heap_is_frozen_once_per_process_after_a_collection() -> None:
    out = _run("""
        import gc, weakref
        from clinic_shared.startup_heap import freeze_startup_heap

        class Node:
            pass

        gc.disable()  # nothing collects by itself meanwhile
        garbage = Node(); garbage.me = garbage; gone = weakref.ref(garbage); del garbage
        kept = Node(); kept.me = kept
        first = freeze_startup_heap()
        frozen = gc.get_freeze_count()
        print(first, frozen > 0, freeze_startup_heap(), gc.get_freeze_count() == frozen)
        print(gone() is None, any(o is kept for o in gc.get_objects()))
    """)
    # The cycle nobody held was collected, not frozen; the one kept is frozen (out of the
    # generations the collector walks); a second call freezes nothing more.
    assert out.splitlines() == ["True True False True", "True False"]


def test_a_service_app_freezes_its_heap_when_it_has_started() -> None:
    out = _run("""
        import gc
        from fastapi.testclient import TestClient
        from clinic_shared.app import create_service_app
        from clinic_shared.auth import JwksCache, JwtVerifier
        from clinic_shared.settings import ServiceSettings

        settings = ServiceSettings(service_name="gadgets", app_env="test", database_url="sqlite://")
        verifier = JwtVerifier(JwksCache(lambda: {"keys": []}), issuer="i", audience="a")
        app = create_service_app(settings, title="Gadgets", verifier=verifier)
        before = gc.get_freeze_count()
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
            print(before, gc.get_freeze_count() > 1000)
    """)
    assert out == "0 True"
