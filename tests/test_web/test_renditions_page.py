"""The document page of a document archived as several files lists every file; search shows it once."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.makers import make_docx, make_pdf
from tests.test_web.conftest import Server, cli

HEAD = ("TỈNH ỦY NGHỆ AN", "Số 1876-TB/TU", "Nghệ An, ngày 29 tháng 5 năm 2019")
TITLE = "kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị đối thoại với nhân dân huyện Quỳnh Lưu"
BODY = "Hội nghị có 385 đại biểu dự; 19 lượt ý kiến phát biểu về bồi thường ở xã Quỳnh Lập."


def test_the_document_page_lists_the_draft_and_the_signed_pdf(
    server: Server, clerk: httpx.Client, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_docx(inbox / "tb-du-thao.docx", ["THÔNG BÁO", TITLE, "-----", BODY],
              header_cells=([HEAD[0], "*", HEAD[1]], ["ĐẢNG CỘNG SẢN VIỆT NAM", HEAD[2]]))  # fmt: skip
    make_pdf(inbox / "tb-da-ky.pdf", ["\n".join([*HEAD, "", "THÔNG BÁO", TITLE, "-----", BODY])])
    done = cli(server.env, "ingest", "--direct", str(inbox), "--json")
    assert done.returncode == 0, done.stderr
    ids = {Path(f["path"]).name: f["id"] for f in json.loads(done.stdout)["files"]}
    pdf, docx = ids["tb-da-ky.pdf"], ids["tb-du-thao.docx"]

    page = clerk.get(f"/documents/{docx}")
    assert page.status_code == 200
    block = page.text.split('id="h-renditions"', 1)[1].split("</section>", 1)[0]
    assert f'href="/documents/{pdf}"' in block and "tb-da-ky.pdf" in block and "bản chính" in block
    assert "tb-du-thao.docx" in block and "(đang xem)" in block
    assert block.index("tb-da-ky.pdf") < block.index("tb-du-thao.docx")  # the signed file first

    found = clerk.get("/", params={"q": "Quỳnh Lập"})
    assert found.status_code == 200
    assert f"/documents/{pdf}" in found.text and f"/documents/{docx}" not in found.text  # once, by the signed PDF
