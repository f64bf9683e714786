"""``manage.py create_editor USERNAME``: create (or update) a user in the "Editors" group."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        'Create an editor (a user in the "Editors" group), or add an existing user to the group. '
        "The password comes from --password-env VAR (an environment variable), else a prompt; "
        "--no-password leaves it unusable (token-only script users)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="Read the password from this environment variable (never from the command line).",
        )
        parser.add_argument(
            "--no-password", action="store_true", help="Set no usable password (API tokens only)."
        )
        parser.add_argument("--token", action="store_true", help="Print an API token for the user.")

    def handle(self, *args, username: str, email: str, password_env: str | None, **options):
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError('The "Editors" group is missing: run manage.py migrate.') from None
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or unset.")
        elif not options["no_password"] and (user is None or not user.has_usable_password()):
            if not options.get("interactive", True) or not os.isatty(0):
                raise CommandError("Give --password-env VAR or --no-password (no terminal).")
            password = getpass.getpass(f"Password for {username}: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("The passwords differ.")
        with transaction.atomic():
            created = user is None
            if created:
                user = User(username=username, email=email)
            elif email:
                user.email = email
            if password is not None:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.is_active = True
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f'{verb} editor {username} (group "{EDITORS}").'))
        if options["token"]:
            from nato_tracker.api.tokens import expires_at, issue_token

            token = issue_token(user)
            end = expires_at(token)
            until = f" (expires {end:%Y-%m-%d %H:%M} UTC)" if end else ""
            self.stdout.write(f"API token: {token.key}{until}")
