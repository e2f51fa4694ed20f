"""Click's own messages in Vietnamese: usage errors, help headings, type errors.

Click marks every message it prints with ``gettext`` (``from gettext import gettext as _``) but
only reads catalogues of the process's locale, which an office server rarely sets to ``vi``.
:func:`install` points the ``_``/``ngettext`` names of click's modules at this table instead, so
``doithoai`` says "Lỗi: thiếu tham số 'QUERY'." whatever ``LANG`` is. A message missing from the
table stays in English (a newer click adding one breaks nothing).
"""

from __future__ import annotations

import importlib

__all__ = ["install", "translate"]

_MESSAGES: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "(dynamic)": "(tự tính)",
    "Aborted!": "Đã hủy.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "Commands": "Các lệnh",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Do you want to continue?": "Tiếp tục?",
    "Error: {message}": "Lỗi: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Missing argument": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Options": "Tùy chọn",
    "Positional arguments": "Tham số",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Usage:": "Cách dùng:",
    "default: {default}": "mặc định: {default}",
    "deprecated": "không dùng nữa",
    "directory": "thư mục",
    "env var: {var}": "biến môi trường: {var}",
    "file": "tệp",
    "path": "đường dẫn",
    "unknown error": "lỗi không rõ",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là tệp, không phải thư mục.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được {name} {filename!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    # ngettext: (singular, plural) -> both forms
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng các dạng {formats}.",
}

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def translate(message: str) -> str:
    return _MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Make click's modules speak Vietnamese (idempotent)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
