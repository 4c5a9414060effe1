"""The options several ``hoering`` commands share (Typer option types: ``--index``, ``--json``, ``--no-infer``), the
six filter options declared once (``with_filter_options``: ``--sender``, ``--sender-type``, ``--municipality``,
``--hearing``, ``--date-from``, ``--date-to``, handed to a command as one ``FilterValues``) and the filters they
give, checked (``checked_filters``)."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Callable, Optional

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


@dataclass(frozen=True)
class FilterValues:
    """The six filter options as typed on the command line (unchecked)."""

    sender: Optional[str] = None
    sender_type: Optional[str] = None
    municipality: Optional[str] = None
    hearing: Optional[str] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None


FILTER_OPTIONS = {"sender": SenderOpt, "sender_type": SenderTypeOpt, "municipality": MunicipalityOpt,
                  "hearing": HearingOpt, "date_from": DateFromOpt, "date_to": DateToOpt}


def with_filter_options(command: Callable) -> Callable:
    """``command`` with the six filter options declared where its ``filter_values`` parameter stands (so ``--help``
    lists them in that place), and called with them as one ``FilterValues``."""
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name != "filter_values":
            parameters.append(parameter)
            continue
        parameters += [inspect.Parameter(name, parameter.kind, default=option, annotation=Optional[str])
                       for name, option in FILTER_OPTIONS.items()]

    @functools.wraps(command)
    def typed(*args, **kwargs):
        values = FilterValues(**{f.name: kwargs.pop(f.name) for f in fields(FilterValues)})
        return command(*args, filter_values=values, **kwargs)

    typed.__signature__ = signature.replace(parameters=parameters)
    typed.__annotations__ = {p.name: p.annotation for p in parameters}
    return typed


def checked_filters(settings: Settings, values: FilterValues) -> Filters:
    """The filters as typed, checked (sender type in any accepted form, a real municipality, real ISO dates):
    a value that can match nothing is refused with exit 2 instead of silently finding nothing."""
    from retrieval.schema import FilterError, validate_filters

    try:
        return validate_filters(settings.language, sender=values.sender, sender_type=values.sender_type,
                                municipality=values.municipality, hearing=values.hearing,
                                date_from=values.date_from, date_to=values.date_to)
    except FilterError as exc:
        fail(str(exc), 2)
