"""AES-GCM sealing with a key ring: values name their key, rotation keeps old values readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_records.config import RecordsSettings
from clinic_records.infrastructure.crypto import Cipher, KeyRingError, dev_key, load_cipher, new_key


def test_a_sealed_value_names_its_key_and_hides_the_text() -> None:
    cipher = Cipher([new_key("k1")])
    sealed = cipher.seal("Dolor lumbar", "entries.subjective:1")
    assert sealed.startswith("k1:")
    assert "Dolor" not in sealed
    assert cipher.open(sealed, "entries.subjective:1") == "Dolor lumbar"
    assert cipher.seal("x", "c") != cipher.seal("x", "c")  # a fresh nonce each time


def test_a_value_moved_to_another_row_does_not_open() -> None:
    cipher = Cipher([new_key("k1")])
    sealed = cipher.seal("Dolor lumbar", "entries.subjective:1")
    with pytest.raises(KeyRingError):
        cipher.open(sealed, "entries.subjective:2")


def test_rotation_seals_with_the_new_key_and_opens_the_old() -> None:
    old, new = new_key("k1"), new_key("k2")
    sealed_before = Cipher([old]).seal("antes", "c")
    rotated = Cipher.from_text(f"{new.text()},{old.text()}")
    assert rotated.open(sealed_before, "c") == "antes"
    assert rotated.seal("después", "c").startswith("k2:")
    with pytest.raises(KeyRingError):
        Cipher([new]).open(sealed_before, "c")  # the old key removed too early


@pytest.mark.parametrize("text", ["k1", "k1:notbase64!", "k1:c2hvcnQ=", "bad id:AAAA", ""])
def test_malformed_rings_are_refused(text: str) -> None:
    with pytest.raises(KeyRingError):
        Cipher.from_text(text)


def test_the_dev_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = dev_key(tmp_path / "keys")
    assert dev_key(tmp_path / "keys") == first
    assert (tmp_path / "keys" / "dev-records-key").stat().st_mode & 0o077 == 0
    cipher = load_cipher("", "dev", tmp_path / "keys")
    assert cipher.current == first


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    prod = {"app_env": "prod", "database_url": "mysql+pymysql://db/records", "var_dir": tmp_path}
    with pytest.raises(ValueError, match="encryption_keys"):
        RecordsSettings(**prod)
    configured = RecordsSettings(**prod, encryption_keys=new_key("k1").text())
    assert configured.unsafe_for_production() == []
