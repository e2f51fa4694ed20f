"""The clerks' pages in a real browser (Debian's Chromium, headless) against a running server."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import docx
import pytest
from playwright.sync_api import Page, expect

from tests.test_web.conftest import REPO_SAMPLES, Server, browser_login, screenshot

pytestmark = pytest.mark.slow


@pytest.fixture
def server(page: Page, archive_server: Server) -> Server:
    """The session's archive, with this test's browser logged in as a clerk (vanthu)."""
    browser_login(page, archive_server)
    return archive_server


@pytest.fixture
def writable(page: Page, writable_server: Server) -> Server:
    browser_login(page, writable_server)
    return writable_server


def _search(page: Page, server: Server, text: str) -> None:
    page.goto(server.url + "/")
    page.get_by_label("Tìm văn bản").fill(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _total(page: Page) -> int:
    line = page.locator(".count-line").inner_text()
    return int(re.match(r"([\d.]+) văn bản", line)[1].replace(".", ""))  # type: ignore[index]


def test_search_with_and_without_diacritics(page: Page, server: Server) -> None:
    _search(page, server, "giai phong mat bang")
    plain = _total(page)
    titles = page.locator(".hit-title").all_inner_texts()
    screenshot(page, "tim-kiem")
    _search(page, server, "giải phóng mặt bằng")
    assert _total(page) == plain >= 3
    assert sorted(page.locator(".hit-title").all_inner_texts()) == sorted(titles)  # exact spellings rank first
    expect(page.locator(".snippet b").first).to_be_visible()
    assert parse_qs(urlparse(page.url).query)["q"] == ["giải phóng mặt bằng"]


def test_a_facet_click_filters_and_the_url_holds_it(page: Page, server: Server) -> None:
    _search(page, server, "doi thoai")
    before = _total(page)
    page.locator(".facet", has_text="Loại văn bản").get_by_role("link", name=re.compile("^Thông báo")).click()
    page.wait_for_load_state()
    query = parse_qs(urlparse(page.url).query)
    assert query["type"] == ["thong_bao"] and query["q"] == ["doi thoai"]
    assert 0 < _total(page) < before
    assert set(page.locator(".hit .meta .type").all_inner_texts()) == {"Thông báo"}
    page.reload()  # the URL alone gives the same page: bookmarks and links work
    assert set(page.locator(".hit .meta .type").all_inner_texts()) == {"Thông báo"}


def test_pages_of_results(page: Page, server: Server) -> None:
    _search(page, server, "doi thoai")
    assert _total(page) > 20
    first = page.locator(".hit-title").all_inner_texts()
    page.get_by_role("link", name="Trang sau ›").click()
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query)["page"] == ["2"]
    assert "hiển thị 21–" in page.locator(".count-line").inner_text()
    assert not set(first) & set(page.locator(".hit-title").all_inner_texts())
    page.get_by_role("link", name="‹ Trang trước").click()
    assert page.locator(".hit-title").all_inner_texts() == first


def test_a_typed_number_opens_its_document(page: Page, server: Server) -> None:
    _search(page, server, "1876/TB-TU")  # the State spelling of the Party number 1876-TB/TU
    page.locator(".suggest a").click()
    page.wait_for_load_state()
    assert "/documents/" in page.url
    expect(page.locator(".kicker")).to_contain_text("Số 1876-TB/TU")


def test_document_page_citations_both_ways(page: Page, server: Server) -> None:
    page.goto(server.url + "/so/1876-TB/TU?q=Quỳnh Lưu")
    expect(page.locator("h1")).to_contain_text("Quỳnh Lưu")
    expect(page.locator(".page-text mark").first).to_be_visible()  # the search words, highlighted
    table = page.locator("section", has=page.locator("#h-stats"))
    expect(table).to_contain_text("Lượt người tham dự")
    assert "luot_nguoi" not in page.content()
    screenshot(page, "van-ban")
    page.locator(".links").get_by_role("link", name="172-KH/TU").click()
    page.wait_for_load_state()
    expect(page.locator(".kicker")).to_contain_text("172-KH/TU")
    cited_by = page.locator(".links ul").last
    expect(cited_by).to_contain_text("1876-TB/TU")
    expect(cited_by).not_to_contain_text("99-TB/TU")  # MẬT: not for this clerk
    cited_by.get_by_role("link", name="1876-TB/TU").click()
    expect(page.locator(".kicker")).to_contain_text("1876-TB/TU")


def test_the_three_downloads(page: Page, server: Server, tmp_path: Path) -> None:
    page.goto(server.url + "/so/48-KH/TU")
    got = {}
    for name in ("Bản gốc", "Bản PDF tìm được chữ", "Nội dung chữ"):
        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile("^" + name)).click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        got[name] = target
    assert got["Bản gốc"].name == "ke-hoach-bac-giang-2021.pdf"
    assert got["Bản gốc"].read_bytes() == (REPO_SAMPLES / "ke-hoach-bac-giang-2021.pdf").read_bytes()
    assert got["Bản PDF tìm được chữ"].read_bytes().startswith(b"%PDF")
    assert "Bắc Giang" in got["Nội dung chữ"].read_text(encoding="utf-8")


def test_a_scanned_page_is_viewable(page: Page, server: Server) -> None:
    page.goto(server.url + "/so/318-TB/HU")
    link = page.get_by_role("link", name="Xem ảnh trang")
    response = page.request.get(server.url + link.get_attribute("href"))  # type: ignore[operator]
    assert response.ok and response.headers["content-type"].startswith("image/")


def test_an_unknown_document_is_a_page_a_clerk_understands(page: Page, server: Server) -> None:
    response = page.goto(server.url + "/documents/ffffffffffff")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    screenshot(page, "loi-404")


def test_drafting_a_notice_with_one_invalid_field_then_valid(page: Page, server: Server) -> None:
    page.goto(server.url + "/soan-thao")
    page.get_by_role("link", name=re.compile("Thông báo kết luận")).click()
    page.get_by_label("Ngày ban hành").fill("31/02/2025")
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    field = page.locator('.field[data-path="header.issue_date"]')
    expect(field.locator(".problem")).to_contain_text("31/02/2025")
    assert page.locator(".problem").count() == 1
    screenshot(page, "soan-thao-loi")
    page.get_by_label("Ngày ban hành").fill("05/02/2025")
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    expect(page.locator("#xem-truoc")).to_contain_text("THÔNG BÁO")
    assert page.locator(".problem").count() == 0
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bản dự thảo DOCX").click()
    document = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "THÔNG BÁO" in text and "ngày 05 tháng 02 năm 2025" in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )


def test_the_calendar_shows_an_overdue_notice(page: Page, server: Server) -> None:
    page.goto(server.url + "/lich?year=2025")
    unit = page.locator("section.panel", has_text="Huyện ủy Quỳnh Lưu")
    row = unit.locator("tr", has_text="Thông báo kết luận sau đối thoại ngày 10/03/2025")
    expect(row).to_contain_text("19/03/2025")
    expect(row.locator(".status")).to_have_text("quá hạn")
    expect(row.get_by_role("link", name="Soạn thông báo kết luận")).to_be_visible()
    screenshot(page, "lich")


def test_upload_two_files_ingest_now_and_find_them(page: Page, writable: Server, tmp_path: Path) -> None:
    a = tmp_path / "tin-bài-hồ-cá.txt"
    a.write_text("Tin bài: hội nghị đối thoại về nuôi cá lồng trên hồ Thác Bà.", encoding="utf-8")
    b = tmp_path / "tin-bai-che-shan.txt"
    b.write_text("Tin bài: đối thoại với người trồng chè Shan tuyết ở Suối Giàng.", encoding="utf-8")
    page.goto(writable.url + "/luu-tru")
    page.set_input_files("#files", [str(a), str(b)])
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("[data-upload-done]")).to_be_visible(timeout=60_000)
    expect(page.locator("#upload-progress")).to_contain_text("tin-bài-hồ-cá.txt: đã vào hộp thư đến")
    page.get_by_role("button", name="Lưu ngay").click()
    expect(page.locator('.job-line[data-status="finished"]')).to_be_visible(timeout=180_000)
    expect(page.locator("#job")).to_contain_text("2/2 tệp")
    assert page.locator("#job li", has_text="đã lưu").count() == 2
    screenshot(page, "luu-tru")
    page.goto(writable.url + "/?q=che+shan+tuyet")
    expect(page.locator(".hit .file")).to_contain_text("tin-bai-che-shan.txt")
    page.goto(writable.url + "/?q=ca+long+Thac+Ba")
    expect(page.locator(".hit .file")).to_contain_text("tin-bài-hồ-cá.txt")


def test_retry_and_dismiss_in_the_quarantine(page: Page, writable: Server) -> None:
    page.goto(writable.url + "/luu-tru")
    expect(page.locator("#h-quarantine")).to_have_text("Khu cách ly (1)")
    row = page.locator("tr", has_text="tai-ve-do-dang.pdf")
    row.get_by_role("button", name="Xử lý lại").click()
    expect(page.locator(".note")).to_contain_text("tai-ve-do-dang.pdf: cách ly")  # still broken: stays
    expect(page.locator("#h-quarantine")).to_have_text("Khu cách ly (1)")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("section", has=page.locator("#h-quarantine")).get_by_role("button", name="Bỏ").click()
    expect(page.locator(".note")).to_contain_text("Đã bỏ tệp khỏi khu cách ly")
    expect(page.locator("#h-quarantine")).to_have_text("Khu cách ly (0)")


def test_phone_width(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _search(page, server, "dat dai")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "tim-kiem-dien-thoai")
