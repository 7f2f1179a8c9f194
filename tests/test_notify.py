"""Channels, French messages and the apprise send, against real local receivers.

Email goes to a real aiosmtpd server on 127.0.0.1 through apprise's ``mailto://`` (plain SMTP,
throttling off). The generic webhook is apprise's ``json://``. The Slack-shaped message goes
through ``mmost://``: Mattermost's incoming webhooks take Slack's payload and any host, while
Slack's own host (hooks.slack.com) cannot exist on loopback, so ``slack://`` itself is left out.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import typer

from demo.receivers import SilentServer, SmtpReceiver, WebhookReceiver
from flows import notify_cli
from tasks.errors import ConfigError, NotifyError
from tasks.messages import (
    STATUS_LABELS,
    digest_message,
    event_message,
    event_subject,
    status_label,
)
from tasks.notify import (
    HEADER,
    PAYLOAD_FIELD,
    Channel,
    load_channels,
    send,
    send_message,
    split_entries,
)

EVENT = {
    "key": "evt-systeme-u-declined",
    "seq": 1,
    "kind": "status_change",
    "retailer": "systeme-u",
    "retailer_name": "Système U",
    "old_status": "approached",
    "new_status": "declined",
    "reported": 0,
    "sentence": "Système U a décliné l'offre d'Amazon, selon <b>nos</b> informations.",
    "url": "https://www.lsa-conso.fr/amazon-systeme-u?x=1&y=2",
    "source": "LSA",
    "published": "2024-05-02T08:00:00+00:00",
    "also_reported": 3,
}


@pytest.fixture
def hook():
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def smtp():
    with SmtpReceiver() as receiver:
        yield receiver


def one(url: str, tags: str = "") -> Channel:
    env = {"VEILLE_NOTIFY": f"{tags}={url}" if tags else url}
    (channel,) = load_channels(env, throttle=False)
    return channel


# ---- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("json://h/a", [((), "json://h/a")]),
        ("json://h/a mmost://h/t", [((), "json://h/a"), ((), "mmost://h/t")]),
        ("json://h/a,mmost://h/t", [((), "json://h/a"), ((), "mmost://h/t")]),
        (
            "slack,alerts=mmost://h/t\nemail=mailto://u:p@h?to=a@x.fr,b@y.fr",
            [(("slack", "alerts"), "mmost://h/t"), (("email",), "mailto://u:p@h?to=a@x.fr,b@y.fr")],
        ),
        (" digest = json://h/a ,  json://h/b\n", [(("digest",), "json://h/a"), ((), "json://h/b")]),
        ("", []),
    ],
)
def test_split_entries(text: str, expected: list) -> None:
    assert split_entries(text) == expected


def test_split_entries_rejects_text_that_is_not_a_url() -> None:
    with pytest.raises(ConfigError, match="VEILLE_NOTIFY"):
        split_entries("hooks.slack.com/services/x")


def test_channels_from_env_and_file_have_stable_labels_and_no_secret(tmp_path) -> None:
    config = tmp_path / "apprise.yml"
    config.write_text(
        "urls:\n  - json://bob:Hunter2Secret@127.0.0.1:9/file:\n      tag: email, digest\n"
    )
    env = {
        "VEILLE_NOTIFY": "slack=mmost://127.0.0.1:9/TokenAbcSecret9\njson://127.0.0.1:9/plain",
        "VEILLE_NOTIFY_CONFIG": str(config),
    }
    channels = load_channels(env)
    assert [c.schema for c in channels] == ["mmost", "json", "json"]
    assert [c.tags for c in channels] == [("slack",), (), ("digest", "email")]
    assert [c.digest_only for c in channels] == [False, False, True]
    assert [c.shape for c in channels] == ["markdown", "text", "text"]
    assert [c.label for c in load_channels(env)] == [c.label for c in channels]
    for channel in channels:
        assert channel.label.startswith(channel.schema + "-")
        for secret in ("TokenAbcSecret9", "Hunter2Secret"):
            assert secret not in channel.display
            assert secret not in repr(channel)
            assert secret not in str(channel)
            assert secret not in channel.label


def test_config_errors_are_one_line_naming_the_variable(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"VEILLE_NOTIFY: entry 1 \(nope://…\)"):
        load_channels({"VEILLE_NOTIFY": "nope://x"})
    with pytest.raises(ConfigError, match="no such file"):
        load_channels({"VEILLE_NOTIFY_CONFIG": str(tmp_path / "missing.yml")})
    with pytest.raises(ConfigError, match="inside the repository"):
        load_channels({}, config_path=__file__)
    assert load_channels({}) == []


# ---- messages ---------------------------------------------------------------------------------


def test_status_labels_are_french() -> None:
    assert status_label("declined") == "a décliné"
    assert status_label("acquired") == "racheté"
    assert status_label("ended") == "fin du partenariat"
    assert set(STATUS_LABELS) >= {"rumored", "approached", "in_talks", "denied", "partnership"}


def test_subjects() -> None:
    assert event_subject(EVENT) == "[veille] Système U : approché → a décliné"
    new = {**EVENT, "kind": "new_retailer", "retailer_name": "Lidl", "old_status": None}
    assert (
        event_subject({**new, "new_status": "approached"}) == "[veille] Nouveau : Lidl — approché"
    )
    assert event_subject({**EVENT, "reported": 1}).endswith("(non confirmé)")
    assert digest_message([EVENT] * 200, key="dg-x").subject == "[veille] Digest : 200 évolutions"
    assert digest_message([EVENT], key="dg-x").subject == "[veille] Digest : 1 évolution"


def test_event_message_shapes() -> None:
    message = event_message(EVENT)
    assert "**Système U** : approché → **a décliné** _(confirmé)_" in message.markdown
    assert f"> {EVENT['sentence']}" in message.markdown
    assert "[LSA](https://www.lsa-conso.fr/amazon-systeme-u?x=1&y=2)" in message.markdown
    assert "également repris par 3 médias" in message.markdown
    assert "Réf. veille : `evt-systeme-u-declined`" in message.markdown
    assert "&lt;b&gt;nos&lt;/b&gt;" in message.html and "<b>nos</b>" not in message.html
    assert 'href="https://www.lsa-conso.fr/amazon-systeme-u?x=1&amp;y=2"' in message.html
    assert "(non confirmé)" in event_message({**EVENT, "reported": 1}).text
    assert "repris" not in event_message({**EVENT, "also_reported": 0}).text
    assert "1 média" in event_message({**EVENT, "also_reported": 1}).text


def test_a_hostile_link_is_not_linked() -> None:
    message = event_message({**EVENT, "url": "javascript:alert(1)", "source": "<script>"})
    assert "javascript:" not in message.html
    assert "<script>" not in message.html
    assert "](javascript" not in message.markdown


def test_digest_groups_by_retailer_and_bounds_the_chat_shape() -> None:
    names = ["Lidl", "Écomarché", "Casino", "Auchan"]
    events = [
        {**EVENT, "key": f"k{i}", "seq": i, "retailer_name": names[i % 4], "reported": i % 2}
        for i in range(200)
    ]
    message = digest_message(events, key="dg-1234")
    assert message.digest and message.event_count == 200
    assert message.text.index("\nAuchan\n") < message.text.index("\nCasino\n")
    assert message.text.index("\nCasino\n") < message.text.index("\nÉcomarché\n")
    assert message.text.count("https://www.lsa-conso.fr") == 200  # the email lists every event
    assert len(message.markdown) < 4000  # Mattermost cuts at 4,000 characters
    assert "… et 47 autres" in message.markdown
    assert "dg-1234" in message.markdown and "dg-1234" in message.html


# ---- sending, on real receivers ------------------------------------------------------------


def test_email_reaches_a_real_smtp_server(smtp) -> None:
    channel = one(smtp.apprise_url(), tags="email")
    assert channel.shape == "html"
    send_message(channel, event_message(EVENT), timeout=5)
    (mail,) = smtp.wait_for(1)
    assert mail.subject == "[veille] Système U : approché → a décliné"
    assert mail.to == "ops@example.org"
    assert mail.message[HEADER] == EVENT["key"]
    text, html = mail.text or "", mail.html or ""
    assert "Système U : approché → a décliné (confirmé)" in text
    assert "Système U a décliné l'offre d'Amazon, selon <b>nos</b> informations." in text
    assert "https://www.lsa-conso.fr/amazon-systeme-u?x=1&y=2" in text
    assert "Réf. veille : evt-systeme-u-declined" in text
    assert "<blockquote>« Système U a décliné l&#x27;offre" in html
    assert "&lt;b&gt;nos&lt;/b&gt;" in html
    assert '<a href="https://www.lsa-conso.fr/amazon-systeme-u?x=1&amp;y=2">LSA</a>' in html


def test_two_emails_in_a_row_are_not_throttled(smtp) -> None:
    channel = one(smtp.apprise_url())
    started = time.monotonic()
    for key in ("a", "b"):
        send_message(channel, event_message({**EVENT, "key": key}), timeout=5)
    smtp.wait_for(2)
    assert time.monotonic() - started < 2  # apprise's email pacing is 5.5 s when on


def test_generic_webhook_gets_the_json_payload(hook) -> None:
    channel = one(f"json://127.0.0.1:{hook.port}/veille")
    send_message(channel, event_message(EVENT), timeout=5)
    (got,) = hook.wait_for(1)
    assert got.path == "/veille"
    assert got.json["title"] == "[veille] Système U : approché → a décliné"
    assert "« Système U a décliné l'offre d'Amazon" in got.json["message"]
    assert "Également repris par 3 médias." in got.json["message"]
    assert got.json[PAYLOAD_FIELD] == EVENT["key"]
    assert got.headers[HEADER.lower()] == EVENT["key"]


def test_slack_shaped_message_through_mattermost(hook) -> None:
    # Mattermost takes Slack's incoming-webhook payload ({"text": …}, Markdown) on any host.
    channel = one(f"mmost://veille@127.0.0.1:{hook.port}/hooktoken", tags="slack")
    send_message(channel, event_message({**EVENT, "reported": 1}), timeout=5)
    (got,) = hook.wait_for(1)
    assert got.path == "/hooks/hooktoken"
    assert got.json["username"] == "veille"
    text = got.json["text"]
    assert "**Système U** : approché → **a décliné** _(non confirmé)_" in text
    assert "> Système U a décliné l'offre d'Amazon" in text
    assert "[LSA](https://www.lsa-conso.fr/amazon-systeme-u?x=1&y=2)" in text
    assert "également repris par 3 médias" in text
    assert "`evt-systeme-u-declined`" in text


def test_a_refusal_is_a_one_line_notify_error_without_secret(hook) -> None:
    hook.set_down()
    channel = one(f"json://bob:Pa55wordXyz@127.0.0.1:{hook.port}/x")
    with pytest.raises(NotifyError) as info:
        send(channel, "t", "b", "text", timeout=5)
    message = str(info.value)
    assert message.startswith(channel.label + ": ")
    assert "503" in message or "Unavailable" in message
    assert "\n" not in message and "Pa55wordXyz" not in message


def test_a_dead_port_fails_fast(hook) -> None:
    with SilentServer() as silent:
        port = silent.port
    channel = one(f"json://127.0.0.1:{port}/x")  # nothing listens there any more
    started = time.monotonic()
    with pytest.raises(NotifyError):
        send(channel, "t", "b", "text", timeout=5)
    assert time.monotonic() - started < 2


def test_an_endpoint_that_never_answers_is_given_up_within_the_timeout() -> None:
    with SilentServer() as silent:
        for url in (f"json://127.0.0.1:{silent.port}/x", f"mailto://localhost:{silent.port}"):
            if url.startswith("mailto"):
                url += "?smtp=127.0.0.1&mode=insecure&from=v@example.com&to=a@example.com"
            channel = one(url)
            started = time.monotonic()
            with pytest.raises(NotifyError):
                send(channel, "t", "b", "text", timeout=1.0)
            elapsed = time.monotonic() - started
            assert 0.9 <= elapsed < 3.0, (url.split(":")[0], elapsed)
        assert silent.accepted >= 2


# ---- veille test-notify ---------------------------------------------------------------------


def test_test_notify_prints_each_channel_and_fails_if_one_fails(
    hook, smtp, monkeypatch, capsys
) -> None:
    down = WebhookReceiver()
    with down:
        down.set_down()
        monkeypatch.setenv(
            "VEILLE_NOTIFY",
            f"json://127.0.0.1:{hook.port}/ok email={smtp.apprise_url()} "
            f"json://u:TopSecretPw@127.0.0.1:{down.port}/down",
        )
        monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
        with pytest.raises(typer.Exit) as info:
            notify_cli.test_notify_command(timeout=5, json_out=False)
    assert info.value.exit_code == 1
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("  ok") and lines[1].endswith("  ok")
    assert "FAILED" in lines[2] and "TopSecretPw" not in out
    assert hook.wait_for(1)[0].json["title"] == "[veille] Test de notification"
    assert smtp.wait_for(1)[0].subject == "[veille] Test de notification"


def test_test_notify_without_channels_says_so_in_one_line(monkeypatch, capsys) -> None:
    monkeypatch.delenv("VEILLE_NOTIFY", raising=False)
    monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
    with pytest.raises(typer.Exit) as info:
        notify_cli.test_notify_command(timeout=5, json_out=False)
    assert info.value.exit_code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: no notification channel configured")


def test_messages_are_deterministic() -> None:
    assert event_message(EVENT) == event_message(dict(EVENT))
    moment = datetime(2024, 6, 1, tzinfo=UTC)
    from tasks.messages import test_message

    assert test_message(moment).key == "test-20240601T000000"
