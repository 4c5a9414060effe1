"""The options several ``hoering`` commands share (Typer option types: ``--index``, ``--json`` and the filters
``--sender``, ``--sender-type``, ``--municipality``, ``--hearing``, ``--date-from``, ``--date-to``, ``--no-infer``)
and the filters they give, checked (``checked_filters``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from core.senders import SENDER_TYPES
from hoering.output import fail, phrase

if TYPE_CHECKING:
    from core.settings import Settings
    from index.records import Filters

IndexOption = typer.Option(None, "--index", help=phrase("index_option"))
JsonOption = typer.Option(False, "--json", help=phrase("json_option"))

SenderOpt = typer.Option(None, "--sender", help=phrase("sender_option"))
SenderTypeOpt = typer.Option(None, "--sender-type", help=phrase("sender_type_option", sender_types=", ".join(SENDER_TYPES)))
MunicipalityOpt = typer.Option(None, "--municipality", help=phrase("municipality_option"))
HearingOpt = typer.Option(None, "--hearing", help=phrase("hearing_option"))
DateFromOpt = typer.Option(None, "--date-from", help=phrase("date_from_option"))
DateToOpt = typer.Option(None, "--date-to", help=phrase("date_to_option"))
NoInferOpt = typer.Option(False, "--no-infer", help=phrase("no_infer_option"))


def checked_filters(settings: Settings, sender, sender_type, municipality, hearing, date_from, date_to) -> Filters:
    """The filters as typed, checked (sender type in any accepted form, a real municipality, real ISO dates):
    a value that can match nothing is refused with exit 2 instead of silently finding nothing."""
    from retrieval.schema import FilterError, validate_filters

    try:
        return validate_filters(settings.language, sender=sender, sender_type=sender_type, municipality=municipality,
                                hearing=hearing, date_from=date_from, date_to=date_to)
    except FilterError as exc:
        fail(str(exc), 2)
