"""Routes of billing's settings (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["settings"])
