"""Login, logout, CSRF and roles in a real browser (Debian's Chromium, headless) against ``doithoai serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.test_web.conftest import PASSWORDS, Server

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def _log_in(page: Page, server: Server, name: str, start: str = "/luu-tru") -> None:
    page.goto(server.url + start)
    expect(page).to_have_url(f"{server.url}/dang-nhap?next={start}")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(server.url + start)


def test_a_clerk_logs_in_with_a_vietnamese_password_and_logs_out(page: Page, server: Server, tmp_path: Path) -> None:
    _log_in(page, server, "vanthu")
    expect(page.get_by_role("heading", name="Lưu trữ văn bản")).to_be_visible()
    page.screenshot(path=str(tmp_path / "luu-tru.png"))
    page.goto(server.url + "/lich")  # every page has the account links and the logout button
    expect(page.get_by_role("link", name="vanthu")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(server.url + "/dang-nhap")
    page.goto(server.url + "/luu-tru")  # the old session is gone on the server too
    expect(page).to_have_url(f"{server.url}/dang-nhap?next=/luu-tru")


def test_a_wrong_password_shows_the_form_again_with_a_message(page: Page, server: Server) -> None:
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("canbomat")
    page.get_by_label("Mật khẩu").fill("không đúng mật khẩu")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#login-error")).to_contain_text("sai tên đăng nhập hoặc mật khẩu")


def test_a_form_whose_csrf_token_was_removed_is_refused(page: Page, server: Server) -> None:
    _log_in(page, server, "vanthu")
    page.evaluate("document.querySelectorAll('#ingest-form input[name=_csrf]').forEach((e) => e.remove())")
    page.evaluate("document.getElementById('ingest-form').submit()")  # a plain submit, without the page's script
    expect(page.get_by_role("alert")).to_contain_text("CSRF")


def test_a_viewer_is_refused_the_clerks_ingest_button(page: Page, server: Server) -> None:
    _log_in(page, server, "nguoixem")
    page.get_by_role("button", name="Lưu ngay").click()
    expect(page.locator("#job")).to_contain_text("không có quyền")


def test_an_admin_sees_the_users_page_and_a_clerk_does_not(page: Page, server: Server) -> None:
    _log_in(page, server, "quantri", start="/quan-tri/nguoi-dung")
    expect(page.get_by_role("cell", name="nguoixem", exact=True)).to_be_visible()
    page.context.clear_cookies()
    _log_in(page, server, "vanthu", start="/tai-khoan")
    page.goto(server.url + "/quan-tri/nguoi-dung")
    expect(page.get_by_role("heading", name="Không có quyền")).to_be_visible()
