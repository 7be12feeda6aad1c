"""What the pages change or look up in storage, as the signed-in user: batches, accounts, the audit log,
erasure and backup. Pages call these and never ``eevp.store`` themselves; every change goes through
``eevp`` with ``actor=`` (which checks the permission) and is audited there or here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from eevp.store import audit, auth, batches, lifecycle
from webui.core import current_user, get_engine, get_settings

ROLES = auth.ROLES


def batch_list(kind_name: Callable[[str], str] = str) -> pd.DataFrame:
    """The stored batches, newest first as ``list_batches`` gives them, each kind named by ``kind_name``."""
    listing = batches.list_batches(get_engine())
    return listing.assign(kind=listing["kind"].map(kind_name)) if not listing.empty else listing


def stored_kinds() -> set[str]:
    """The kinds of the batches stored ("survey", "customer_feedback", ...)."""
    listing = batches.list_batches(get_engine())
    return set(listing["kind"]) if not listing.empty else set()


def delete_batch(batch_id: int) -> dict:
    """Delete one batch and everything derived from it."""
    return batches.delete_batch(get_engine(), int(batch_id), actor=current_user())


def has_demo() -> bool:
    return batches.has_demo(get_engine())


def demo_beside_real_data() -> bool:
    """Whether real batches are stored beside the demo organisation's."""
    return batches.demo_beside_real_data(get_engine())


def clear_demo() -> int:
    """Delete the demo batches; returns how many."""
    return batches.clear_demo(get_engine(), actor=current_user())


def list_accounts() -> list[dict]:
    return auth.list_users(get_settings(), current_user())


def save_account(name: str, password: str, role: str, departments: tuple[str, ...] = ()) -> None:
    """Add or update an account, and record it in the audit log."""
    me = current_user()
    auth.add_user(get_settings(), me, name, password, role, departments)
    audit.record(get_engine(), me.username, "user_saved", f"{name.strip()} ({role})")


def remove_account(name: str) -> None:
    """Remove an account, and record it in the audit log."""
    me = current_user()
    auth.remove_user(get_settings(), me, name)
    audit.record(get_engine(), me.username, "user_removed", name)


def audit_log() -> pd.DataFrame:
    return audit.read_log(get_engine(), current_user())


def erase_respondent(respondent_id: str) -> dict:
    """Erase one respondent everywhere; rows removed per table."""
    return lifecycle.erase_respondent(get_engine(), get_settings(), current_user(), respondent_id)


def backup_bytes() -> bytes:
    """A full backup of the database as the bytes of one ZIP file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "eevp-backup.zip"
        lifecycle.backup(get_engine(), path, current_user())
        return path.read_bytes()
