"""manage.py create_partnership: a partnership from nothing, its organisations and its first
administrator, whose one-time sign-in link is printed on the last line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.services import NewPartnership, OrganisationDetails, create_partnership

KINDS = ", ".join(OrganisationKind.values)
FILE_KEYS = {
    "name",
    "slug",
    "area_name",
    "area_code",
    "organisations",
    "administrator",
}
ADMINISTRATOR_KEYS = {"email", "organisation", "first_name", "last_name"}
ORGANISATION_KEYS = {"name", "short_name", "kind"}


def organisation_option(text: str) -> OrganisationDetails:
    """`--organisation "Northshire County Council|NCC|council"`: name, short name and kind."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) != 3:
        raise CommandError(
            f"--organisation {text!r}: give the name, short name and kind, separated by |, "
            f"like 'Northshire County Council|NCC|council'. Kinds: {KINDS}."
        )
    return OrganisationDetails(*parts)


def _kind(value: str, where: str) -> str:
    # A kind may be given by its value (nhs_trust) or its label (NHS trust).
    for kind in OrganisationKind:
        if value.strip().lower() in (kind.value, kind.label.lower()):
            return kind.value
    raise CommandError(f"{where}: kind {value!r} is not one of {KINDS}.")


def _unknown_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CommandError(f"{where}: {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not read.")


def read_file(path: Path) -> dict[str, Any]:
    """The TOML file's values, as the options would give them."""
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CommandError(f"{path}: {error}") from None
    _unknown_keys(found, FILE_KEYS, str(path))
    administrator = found.pop("administrator", {})
    if not isinstance(administrator, dict):
        raise CommandError(f"{path}: [administrator] must be a table.")
    _unknown_keys(administrator, ADMINISTRATOR_KEYS, f"{path}, [administrator]")
    organisations = []
    for number, entry in enumerate(found.pop("organisations", []), start=1):
        where = f"{path}, organisations[{number}]"
        if not isinstance(entry, dict):
            raise CommandError(f"{where}: each organisation is a table with name, short_name and kind.")
        _unknown_keys(entry, ORGANISATION_KEYS, where)
        organisations.append(
            OrganisationDetails(
                str(entry.get("name", "")), str(entry.get("short_name", "")), str(entry.get("kind", ""))
            )
        )
    found["organisations"] = organisations
    found.update({f"admin_{key}": str(value) for key, value in administrator.items()})
    return found


class Command(BaseCommand):
    help = (
        "Make a partnership, its organisations and its first administrator in one go, from options or a "
        "TOML file (--from). The administrator's one-time sign-in link is printed on the last line. "
        "Run again with the same slug, it changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_file", type=Path, help="A TOML file giving everything below.")
        parser.add_argument("--name", help="The partnership's name, e.g. 'Northshire SEND Partnership'.")
        parser.add_argument("--slug", help="Its short address name, e.g. northshire.")
        parser.add_argument("--area-name", help="The local authority, as the DfE names it, e.g. Northshire.")
        parser.add_argument("--area-code", help="The local authority's ONS code, e.g. E10000099.")
        parser.add_argument(
            "--organisation",
            action="append",
            dest="organisations",
            type=organisation_option,
            default=[],
            help=f"'Name|SHORT|kind', once for each organisation. Kinds: {KINDS}.",
        )
        parser.add_argument("--admin-email", help="The first administrator's email address.")
        parser.add_argument(
            "--admin-organisation", default="", help="Their organisation's name or short name (the first if left out)."
        )
        parser.add_argument("--admin-first-name", default="", help="Their first name.")
        parser.add_argument("--admin-last-name", default="", help="Their last name.")

    def handle(self, *args: Any, **options: Any) -> None:
        given = read_file(options["from_file"]) if options["from_file"] else {}
        for key in ("name", "slug", "area_name", "area_code", "admin_email", "admin_organisation"):
            if options.get(key):
                given[key] = options[key]
        for key in ("admin_first_name", "admin_last_name"):
            if options.get(key):
                given[key] = options[key]
        if options["organisations"]:
            given["organisations"] = options["organisations"]
        missing = [key for key in ("name", "slug", "area_name", "area_code", "admin_email") if not given.get(key)]
        if missing:
            raise CommandError("Give " + ", ".join("--" + key.replace("_", "-") for key in missing) + ".")
        organisations = [
            OrganisationDetails(o.name, o.short_name, _kind(o.kind, f"organisation {o.name!r}"))
            for o in given.get("organisations", [])
        ]
        details = NewPartnership(
            name=given["name"],
            slug=given["slug"],
            area_name=given["area_name"],
            area_code=given["area_code"],
            organisations=organisations,
            administrator_email=given["admin_email"],
            administrator_organisation=given.get("admin_organisation", ""),
            administrator_first_name=given.get("admin_first_name") or "Administrator",
            administrator_last_name=given.get("admin_last_name", ""),
        )
        try:
            result = create_partnership(details)
        except ValidationError as error:
            problems = (
                [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError("Nothing was made. " + " ".join(problems)) from None
        if not result.created:
            self.stdout.write(
                f"A partnership with the slug {result.partnership.slug!r} already exists "
                f"({result.partnership.name}): nothing was changed."
            )
            return
        if result.invitation is None or result.administrator is None:  # made, so both are there
            raise CommandError("The partnership was made without its administrator.")
        count = len(organisations)
        self.stdout.write(
            f"Made {result.partnership.name} ({result.partnership.slug}) with {count} organisation"
            f"{'' if count == 1 else 's'}, and its administrator {result.administrator.email} "
            f"({result.administrator.organisation})."
        )
        expires = timezone.localtime(result.invitation.expires_at)
        self.stdout.write(
            f"Send the administrator this one-time link to choose a password and sign in; it works until "
            f"{expires:%-d %B %Y %H:%M}:"
        )
        self.stdout.write(result.link)
