"""Opening the database for a command, and finding a patient or a plan in it."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from planner.catalog import Catalog, CatalogPaths
from planner.cli.common import Failed, UsageError, now
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.day_hospital.port_rules import import_computer_rules, with_unit_rules
from planner.i18n import _
from planner.store import NotFound, Store, StoreError

_log = logging.getLogger(__name__)

MIN_ID_PREFIX = 6
"""A plan may be named by the first characters of its id, from this many."""


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    try:
        store = Store.open(args.db)
    except StoreError as exc:
        raise Failed(str(exc)) from None
    _log.info("database opened: %s", store.location.described)
    try:
        yield store
    except StoreError as exc:
        raise Failed(str(exc)) from None
    finally:
        store.close()


def unit_catalog(store: Store, catalog: Catalog, err: TextIO, *, who: str) -> Catalog:
    """``catalog`` advising by the port rules of the unit in ``store``. When the unit has
    none of its own and this computer has a port_rules.toml, that file's rules become the
    unit's first and it is renamed, once, as in the window; said on ``err`` (a damaged file
    is left in place, and the unit's rules are unchanged)."""
    done = import_computer_rules(
        store, catalog, CatalogPaths.user().port_rules, author=who, at=now()
    )
    if done is not None:
        text = done.message.render()
        print(text if done.imported else _("warning: {error}").format(error=text), file=err)
    return with_unit_rules(catalog, store)


def find_plan(store: Store, key: str) -> Plan:
    """A plan by its id, or the first characters of it when they are unambiguous."""
    try:
        return store.plan(key)
    except NotFound:
        pass
    if len(key) >= MIN_ID_PREFIX:
        found = [p for p in store.plans() if p.id.startswith(key.lower())]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(
                _("'{key}' matches several plans: give more of the id").format(key=key)
            )
    raise UsageError(_("no plan '{key}'; 'plans list' shows them").format(key=key))


def find_patient(store: Store, key: str) -> Patient:
    try:
        return store.patient(key)
    except NotFound:
        raise UsageError(
            _("no patient '{key}' (give the hospital number or the id)").format(key=key)
        ) from None
