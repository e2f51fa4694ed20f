"""Accounts: argon2id hashes, sessions, API tokens and login limits, on a real SQLite file."""

from __future__ import annotations

import sqlite3
import statistics
import time
import unicodedata

import pytest

from archive.access import Principal
from archive.accounts import Accounts, LoginRefused, LoginThrottled
from archive.errors import NotFound, UsageError
from archive.settings import Settings

PASSWORD = "Mật khẩu của văn thư 2026"


@pytest.fixture
def accounts(settings: Settings) -> Accounts:
    return Accounts(settings)


def test_a_user_logs_in_with_a_vietnamese_password_typed_in_nfc_or_nfd(accounts: Accounts) -> None:
    accounts.add("VanThu", "clerk", "mat", PASSWORD)
    assert accounts.authenticate("vanthu", PASSWORD) == Principal("vanthu", "clerk", "mat")
    nfd = unicodedata.normalize("NFD", PASSWORD)
    assert accounts.authenticate("VANTHU", nfd).name == "vanthu"
    with pytest.raises(LoginRefused):
        accounts.authenticate("vanthu", "Mat khau cua van thu 2026")


def test_passwords_are_stored_as_argon2id_hashes_only(accounts: Accounts, settings: Settings) -> None:
    accounts.add("vanthu", "clerk", "none", PASSWORD)
    raw = (settings.home / "accounts.db").read_bytes()
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(settings.home / "accounts.db") as db:
        (digest,) = db.execute("SELECT password_hash FROM users").fetchone()
    assert digest.startswith("$argon2id$")
    assert (settings.home / "accounts.db").stat().st_mode & 0o777 == 0o600


def test_bad_names_roles_clearances_and_short_passwords_are_refused(accounts: Accounts) -> None:
    with pytest.raises(UsageError, match="vai trò"):
        accounts.add("a1", "boss", "none", PASSWORD)
    with pytest.raises(UsageError, match="mức được tiếp cận"):
        accounts.add("a1", "viewer", "secret", PASSWORD)
    with pytest.raises(UsageError, match="quá ngắn"):
        accounts.add("a1", "viewer", "none", "ngắn")
    with pytest.raises(UsageError, match="không hợp lệ"):
        accounts.add("có dấu cách", "viewer", "none", PASSWORD)
    accounts.add("a1", "viewer", "none", PASSWORD)
    with pytest.raises(UsageError, match="đã có"):
        accounts.add("A1", "viewer", "none", PASSWORD)


def test_an_unknown_user_costs_the_same_time_as_a_wrong_password(accounts: Accounts) -> None:
    accounts.add("vanthu", "clerk", "none", PASSWORD)

    def timed(name: str) -> float:
        t0 = time.perf_counter()
        with pytest.raises(LoginRefused):
            accounts.authenticate(name, "sai mật khẩu rồi")
        return time.perf_counter() - t0

    timed("ai-do")  # the dummy hash is made once
    known = statistics.median(timed("vanthu") for _ in range(3))
    accounts.set("vanthu", enabled=True)  # failures so far stay under the limit
    unknown = statistics.median(timed(f"khong-co-{i}") for i in range(3))
    assert known > 0.005  # argon2id really ran
    # Wide bounds for a busy machine; a shortcut for unknown names would be ~1000× faster.
    assert 0.25 < unknown / known < 4.0


def test_sessions_end_on_logout_password_change_and_disable(accounts: Accounts) -> None:
    accounts.add("vanthu", "clerk", "none", PASSWORD)
    accounts.add("quantri", "admin", "none", PASSWORD)
    sid = accounts.open_session("vanthu")
    assert accounts.session_principal(sid) == Principal("vanthu", "clerk", "none")
    accounts.close_session(sid)
    assert accounts.session_principal(sid) is None

    sid = accounts.open_session("vanthu")
    accounts.set_password("vanthu", "một mật khẩu mới hẳn")
    assert accounts.session_principal(sid) is None

    sid = accounts.open_session("vanthu")
    accounts.disable("vanthu")
    assert accounts.session_principal(sid) is None
    with pytest.raises(LoginRefused):
        accounts.authenticate("vanthu", "một mật khẩu mới hẳn")


def test_role_and_clearance_changes_apply_to_a_live_session(accounts: Accounts) -> None:
    accounts.add("vanthu", "viewer", "none", PASSWORD)
    sid = accounts.open_session("vanthu")
    accounts.set("vanthu", role="clerk", clearance="toi_mat")
    assert accounts.session_principal(sid) == Principal("vanthu", "clerk", "toi_mat")


def test_sessions_expire(settings: Settings) -> None:
    short = Accounts(settings.model_copy(update={"session_hours": 1 / 3600}))
    short.add("vanthu", "clerk", "none", PASSWORD)
    sid = short.open_session("vanthu")
    assert short.session_principal(sid) is not None
    time.sleep(1.1)
    assert short.session_principal(sid) is None


def test_the_session_cookie_value_is_not_stored(accounts: Accounts, settings: Settings) -> None:
    accounts.add("vanthu", "clerk", "none", PASSWORD)
    sid = accounts.open_session("vanthu")
    assert sid.encode() not in (settings.home / "accounts.db").read_bytes()
    assert len(sid) >= 40


def test_api_tokens_are_kept_hashed_and_can_be_revoked(accounts: Accounts, settings: Settings) -> None:
    accounts.add("script", "viewer", "mat", PASSWORD)
    token = accounts.new_token("script", "báo cáo")
    assert token.encode() not in (settings.home / "accounts.db").read_bytes()
    assert accounts.token_principal(token) == Principal("script", "viewer", "mat")
    assert accounts.token_principal(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert accounts.revoke_tokens("script") == 1
    assert accounts.token_principal(token) is None


def test_a_disabled_users_token_stops_working(accounts: Accounts) -> None:
    accounts.add("script", "viewer", "none", PASSWORD)
    accounts.add("quantri", "admin", "none", PASSWORD)
    token = accounts.new_token("script")
    accounts.disable("script")
    assert accounts.token_principal(token) is None


def test_login_is_refused_after_too_many_failures_per_user(settings: Settings) -> None:
    accounts = Accounts(settings.model_copy(update={"login_max_failures": 3}))
    accounts.add("vanthu", "clerk", "none", PASSWORD)
    for _ in range(3):
        with pytest.raises(LoginRefused) as info:
            accounts.authenticate("vanthu", "đoán thử mật khẩu", client="10.0.0.1")
        assert not isinstance(info.value, LoginThrottled)
    with pytest.raises(LoginThrottled, match="thử lại sau"):
        accounts.authenticate("vanthu", PASSWORD, client="10.0.0.2")  # even the right password, from elsewhere


def test_login_is_refused_after_too_many_failures_per_address(settings: Settings) -> None:
    accounts = Accounts(settings.model_copy(update={"login_max_failures_ip": 4}))
    accounts.add("vanthu", "clerk", "none", PASSWORD)
    for i in range(4):
        with pytest.raises(LoginRefused):
            accounts.authenticate(f"nguoi-{i}", "đoán thử mật khẩu", client="10.0.0.9")
    with pytest.raises(LoginThrottled):
        accounts.authenticate("vanthu", PASSWORD, client="10.0.0.9")
    assert accounts.authenticate("vanthu", PASSWORD, client="10.0.0.10").name == "vanthu"


def test_the_last_active_admin_cannot_be_disabled_or_demoted(accounts: Accounts) -> None:
    accounts.add("quantri", "admin", "none", PASSWORD)
    with pytest.raises(UsageError, match="cuối cùng"):
        accounts.disable("quantri")
    with pytest.raises(UsageError, match="cuối cùng"):
        accounts.set("quantri", role="clerk")
    accounts.add("quantri2", "admin", "none", PASSWORD)
    assert accounts.disable("quantri").disabled


def test_unknown_accounts_are_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        accounts.get("khong-co")
    with pytest.raises(NotFound):
        accounts.set_password("khong-co", PASSWORD)


def test_csrf_tokens_are_bound_to_their_session(accounts: Accounts, settings: Settings) -> None:
    a, b = accounts.csrf_token("phien-a"), accounts.csrf_token("phien-b")
    assert a != b and len(a) == 64
    assert Accounts(settings).csrf_token("phien-a") == a  # stable across processes: one key per install
