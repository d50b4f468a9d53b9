"""The CRM: list with search and tags, client page, tags, notes, and checked file uploads."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from sqlalchemy import select

from admin_web.console import uploads
from models import AuditEntry, Client, File

from .conftest import flashes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%..." + b"0" * 32


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


async def test_the_list_shows_every_client_with_figures(browser):
    status, html = await browser.text("/admin/clients")
    assert status == 200
    page = text(html)
    assert "3 clients." in page
    assert re.search(r"Priya Raman priya.raman@example.com · \+1 303 555 0142 VIP referral:instagram 2 \$\d", page)
    assert "Alicia Gomez" in page and "Tom Becker" in page


async def test_search_and_tag_filters(browser):
    _, html = await browser.text("/admin/clients?q=gomez")
    assert "Alicia Gomez" in html and "Priya Raman" not in html
    _, html = await browser.text("/admin/clients?tag=no-show")
    assert "Tom Becker" in html and "Alicia Gomez" not in html
    _, html = await browser.text("/admin/clients?q=nobody-like-this")
    assert "No client matches" in html


async def test_a_bad_page_number_is_a_400(browser):
    response = await browser.get("/admin/clients?page=two")
    assert response.status_code == 400
    assert "'page' must be a page number like 2." in unescape(await response.get_data(as_text=True))


async def test_client_page_has_bookings_money_and_history(browser):
    status, html = await browser.text("/admin/clients/1")
    assert status == 200
    page = text(html)
    assert "Priya Raman" in page
    assert "Received $" in page
    assert "Upcoming 1 next Tue 1 Dec 2026" in page
    assert "Booked Portrait Session (confirmed)" not in page or "Booking" in page
    assert "Portrait Session Tuesday 1 December 2026, 10:00" in page


async def test_unknown_client_is_a_404(browser):
    response = await browser.get("/admin/clients/999")
    assert response.status_code == 404


async def test_tags_are_saved_and_audited(browser, db):
    response = await browser.post("/admin/clients/2/tags", {"tags": "no-show, late payer,  VIP ,vip"})
    assert response.status_code == 303
    with db.read() as s:
        assert s.get(Client, 2).tag_names == ["VIP", "late payer", "no-show"]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "client.tags")).one()
        assert entry.details == {"before": ["no-show"], "after": ["no-show", "late payer", "VIP"]}


async def test_notes_and_details_are_saved(browser, db):
    await browser.post("/admin/clients/1/details", {"name": "Priya  Raman", "phone": "+1 303 555 0142",
                                                     "notes": "Loves golden hour."})
    with db.read() as s:
        client = s.get(Client, 1)
        assert (client.name, client.notes) == ("Priya Raman", "Loves golden hour.")
    _, html = await browser.text("/admin/clients/1")
    assert flashes(html) == ["Client details saved."]


async def test_a_good_upload_is_stored_under_a_generated_name(browser, db, settings):
    response = await browser.client.post("/admin/clients/1/files", form={"csrf_token": browser.token},
                                         files={"file": _file("moodboard.PNG", PNG, "image/png")})
    assert response.status_code == 303
    with db.read() as s:
        row = s.scalars(select(File)).one()
    assert (row.original_name, row.content_type, row.size, row.client_id) == ("moodboard.PNG", "image/png", len(PNG), 1)
    assert re.fullmatch(r"[0-9a-f]{32}\.png", row.stored_name)
    assert (Path(settings.data_dir) / "files" / row.stored_name).read_bytes() == PNG
    download = await browser.get(f"/admin/files/{row.id}")
    assert download.status_code == 200
    assert await download.get_data() == PNG
    assert download.headers["Content-Disposition"] == "attachment; filename=moodboard.PNG"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "image/png"


async def test_uploads_are_checked_by_extension_content_and_size(browser, db, monkeypatch):
    async def upload(name: str, content: bytes) -> list[str]:
        await browser.client.post("/admin/clients/1/files", form={"csrf_token": browser.token},
                                  files={"file": _file(name, content, "application/octet-stream")})
        return flashes((await browser.text("/admin/clients/1"))[1])

    assert await upload("page.html", b"<html><script>alert(1)</script>") == [
        "Files of type '.html' are not accepted. Accepted: DOCX, GIF, HEIC, JPG, PDF, PNG, WEBP."]
    assert await upload("contract.pdf", PNG) == [
        "'contract.pdf' is not really a PDF document (its content does not match its name), so it was not saved."]
    monkeypatch.setattr(uploads, "MAX_BYTES", 50)
    assert await upload("big.pdf", PDF + b"x" * 100) == ["The file is 0.0 MB; the limit is 0 MB."]
    with db.read() as s:
        assert s.scalars(select(File)).all() == []


async def test_files_are_only_for_admins(app, browser, db):
    await browser.client.post("/admin/clients/1/files", form={"csrf_token": browser.token},
                              files={"file": _file("contract.pdf", PDF, "application/pdf")})
    with db.read() as s:
        file_id = s.scalars(select(File.id)).one()
    anonymous = await app.test_client().get(f"/admin/files/{file_id}")
    assert anonymous.status_code == 302


async def test_deleting_a_file_removes_row_and_bytes(browser, db, settings):
    await browser.client.post("/admin/clients/1/files", form={"csrf_token": browser.token},
                              files={"file": _file("contract.pdf", PDF, "application/pdf")})
    with db.read() as s:
        row = s.scalars(select(File)).one()
    response = await browser.post(f"/admin/files/{row.id}/delete")
    assert response.headers["Location"] == "/admin/clients/1#files"
    assert not (Path(settings.data_dir) / "files" / row.stored_name).exists()
    with db.read() as s:
        assert s.scalars(select(File)).all() == []


def _file(name: str, content: bytes, content_type: str):  # type: ignore[no-untyped-def]
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    return FileStorage(BytesIO(content), filename=name, content_type=content_type)
