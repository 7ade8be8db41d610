"""Command line: accounts and API keys."""

from __future__ import annotations

import sys

from ..config import from_env


def open_engine():
    from auth.db import make_engine

    settings = from_env()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.db_url)


def read_password(args) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Wachtwoord (minstens 12 tekens): ")
    if first != getpass.getpass("Herhaal het wachtwoord: "):
        raise SystemExit("De wachtwoorden zijn niet gelijk.")
    return first


def users(args) -> int:
    from auth import users

    engine = open_engine()
    try:
        if args.action == "add":
            account = users.add_user(engine, args.name, args.role, read_password(args))
            print(f"Gebruiker {account.username!r} aangemaakt met rol {account.role}.")
        elif args.action == "list":
            for a in users.list_users(engine):
                print(f"{a.username}\t{a.role}\t{'actief' if a.active else 'uitgeschakeld'}")
        elif args.action == "set-role":
            users.set_role(engine, args.name, args.role)
            print(f"Rol van {args.name!r} is nu {args.role}; lopende sessies zijn beëindigd.")
        elif args.action == "disable":
            users.disable(engine, args.name)
            print(f"Gebruiker {args.name!r} is uitgeschakeld; lopende sessies zijn beëindigd.")
        elif args.action == "token":
            print(users.new_api_token(engine, args.name))
            print("Bewaar deze API-sleutel nu: hij wordt niet nog eens getoond. Een nieuwe sleutel vervangt de oude.",
                  file=sys.stderr)
        elif args.action == "set-password":
            users.set_password(engine, args.name, read_password(args), actor="cli")
            print(f"Wachtwoord van {args.name!r} gewijzigd; lopende sessies zijn beëindigd.")
    except users.UserError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    return 0
