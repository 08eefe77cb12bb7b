"""Page parameters, the N+1 fetch and the collection document (no COUNT queries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from clinic_shared.schemas import CamelModel

T = TypeVar("T")
MAX_ITEMS_PER_PAGE = 100
DEFAULT_ITEMS_PER_PAGE = 15


class CollectionView(CamelModel):
    """Links to neighbouring pages; ``next`` only when another page exists."""

    first: str
    previous: str | None = None
    next: str | None = None


class Collection(BaseModel, Generic[T]):
    """``{"member": [...], "view": {...}}``."""

    member: list[T]
    view: CollectionView | None = None


class PageParams:
    """``page`` (≥ 1) and ``itemsPerPage`` (1–100), read from the query string."""

    def __init__(self, page: int = 1, items_per_page: int = DEFAULT_ITEMS_PER_PAGE) -> None:
        self.page = page
        self.items_per_page = items_per_page

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.page - 1) * self.items_per_page

    @property
    def fetch_limit(self) -> int:
        """Rows to fetch: one more than a page tells whether a next page exists."""
        return self.items_per_page + 1

    def collection(self, rows: Sequence[T], request: Request) -> Collection[T]:
        """Trim the N+1 fetch to a page and build the view links for ``request``'s URL."""
        has_next = len(rows) > self.items_per_page
        view = CollectionView(
            first=self._link(request, 1),
            previous=self._link(request, self.page - 1) if self.page > 1 else None,
            next=self._link(request, self.page + 1) if has_next else None,
        )
        return Collection[T](member=list(rows[: self.items_per_page]), view=view)

    def _link(self, request: Request, page: int) -> str:
        # multi_items, not dict: repeated filters (``status=a&status=b``) must all survive.
        params = [
            (key, value)
            for key, value in request.query_params.multi_items()
            if key not in {"page", "itemsPerPage"}
        ]
        params += [("page", str(page)), ("itemsPerPage", str(self.items_per_page))]
        return f"{request.url.path}?{urlencode(params)}"


async def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    items_per_page: Annotated[
        int, Query(alias="itemsPerPage", ge=1, le=MAX_ITEMS_PER_PAGE)
    ] = DEFAULT_ITEMS_PER_PAGE,
) -> PageParams:
    """The page asked for (a coroutine, so FastAPI reads it without a worker-thread hop)."""
    return PageParams(page, items_per_page)


Page = Annotated[PageParams, Depends(page_params)]
