"""Authentication over real HTTP to a running ``doithoai serve``: sessions, CSRF, limits, roles, Basic, tokens."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx

from tests.test_web.conftest import PASSWORDS, Server, add_user, csrf_token, doithoai, login


def _basic(name: str, password: str) -> dict[str, str]:
    raw = f"{name}:{password}".encode()  # UTF-8, as browsers and curl send it
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def test_without_credentials_the_api_answers_401_and_pages_send_to_the_login_form(server: Server) -> None:
    with server.client() as anon:
        api = anon.get("/api/search", params={"q": "đối thoại"})
        assert api.status_code == 401
        assert api.json()["error"]["code"] == "unauthorized"
        assert "Bearer" in api.headers["www-authenticate"]
        page = anon.get("/luu-tru", params={"job": "x"})
        assert page.status_code == 303
        assert page.headers["location"] == "/dang-nhap?next=/luu-tru%3Fjob%3Dx"


def test_login_sets_a_strict_httponly_cookie_holding_only_a_random_id(server: Server) -> None:
    client = login(server, "vanthu")
    cookie = next(c for c in client.cookies.jar if c.name == "doithoai_session")
    assert len(cookie.value) >= 40 and "vanthu" not in cookie.value
    with server.client() as fresh:
        token = csrf_token(fresh.get("/dang-nhap").text)
        answer = fresh.post("/dang-nhap", data={"name": "vanthu", "password": PASSWORDS["vanthu"], "_csrf": token},
                            headers={"Origin": server.url})  # fmt: skip
        set_cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie and "secure" not in set_cookie
    assert client.get("/luu-tru").status_code == 200
    assert client.get("/api/runs").status_code == 200


def test_a_wrong_password_is_refused_with_the_form_again(server: Server) -> None:
    with server.client() as client:
        token = csrf_token(client.get("/dang-nhap").text)
        answer = client.post("/dang-nhap", data={"name": "nguoixem", "password": "sai mật khẩu rồi nhé",
                                                 "_csrf": token}, headers={"Origin": server.url})  # fmt: skip
        assert answer.status_code == 401
        assert "sai tên đăng nhập hoặc mật khẩu" in answer.text
        assert "doithoai_session" not in client.cookies


def test_logout_ends_the_session_on_the_server(server: Server) -> None:
    client = login(server, "vanthu")
    stolen = client.cookies["doithoai_session"]
    page = client.get("/tai-khoan")
    out = client.post("/dang-xuat", data={"_csrf": csrf_token(page.text)}, headers={"Origin": server.url})
    assert out.status_code == 303
    with server.client(cookies={"doithoai_session": stolen}) as replay:
        assert replay.get("/luu-tru").status_code == 303
        assert replay.get("/api/runs").status_code == 401


def test_disabling_a_user_ends_their_sessions_at_once(server: Server) -> None:
    add_user(server.env, "tamthoi", "clerk")
    client = login(server, "tamthoi")
    assert client.get("/api/runs").status_code == 200
    assert doithoai(server.env, "users", "disable", "tamthoi").returncode == 0
    assert client.get("/api/runs").status_code == 401
    assert client.get("/luu-tru").status_code == 303


def test_forms_without_the_csrf_token_or_from_another_site_are_refused(server: Server, clerk: httpx.Client) -> None:
    no_token = clerk.post("/luu-tru/luu-ngay", headers={"Origin": server.url})
    assert no_token.status_code == 403
    assert "CSRF" in no_token.text
    token = csrf_token(clerk.get("/luu-tru").text)
    other_site = clerk.post("/luu-tru/luu-ngay", data={"_csrf": token}, headers={"Origin": "http://evil.example"})
    assert other_site.status_code == 403
    wrong = clerk.post("/luu-tru/luu-ngay", data={"_csrf": "0" * 64}, headers={"Origin": server.url})
    assert wrong.status_code == 403
    api_from_elsewhere = clerk.post("/api/ingest", headers={"Origin": "http://evil.example"})
    assert api_from_elsewhere.status_code == 403
    # The same form with its token and from this site goes through.
    ok = clerk.post("/luu-tru/luu-ngay", data={"_csrf": token}, headers={"Origin": server.url})
    assert ok.status_code == 303 and ok.headers["location"].startswith("/luu-tru?job=")


def test_the_login_form_itself_needs_its_csrf_token(server: Server) -> None:
    with server.client() as client:
        client.get("/dang-nhap")
        answer = client.post("/dang-nhap", data={"name": "vanthu", "password": PASSWORDS["vanthu"]},
                             headers={"Origin": server.url})  # fmt: skip
        assert answer.status_code == 403


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(server: Server) -> None:
    add_user(server.env, "doanmo", "viewer")
    with server.client() as client:
        for _ in range(3):  # DOITHOAI_LOGIN_MAX_FAILURES=3 for this server
            token = csrf_token(client.get("/dang-nhap").text)
            form = {"name": "doanmo", "password": "đoán thử lần nữa", "_csrf": token}
            bad = client.post("/dang-nhap", data=form, headers={"Origin": server.url})
            assert bad.status_code == 401
        token = csrf_token(client.get("/dang-nhap").text)
        right = client.post("/dang-nhap", data={"name": "doanmo", "password": PASSWORDS["doanmo"], "_csrf": token},
                            headers={"Origin": server.url})  # fmt: skip
        assert right.status_code == 429
        assert "thử lại sau" in right.text
    basic = httpx.get(server.url + "/api/runs", headers=_basic("doanmo", PASSWORDS["doanmo"]))
    assert basic.status_code == 429


def test_a_viewer_is_refused_a_clerks_action(server: Server) -> None:
    viewer = login(server, "nguoixem")
    assert viewer.get("/api/runs").status_code == 200  # reading is allowed
    token = csrf_token(viewer.get("/luu-tru").text)
    form = viewer.post("/luu-tru/luu-ngay", data={"_csrf": token}, headers={"Origin": server.url})
    assert form.status_code == 403
    api = httpx.post(server.url + "/api/ingest", headers=_basic("nguoixem", PASSWORDS["nguoixem"]))
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "forbidden"


def test_http_basic_decodes_a_vietnamese_password_as_utf8(server: Server) -> None:
    password = PASSWORDS["canbomat"]
    assert not password.isascii()
    ok = httpx.get(server.url + "/api/search", params={"q": "đối thoại"}, headers=_basic("canbomat", password))
    assert ok.status_code == 200 and "total" in ok.json()
    folded = httpx.get(server.url + "/api/search", headers=_basic("canbomat", "Can bo duoc xem van ban mat"))
    assert folded.status_code == 401
    assert folded.headers["www-authenticate"].startswith("Basic")


def test_a_personal_api_token_works_until_revoked_and_follows_role_changes(server: Server) -> None:
    made = doithoai(server.env, "users", "token", "nguoixem", "--label", "script", "--json")
    token = json.loads(made.stdout)["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(server.url + "/api/runs", headers=bearer).status_code == 200
    assert httpx.post(server.url + "/api/quarantine/abcdef123456/retry", headers=bearer).status_code == 403
    assert doithoai(server.env, "users", "set", "nguoixem", "--role", "clerk").returncode == 0
    assert httpx.post(server.url + "/api/quarantine/abcdef123456/retry", headers=bearer).status_code == 404
    assert doithoai(server.env, "users", "set", "nguoixem", "--role", "viewer").returncode == 0
    assert doithoai(server.env, "users", "token", "nguoixem", "--revoke").returncode == 0
    gone = httpx.get(server.url + "/api/runs", headers=bearer)
    assert gone.status_code == 401


def test_logins_and_user_changes_are_in_an_intact_audit_log(server: Server) -> None:
    login(server, "quantri").close()
    entries = json.loads(doithoai(server.env, "audit", "--json").stdout)["entries"]
    actions = {(e["actor"], e["action"]) for e in entries}
    assert ("quantri", "login.ok") in actions
    assert any(a == "login.fail" for _, a in actions)
    assert any(a == "user.add" for _, a in actions)
    assert doithoai(server.env, "audit", "verify").returncode == 0
    admin = login(server, "quantri")
    page = admin.get("/quan-tri/nhat-ky")
    assert page.status_code == 200 and "Chuỗi mã băm nguyên vẹn" in page.text
    assert login(server, "vanthu").get("/quan-tri/nhat-ky").status_code == 403


def test_a_clerk_corrects_a_documents_confidentiality_and_it_is_audited(server: Server, tmp_path: Path) -> None:
    doc = tmp_path / "thong-bao-sua.txt"
    head = "TỈNH ỦY HÀ NAM        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 88-TB/TU        Hà Nam, ngày 2 tháng 5 năm 2024\n\n"
    doc.write_text(head + "THÔNG BÁO\nkết luận cần sửa độ mật\n-----\nNội dung Zyprocalen.\n", encoding="utf-8")
    done = doithoai(server.env, "ingest", "--direct", "--json", str(doc))
    doc_id = json.loads(done.stdout)["files"][0]["id"]
    viewer = login(server, "nguoixem")
    token = csrf_token(viewer.get("/tai-khoan").text)
    refused = viewer.post(f"/documents/{doc_id}/do-mat", data={"level": "mat", "_csrf": token},
                          headers={"Origin": server.url})  # fmt: skip
    assert refused.status_code == 403
    clerk = login(server, "vanthu")
    form = clerk.get(f"/documents/{doc_id}/do-mat")
    assert form.status_code == 200 and "88-TB/TU" in form.text
    fixed = clerk.post(f"/documents/{doc_id}/do-mat", data={"level": "mat", "_csrf": csrf_token(form.text)},
                       headers={"Origin": server.url})  # fmt: skip
    assert fixed.status_code == 303 and fixed.headers["location"] == "/quan-tri/van-ban-mat"
    assert clerk.get(f"/api/documents/{doc_id}").status_code == 404  # register-only: it left the archive
    register = clerk.get("/quan-tri/van-ban-mat")  # vanthu has no clearance: told a file is held, not which
    assert "PHẢI gỡ khỏi máy này" in register.text and "MẬT" in register.text
    assert "88-TB/TU" not in register.text and "thong-bao-sua" not in register.text
    listed = json.loads(doithoai(server.env, "secrets", "list", "--json").stdout)["entries"]
    assert [e["number_symbol"] for e in listed] == ["88-TB/TU"]
    entries = json.loads(doithoai(server.env, "audit", "--action", "document.*", "--json").stdout)["entries"]
    assert entries[0]["actor"] == "vanthu" and entries[0]["target"] == doc_id
    assert entries[0]["detail"]["sau"] == "mat"


def test_an_uploaded_secret_is_held_and_the_ingest_page_says_so_loudly(server: Server) -> None:
    head = "TỈNH ỦY HÀ NAM    ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 90-TB/TU    Hà Nam, ngày 9 tháng 5 năm 2024\nMẬT\n\n"
    text = head + "THÔNG BÁO\nkết luận\n-----\nNội dung Glowmerantis.\n"
    basic = _basic("vanthu", PASSWORDS["vanthu"])
    up = httpx.post(server.url + "/api/inbox", headers=basic, files={"files": ("mat-tai-len.txt", text.encode())})
    assert up.status_code == 201, up.text
    job = httpx.post(server.url + "/api/ingest", headers=basic).json()
    for _ in range(600):
        state = httpx.get(server.url + f"/api/runs/{job['id']}", headers=basic).json()
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    [held] = [f for f in state["files"] if f["name"] == "mat-tai-len.txt"]
    assert "KHÔNG ĐƯỢC LƯU TRÊN MÁY NÀY" in held["reason"]
    page = login(server, "vanthu").get("/luu-tru")
    assert "KHÔNG ĐƯỢC LƯU TRÊN MÁY NÀY" in page.text and "Glowmerantis" not in page.text
    assert not any(server.home.joinpath("inbox").glob("mat-tai-len*"))
    store = server.home / "store"
    assert not any(b"Glowmerantis" in p.read_bytes() for p in store.rglob("*") if p.is_file())
