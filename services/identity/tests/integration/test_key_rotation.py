"""Key rotation: a second key file is published, signs new tokens, and old tokens stay valid."""

from __future__ import annotations

import jwt
import pytest

from clinic_identity.keys import SigningKey

pytestmark = pytest.mark.integration


def _kid(path) -> str:
    return SigningKey.from_pem(path.read_bytes()).kid


def test_rotation_publishes_both_keys_and_accepts_tokens_of_each(
    client_factory, settings_factory, key_files, api_for
) -> None:
    old_key, new_key = key_files
    before = api_for(client_factory(settings_factory(signing_key_files=[old_key])))
    old_token = before.token("admin@demo.clinic")
    assert jwt.get_unverified_header(old_token)["kid"] == _kid(old_key)

    # The operator adds the new key first: it signs from now on, the old one still verifies.
    rotated = api_for(client_factory(settings_factory(signing_key_files=[new_key, old_key])))
    published = [k["kid"] for k in rotated.client.get("/.well-known/jwks.json").json()["keys"]]
    assert published == [_kid(new_key), _kid(old_key)]
    new_token = rotated.token("admin@demo.clinic")
    assert jwt.get_unverified_header(new_token)["kid"] == _kid(new_key)
    assert rotated.me(new_token).status_code == 200
    assert rotated.me(old_token).status_code == 200

    # Once the old key is withdrawn, its tokens are refused.
    after = api_for(client_factory(settings_factory(signing_key_files=[new_key])))
    assert after.me(new_token).status_code == 200
    assert after.me(old_token).status_code == 401
