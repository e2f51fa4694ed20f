"""users, audit, secrets: accounts of the web app, the audit log, the register of marked documents.

These commands run on the archive's own machine as the operator (archive.access.LOCAL_OPERATOR);
every change they make is written to the audit log under the operator's system user name.
"""

from __future__ import annotations

import sys
from datetime import datetime, time
from zoneinfo import ZoneInfo

import click
from rich.markup import escape
from rich.table import Table

from archive.access import CLEARANCE_LABELS, CLEARANCES, ROLE_LABELS, ROLES
from archive.accounts import Accounts
from archive.audit import AuditLog
from archive.errors import ExitCode, UsageError
from doithoai.cli._base import cli, json_option, load_settings, local_actor, out
from doithoai.output import err_console, write_json
from flows import secrets as secret_policy

__all__ = ["audit", "secrets", "users"]

_LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _actor() -> str:
    return local_actor()


def _read_password(password_stdin: bool, prompt: str = "Mật khẩu") -> str:
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UsageError("không đọc được mật khẩu từ stdin (trống)")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("cần --password-stdin khi không chạy trong cửa sổ dòng lệnh")
    first = click.prompt(prompt, hide_input=True, err=True)
    again = click.prompt("Nhập lại mật khẩu", hide_input=True, err=True)
    if first != again:
        raise UsageError("hai lần nhập mật khẩu không khớp")
    return str(first)


def _local_time(iso: str | None) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(_LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S")


# -- users ------------------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Tài khoản dùng ứng dụng web và API: thêm, xem, đổi vai trò/mức tiếp cận, khóa, đổi mật khẩu, mã API.

    Vai trò: viewer (tìm và đọc), clerk (thêm: tải lên, lưu trữ, xử lý lại, soạn và phát hành),
    admin (thêm: quản lý tài khoản, đọc nhật ký kiểm tra). Mức được tiếp cận: none, mat, toi_mat, tuyet_mat.
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="viewer, clerk hoặc admin.")
@click.option("--clearance", type=click.Choice(CLEARANCES), default="none", show_default=True,
              help="Mức văn bản mật được xem.")  # fmt: skip
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của stdin (cho script).")
@json_option
def users_add(name: str, role: str, clearance: str, password_stdin: bool, as_json: bool) -> None:
    """Thêm một tài khoản.

    Example: echo 'mật khẩu dài đủ 10 ký tự' | doithoai users add vanthu --role clerk --clearance mat --password-stdin
    """
    settings = load_settings()
    account = Accounts(settings).add(name, role, clearance, _read_password(password_stdin))
    AuditLog(settings.home).record(_actor(), "user.add", account.name, {"role": role, "clearance": clearance})
    if as_json:
        write_json(account.to_json())
        return
    out.print(
        f"Đã thêm tài khoản [bold]{escape(account.name)}[/]: {ROLE_LABELS[account.role]}, "
        f"mức tiếp cận {CLEARANCE_LABELS[account.clearance]}."
    )


@users.command("list")
@json_option
def users_list(as_json: bool) -> None:
    """Danh sách tài khoản.

    Example: doithoai users list --json
    """
    accounts = Accounts(load_settings()).all()
    if as_json:
        write_json({"users": [a.to_json() for a in accounts]})
        return
    if not accounts:
        out.print("Chưa có tài khoản nào. Tạo quản trị viên đầu tiên:")
        out.print("  doithoai users add TÊN --role admin --clearance none --password-stdin")
        return
    table = Table(title="Tài khoản")
    for col in ("Tên", "Vai trò", "Mức tiếp cận", "Trạng thái", "Tạo lúc"):
        table.add_column(col)
    for a in accounts:
        table.add_row(
            escape(a.name),
            ROLE_LABELS[a.role],
            CLEARANCE_LABELS[a.clearance],
            "[red]đã khóa[/]" if a.disabled else "hoạt động",
            _local_time(a.created_at),
        )
    out.print(table)


@users.command("set")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), help="Vai trò mới.")
@click.option("--clearance", type=click.Choice(CLEARANCES), help="Mức tiếp cận mới.")
@click.option("--enable", is_flag=True, help="Mở khóa tài khoản đã bị khóa.")
@json_option
def users_set(name: str, role: str | None, clearance: str | None, enable: bool, as_json: bool) -> None:
    """Đổi vai trò, mức tiếp cận, hoặc mở khóa; có hiệu lực ngay ở yêu cầu tiếp theo của người dùng.

    Example: doithoai users set vanthu --clearance toi_mat
    """
    if role is None and clearance is None and not enable:
        raise UsageError("không có gì để đổi: dùng --role, --clearance hoặc --enable")
    settings = load_settings()
    account = Accounts(settings).set(name, role=role, clearance=clearance, enabled=True if enable else None)
    detail = {k: v for k, v in (("role", role), ("clearance", clearance), ("enable", enable or None)) if v}
    AuditLog(settings.home).record(_actor(), "user.set", account.name, detail)
    if as_json:
        write_json(account.to_json())
        return
    out.print(
        f"{escape(account.name)}: {ROLE_LABELS[account.role]}, mức tiếp cận {CLEARANCE_LABELS[account.clearance]}"
        + (", đã khóa" if account.disabled else "")
    )


@users.command("disable")
@click.argument("name")
@json_option
def users_disable(name: str, as_json: bool) -> None:
    """Khóa một tài khoản: mọi phiên đăng nhập của họ kết thúc ngay, mã API không còn dùng được.

    Example: doithoai users disable vanthu
    """
    settings = load_settings()
    account = Accounts(settings).disable(name)
    AuditLog(settings.home).record(_actor(), "user.disable", account.name)
    if as_json:
        write_json(account.to_json())
        return
    out.print(f"Đã khóa tài khoản {escape(account.name)}; các phiên đăng nhập của họ đã kết thúc.")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu mới từ dòng đầu của stdin.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Đặt mật khẩu mới; mọi phiên đăng nhập của người dùng kết thúc.

    Example: echo 'mật khẩu mới thật dài' | doithoai users passwd vanthu --password-stdin
    """
    settings = load_settings()
    account = Accounts(settings).set_password(name, _read_password(password_stdin, "Mật khẩu mới"))
    AuditLog(settings.home).record(_actor(), "user.passwd", account.name)
    out.print(f"Đã đổi mật khẩu của {escape(account.name)}; các phiên đăng nhập cũ đã kết thúc.")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="Ghi chú cho mã (vd. tên script dùng nó).")
@click.option("--revoke", is_flag=True, help="Thu hồi mọi mã API của người dùng thay vì tạo mã mới.")
@json_option
def users_token(name: str, label: str, revoke: bool, as_json: bool) -> None:
    """Tạo một mã API cá nhân (Authorization: Bearer MÃ); mã chỉ hiện một lần, máy chủ chỉ giữ bản băm.

    Example: doithoai users token vanthu --label "script báo cáo"
    """
    settings = load_settings()
    accounts = Accounts(settings)
    if revoke:
        n = accounts.revoke_tokens(name)
        AuditLog(settings.home).record(_actor(), "user.token", accounts.get(name).name, {"revoked": n})
        if as_json:
            write_json({"revoked": n})
        else:
            out.print(f"Đã thu hồi {n} mã API.")
        return
    token = accounts.new_token(name, label)
    AuditLog(settings.home).record(_actor(), "user.token", accounts.get(name).name, {"label": label or "API"})
    if as_json:
        write_json({"name": accounts.get(name).name, "token": token})
        return
    err_console.print("Mã API (chỉ hiện một lần, hãy lưu lại an toàn):")
    out.print(token)


# -- audit ------------------------------------------------------------------------------


def _parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return datetime.combine(day, time(0), tzinfo=_LOCAL_TZ)
    try:
        return datetime.fromisoformat(value).replace(tzinfo=_LOCAL_TZ)
    except ValueError as exc:
        raise UsageError(f"ngày không hợp lệ: '{value}' (dd/mm/yyyy hoặc yyyy-mm-dd)") from exc


@cli.group(invoke_without_command=True)
@click.option("--user", "actor", help="Chỉ các sự kiện của người dùng này.")
@click.option("--since", help="Từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd, giờ Việt Nam).")
@click.option("--action", help="Chỉ loại sự kiện này (vd. login.fail, user.*).")
@click.option("--limit", type=int, default=200, show_default=True)
@json_option
@click.pass_context
def audit(
    ctx: click.Context, actor: str | None, since: str | None, action: str | None, limit: int, as_json: bool
) -> None:
    """Nhật ký kiểm tra (chỉ ghi thêm, có chuỗi mã băm): đăng nhập, xem/tải văn bản mật, thay đổi tài khoản…

    'doithoai audit verify' kiểm tra chuỗi: phát hiện dòng bị xóa hoặc bị sửa.

    Example: doithoai audit --user vanthu --since 01/11/2026
    """
    if ctx.invoked_subcommand is not None:
        return
    entries = AuditLog(load_settings().home).entries(actor=actor, since=_parse_since(since), action=action, limit=limit)
    if as_json:
        write_json({"entries": [e.to_json() for e in entries]})
        return
    if not entries:
        out.print("Không có sự kiện nào.")
        return
    table = Table(title="Nhật ký kiểm tra (mới nhất trước)")
    for col in ("#", "Lúc", "Người", "Sự kiện", "Đối tượng", "Chi tiết", "Từ"):
        table.add_column(col, overflow="fold")
    for e in entries:
        detail = ", ".join(f"{k}={v}" for k, v in e.detail.items())
        table.add_row(
            str(e.seq), _local_time(e.at), escape(e.actor), e.action, escape(e.target), escape(detail), e.client
        )
    out.print(table)


@audit.command("verify")
@json_option
def audit_verify(as_json: bool) -> None:
    """Kiểm tra toàn bộ chuỗi mã băm; mã thoát 4 khi phát hiện dòng bị xóa hoặc bị sửa.

    Example: doithoai audit verify
    """
    result = AuditLog(load_settings().home).verify()
    if as_json:
        write_json({"ok": result.ok, "checked": result.checked, "problems": result.problems})
    elif result.ok:
        out.print(f"Nhật ký kiểm tra nguyên vẹn: {result.checked} dòng, chuỗi mã băm khớp.")
    else:
        err_console.print(f"[bold red]Nhật ký kiểm tra đã bị can thiệp[/] ({result.checked} dòng):")
        for p in result.problems:
            err_console.print(f"  • {escape(p)}")
    if not result.ok:
        sys.exit(int(ExitCode.bad_input))


# -- secrets ------------------------------------------------------------------------------


@cli.group()
def secrets() -> None:
    """Sổ văn bản mật không được lưu (DOITHOAI_SECRETS=register-only) và khu tạm giữ tệp của chúng."""


@secrets.command("list")
@click.option("--all", "include_purged", is_flag=True, help="Cả các mục đã xóa tệp.")
@json_option
def secrets_list(include_purged: bool, as_json: bool) -> None:
    """Văn bản mật đã ghi sổ; tệp còn tạm giữ PHẢI được gỡ khỏi máy này theo quy trình văn bản mật.

    Example: doithoai secrets list
    """
    settings = load_settings()
    entries = secret_policy.SecretRegister(settings).entries(include_purged=include_purged)
    if as_json:
        write_json({"policy": settings.secrets, "hold": str(settings.secrets_hold_dir),
                    "entries": [e.to_json() for e in entries]})  # fmt: skip
        return
    if not entries:
        out.print("Sổ văn bản mật trống: không có tệp nào đang tạm giữ.")
        return
    table = Table(title=f"Sổ văn bản mật (DOITHOAI_SECRETS={settings.secrets})")
    for col in ("Mã", "Độ mật", "Số, ký hiệu", "Ngày", "Cơ quan ban hành", "Trích yếu", "Tệp tạm giữ"):
        table.add_column(col, overflow="fold")
    for e in entries:
        date = datetime.fromisoformat(e.issue_date).strftime("%d/%m/%Y") if e.issue_date else ""
        table.add_row(
            e.id[:12],
            f"[bold red]{e.label}[/]",
            escape(e.number_symbol or ""),
            date,
            escape(e.issuer or ""),
            escape(e.title or ("(không ghi — TUYỆT MẬT)" if e.confidentiality == "tuyet_mat" else "")),
            escape(e.held_path or f"đã xóa {_local_time(e.purged_at)}"),
        )
    out.print(table)
    held = [e for e in entries if e.held_path]
    if held:
        err_console.print(
            f"[bold red]⚠ {len(held)} tệp văn bản mật đang tạm giữ trên máy này.[/] PHẢI gỡ khỏi máy này và xử lý "
            "theo quy trình quản lý văn bản mật của cơ quan, rồi xóa hẳn: doithoai secrets purge MÃ",
            highlight=False,
        )


@secrets.command("purge")
@click.argument("entry_id")
@json_option
def secrets_purge(entry_id: str, as_json: bool) -> None:
    """Ghi đè rồi xóa tệp văn bản mật đang tạm giữ (mục trong sổ vẫn giữ, ghi ngày xóa).

    Example: doithoai secrets purge 3f2a9c
    """
    settings = load_settings()
    entry = secret_policy.purge(settings, entry_id)
    AuditLog(settings.home).record(_actor(), "secret.purge", entry.id, {"độ mật": entry.confidentiality})
    if as_json:
        write_json(entry.to_json())
        return
    out.print(f"Đã ghi đè và xóa tệp của mục {entry.id[:12]} ({entry.label}).")
