"""The ``doithoai`` command line: verbs over the library, ``--json`` for machines.

One module per group of commands; each registers its commands on the one click group in
:mod:`doithoai.cli._base`, which also maps errors to exit codes.
"""

from __future__ import annotations

from doithoai.cli import accounts_cmds, archive_cmds, calendar_cmds, draft_cmds, find_cmds, serve_cmds
from doithoai.cli._base import cli

__all__ = ["cli", "main"]

_COMMAND_MODULES = (accounts_cmds, archive_cmds, calendar_cmds, draft_cmds, find_cmds, serve_cmds)


def main() -> None:
    cli(prog_name="doithoai")
