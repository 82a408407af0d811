from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from send_tracker.accounts.models import Organisation
from send_tracker.api.keys import create_api_key


class Command(BaseCommand):
    help = "Make a partner API key for an organisation. The key is printed once, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name or short name.")
        parser.add_argument("--partnership", help="The partnership's slug, where the name is in several.")
        parser.add_argument("--write", action="store_true", help="Allow updating the actions it owns.")
        parser.add_argument("--expires", help="The last day the key works, YYYY-MM-DD.")
        parser.add_argument("--name", default="", help="What the key is for, e.g. 'ICB Power BI'.")

    def handle(self, *args: Any, **options: Any) -> None:
        expires = None
        if options["expires"]:
            try:
                expires = datetime.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError(f"--expires must be a date as YYYY-MM-DD, not {options['expires']!r}.") from None
            if expires < datetime.date.today():
                raise CommandError("--expires is in the past: the key would never work.")
        wanted = options["organisation"].strip()
        organisations = Organisation.objects.filter(Q(name__iexact=wanted) | Q(short_name__iexact=wanted))
        if options["partnership"]:
            organisations = organisations.filter(partnership__slug=options["partnership"])
        matches = list(organisations.select_related("partnership"))
        if not matches:
            raise CommandError(f"No organisation is called {wanted!r}.")
        if len(matches) > 1:
            names = ", ".join(f"{o.name} ({o.partnership.slug})" for o in matches)
            raise CommandError(f"{wanted!r} matches several organisations: {names}. Add --partnership SLUG.")
        organisation = matches[0]
        api_key, key = create_api_key(
            organisation=organisation,
            name=options["name"] or f"{organisation} key",
            can_write=options["write"],
            expires_on=expires,
        )
        access = "read and write" if api_key.can_write else "read only"
        until = f", until {expires:%d %B %Y}" if expires else ""
        self.stdout.write(f"Made {access} API key {api_key.prefix} for {organisation.name}{until}.")
        self.stdout.write("Keep it safe: it is shown only now. Send it as 'Authorization: Bearer KEY'.")
        self.stdout.write(key)
