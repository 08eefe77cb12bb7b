"""The clinic-identity command: create users, reset passwords, seed the demo."""

from __future__ import annotations

import pytest

from clinic_identity import cli

pytestmark = pytest.mark.integration


def test_create_user_reads_the_password_from_the_named_env_var(
    client, api, settings, monkeypatch
) -> None:
    monkeypatch.setenv("NEW_ADMIN_PASSWORD", "from-the-env-1")
    output = cli.run(
        [
            "create-user",
            "--email",
            "Jefa@Demo.Clinic",
            "--name",
            "Montse Roca",
            "--roles",
            "ROLE_ADMIN, ROLE_PRACTITIONER",
            "--password-env",
            "NEW_ADMIN_PASSWORD",
        ],
        settings,
    )
    assert "jefa@demo.clinic" in output
    response = api.login("jefa@demo.clinic", "from-the-env-1")
    assert response.status_code == 200
    assert response.json()["user"]["roles"] == ["ROLE_ADMIN", "ROLE_PRACTITIONER"]


def test_create_user_prompts_twice_when_no_env_var(client, api, settings, monkeypatch) -> None:
    answers = iter(["typed-secret-1", "typed-secret-1"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt: next(answers))
    cli.run(
        ["create-user", "--email", "x@demo.clinic", "--name", "X", "--roles", "ROLE_RECEPTIONIST"],
        settings,
    )
    assert api.login("x@demo.clinic", "typed-secret-1").status_code == 200


def test_mismatched_prompt_and_bad_input_fail_cleanly(
    client, settings, monkeypatch, capsys
) -> None:
    answers = iter(["typed-secret-1", "typed-secret-2"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt: next(answers))
    monkeypatch.setattr(cli, "IdentitySettings", lambda: settings)
    args = ["create-user", "--email", "y@demo.clinic", "--name", "Y", "--roles", "ROLE_ADMIN"]
    assert cli.main(args) == 1
    assert "differ" in capsys.readouterr().err
    monkeypatch.setenv("PW", "long-enough-1")
    bad = [
        "create-user",
        "--email",
        "nope",
        "--name",
        "Y",
        "--roles",
        "ROLE_X",
        "--password-env",
        "PW",
    ]
    assert cli.main(bad) == 2
    err = capsys.readouterr().err
    assert "email" in err
    assert "roles" in err
    dup = [
        "create-user",
        "--email",
        "admin@demo.clinic",
        "--name",
        "Y",
        "--roles",
        "ROLE_ADMIN",
        "--password-env",
        "PW",
    ]
    assert cli.main(dup) == 1
    assert "email" in capsys.readouterr().err


def test_reset_password_ends_sessions(client, api, settings, monkeypatch) -> None:
    token = api.token("fisio@demo.clinic")
    monkeypatch.setenv("RESET_PW", "brand-new-pass")
    cli.run(
        ["reset-password", "--email", "FISIO@demo.clinic", "--password-env", "RESET_PW"], settings
    )
    assert api.me(token).status_code == 401
    assert api.login("fisio@demo.clinic", "brand-new-pass").status_code == 200


def test_seed_demo_is_idempotent_and_refused_in_production(
    client, settings, settings_factory, key_files
) -> None:
    assert "none" in cli.run(["seed-demo"], settings)
    prod = settings_factory(app_env="prod", signing_key_files=[key_files[0]])
    with pytest.raises(RuntimeError, match="production"):
        cli.run(["seed-demo"], prod)


def test_republish_outbox_sends_user_events_again_after_a_lost_stream(client, settings) -> None:
    """Redis came back empty: the operator marks what was published since then to go again."""
    from sqlalchemy import select, update

    from clinic_identity.models import outbox
    from clinic_shared.clock import utcnow

    services = client.app.state.services
    with services.new_session() as db, db.begin():
        db.execute(update(outbox).values(published_at=utcnow()))
        total = len(db.execute(select(outbox.c.id)).all())

    answer = cli.run(["republish-outbox", "--since", "2000-01-01T00:00:00Z"], settings)

    assert total > 0  # the demo users' user.registered events
    assert answer.startswith(f"{total} event(s) published since")
