"""Who is asking: the only way a page or endpoint learns its principal.

Contract (the accounts issue replaces this implementation, never these names):

- ``current_principal(request) -> Principal``: a FastAPI dependency;
- ``require_role(role)``: a dependency factory answering 403 when the principal lacks the role.

Until accounts exist every request acts as one fixed clerk without clearance.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from archive.access import Principal, Role
from doithoai.web.errors import WebError

__all__ = ["current_principal", "require_role"]

_ANONYMOUS_CLERK = Principal("khach", "clerk", "none")


async def current_principal(request: Request) -> Principal:
    return _ANONYMOUS_CLERK


def require_role(role: Role) -> Callable[..., Awaitable[Principal]]:
    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has_role(role):
            raise WebError(403, "forbidden", "Tài khoản của bạn không có quyền làm việc này.")
        return principal

    return dependency
