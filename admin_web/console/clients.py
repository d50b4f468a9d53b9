"""The CRM: clients list with search and tag filters, and a client's page (history, bookings, money,
tags, notes and files)."""
from __future__ import annotations

import math
from typing import Any

from quart import Blueprint, flash, redirect, request, send_file
from sqlalchemy import delete

from models import Client, ClientTag, File
from models.repo.bookings import audit, tag_client
from models.repo.errors import NotFound, RepoError

from ..context import ctx
from ..pages import actor, admin_page, render
from ..parsing import BadRequest
from . import clients_data as data
from . import uploads

bp = Blueprint("console_clients", __name__)

MAX_TAGS = 20


@bp.get("/admin/clients")
@admin_page
async def index() -> Any:
    q = (request.args.get("q") or "").strip()[:100]
    tag = (request.args.get("tag") or "").strip()[:100]
    try:
        page = min(max(1, int(request.args.get("page", "1"))), 100_000)
    except ValueError as exc:
        raise BadRequest("'page' must be a page number like 2.", "page") from exc
    now = ctx().now()

    def work() -> dict[str, Any]:
        with ctx().db.read() as s:
            rows, total = data.list_clients(s, now, q, tag, page)
            return {"rows": rows, "total": total, "tags": data.popular_tags(s)}

    loaded = await ctx().run(work)
    pages = max(1, math.ceil(loaded["total"] / data.PER_PAGE))
    return await render("console/clients.html", section="clients", page_title="Clients", q=q, tag=tag, page=page,
                        pages=pages, per_page=data.PER_PAGE, **loaded)


@bp.get("/admin/clients/<int:client_id>")
@admin_page
async def show(client_id: int) -> Any:
    now = ctx().now()

    def work() -> dict[str, Any] | None:
        with ctx().db.read() as s:
            found = data.client_file(s, client_id, now)
            if found is not None:
                found["tag_suggestions"] = data.all_tags(s)
            return found

    found = await ctx().run(work)
    if found is None:
        raise NotFound(f"Client {client_id} does not exist.")
    return await render("console/client.html", section="clients", now=now,
                        page_title=found["client"].name or found["client"].email,
                        accepted=uploads.accepted_list(), max_mb=uploads.MAX_BYTES // 1048576, **found)


def parse_tags(raw: str) -> list[str]:
    tags: list[str] = []
    for part in raw.replace("\n", ",").split(","):
        tag = " ".join(part.split())[:100]
        if tag and tag.lower() not in (t.lower() for t in tags):
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise RepoError(f"At most {MAX_TAGS} tags per client.", "tags")
    return tags


def _save_tags(client_id: int, tags: list[str], who: str) -> None:
    with ctx().db.write() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise NotFound(f"Client {client_id} does not exist.")
        before = client.tag_names
        s.execute(delete(ClientTag).where(ClientTag.client_id == client_id, ClientTag.tag.not_in(tags)))
        s.expire(client, ["tags"])
        tag_client(s, client, tags)
        audit(s, who, "client.tags", "client", client_id, before=before, after=tags)


def _save_details(client_id: int, name: str, phone: str, notes: str, who: str) -> None:
    with ctx().db.write() as s:
        client = s.get(Client, client_id)
        if client is None:
            raise NotFound(f"Client {client_id} does not exist.")
        client.name, client.phone, client.notes = name, phone, notes
        audit(s, who, "client.update", "client", client_id)


@bp.post("/admin/clients/<int:client_id>/tags")
@admin_page
async def tags(client_id: int) -> Any:
    form = await request.form
    try:
        await ctx().run(_save_tags, client_id, parse_tags(form.get("tags") or ""), await actor())
    except NotFound:
        raise
    except RepoError as exc:
        await flash(exc.message, "error")
        return redirect(f"/admin/clients/{client_id}", 303)
    await flash("Tags saved.", "success")
    return redirect(f"/admin/clients/{client_id}", 303)


@bp.post("/admin/clients/<int:client_id>/details")
@admin_page
async def details(client_id: int) -> Any:
    form = await request.form
    name = " ".join((form.get("name") or "").split())
    phone = (form.get("phone") or "").strip()
    notes = (form.get("notes") or "").strip()
    problem = ("The name is too long (200 characters at most)." if len(name) > 200 else
               "The phone number is too long (50 characters at most)." if len(phone) > 50 else
               "The notes are too long (20,000 characters at most)." if len(notes) > 20000 else "")
    if problem:
        await flash(problem, "error")
        return redirect(f"/admin/clients/{client_id}", 303)
    await ctx().run(_save_details, client_id, name, phone, notes, await actor())
    await flash("Client details saved.", "success")
    return redirect(f"/admin/clients/{client_id}", 303)


def _add_file(client_id: int, stored: uploads.StoredFile, who: str) -> None:
    with ctx().db.write() as s:
        if s.get(Client, client_id) is None:
            raise NotFound(f"Client {client_id} does not exist.")
        row = File(client_id=client_id, kind="upload", original_name=stored.original_name,
                   stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                   sha256=stored.sha256)
        s.add(row)
        s.flush()
        audit(s, who, "file.upload", "file", row.id, client_id=client_id, name=stored.original_name, size=stored.size)


@bp.post("/admin/clients/<int:client_id>/files")
@admin_page
async def upload(client_id: int) -> Any:
    files = await request.files
    item = files.get("file")
    if item is None or not item.filename:
        await flash("Choose a file to upload.", "error")
        return redirect(f"/admin/clients/{client_id}#files", 303)
    content = item.read(uploads.MAX_BYTES + 1)
    settings = ctx().settings
    try:
        stored = await ctx().run(uploads.store, settings.data_dir, item.filename, content)
    except uploads.UploadRejected as exc:
        await flash(exc.message, "error")
        return redirect(f"/admin/clients/{client_id}#files", 303)
    try:
        await ctx().run(_add_file, client_id, stored, await actor())
    except Exception:
        path = uploads.path_of(settings.data_dir, stored.stored_name)
        if path:
            path.unlink(missing_ok=True)
        raise
    await flash(f"Uploaded {stored.original_name}.", "success")
    return redirect(f"/admin/clients/{client_id}#files", 303)


def _file_row(file_id: int) -> File:
    with ctx().db.read() as s:
        row = s.get(File, file_id)
        if row is None:
            raise NotFound("That file does not exist (it may have been deleted).")
        return row


@bp.get("/admin/files/<int:file_id>")
@admin_page
async def download(file_id: int) -> Any:
    row = await ctx().run(_file_row, file_id)
    path = uploads.path_of(ctx().settings.data_dir, row.stored_name)
    if path is None:
        raise NotFound("The file is missing from the data directory.")
    response = await send_file(path, mimetype=row.content_type, as_attachment=True,
                               attachment_filename=row.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _delete_file(file_id: int, who: str) -> tuple[int | None, str]:
    with ctx().db.write() as s:
        row = s.get(File, file_id)
        if row is None:
            raise NotFound("That file does not exist (it may have been deleted).")
        client_id, stored, name = row.client_id, row.stored_name, row.original_name
        s.delete(row)
        audit(s, who, "file.delete", "file", file_id, client_id=client_id, name=name)
    path = uploads.path_of(ctx().settings.data_dir, stored)
    if path:
        path.unlink(missing_ok=True)
    return client_id, name


@bp.post("/admin/files/<int:file_id>/delete")
@admin_page
async def delete_file(file_id: int) -> Any:
    client_id, name = await ctx().run(_delete_file, file_id, await actor())
    await flash(f"Deleted {name}.", "success")
    return redirect(f"/admin/clients/{client_id}#files" if client_id else "/admin/clients", 303)
