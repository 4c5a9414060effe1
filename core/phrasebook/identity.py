"""Who you are, and what you may do (issue 25 #4): the app's login and its refusals, the roles, the users file
and ``hoering users``."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    # roles
    "identity.role.reader": {"da": "læser", "en": "reader"},
    "identity.role.case_officer": {"da": "sagsbehandler", "en": "case officer"},
    # failures (core/identity.py's IdentityError)
    "identity.empty_password": {"da": "Adgangskoden er tom.", "en": "The password is empty."},
    "identity.users_unreadable": {"da": "Brugerfilen {path} kan ikke læses: {error}",
                                  "en": "The users file {path} cannot be read: {error}"},
    "identity.users_bad_entry": {
        "da": "Brugerfilen {path}: »{name}« mangler en argon2-hash eller en rolle (læser eller sagsbehandler).",
        "en": "The users file {path}: '{name}' lacks an argon2 hash or a role (læser or sagsbehandler).",
    },
    "identity.bad_name": {"da": "»{name}« kan ikke bruges som navn (tomt, over 200 tegn eller med styretegn).",
                          "en": "'{name}' cannot be used as a name (empty, over 200 characters or with control "
                                "characters)."},
    "identity.bad_role": {"da": "Ukendt rolle »{role}«: læser eller sagsbehandler.",
                          "en": "Unknown role '{role}': læser (reader) or sagsbehandler (case officer)."},
    "identity.bad_group_mapping": {
        "da": "HOERING_ROLE_GROUPS: »{entry}« er ikke gruppe=rolle (læser eller sagsbehandler).",
        "en": "HOERING_ROLE_GROUPS: '{entry}' is not group=role (læser or sagsbehandler).",
    },
    # the app (ui/auth.py)
    "ui.auth.login_title": {"da": "Log ind", "en": "Sign in"},
    "ui.auth.login_intro": {"da": "Høringsassistent kræver login. Skriv dit navn og din adgangskode.",
                            "en": "Høringsassistent requires you to sign in. Enter your name and password."},
    "ui.auth.name": {"da": "Navn", "en": "Name"},
    "ui.auth.password": {"da": "Adgangskode", "en": "Password"},
    "ui.auth.login_button": {"da": "Log ind", "en": "Sign in"},
    "ui.auth.login_failed": {"da": "Forkert navn eller adgangskode.", "en": "Wrong name or password."},
    "ui.auth.no_users": {
        "da": "Der er ingen brugere i {path}. En administrator opretter dem med »hoering users add NAVN --role "
              "sagsbehandler«.",
        "en": "There are no users in {path}. An administrator adds them with 'hoering users add NAME --role "
              "sagsbehandler'.",
    },
    "ui.auth.logout": {"da": "Log ud", "en": "Sign out"},
    "ui.auth.signed_in_as": {"da": "Du er **{name}** ({role}).", "en": "You are **{name}** ({role})."},
    "ui.auth.read_only": {"da": "Som læser kan du læse og spørge, men ikke ændre noget.",
                          "en": "As a reader you can read and ask, but not change anything."},
    "ui.auth.proxy_refused": {
        "da": "Adgang nægtet: forespørgslen bærer ingen bruger (headeren {header} mangler). Åbn Høringsassistent "
              "gennem kommunens log ind.",
        "en": "Access refused: the request carries no user (the header {header} is missing). Open "
              "Høringsassistent through your organisation's sign-in.",
    },
    "ui.auth.oidc_intro": {"da": "Log ind med din organisations konto.",
                           "en": "Sign in with your organisation's account."},
    "ui.auth.oidc_unconfigured": {
        "da": "Log ind med OIDC er valgt (HOERING_AUTH=oidc), men .streamlit/secrets.toml mangler: {missing}.",
        "en": "Sign-in with OIDC is chosen (HOERING_AUTH=oidc), but .streamlit/secrets.toml lacks: {missing}.",
    },
    # the command line (hoering/users_cli.py)
    "cli.users_help": {"da": "Brugerfilen (HOERING_USERS_FILE): tilføj, vis og fjern brugere.",
                       "en": "The users file (HOERING_USERS_FILE): add, list and remove users."},
    "cli.users_add_help": {
        "da": "Tilføj en bruger, eller giv en bruger ny adgangskode og rolle. Adgangskoden spørges om (skjult), "
              "eller læses som første linje fra stdin.",
        "en": "Add a user, or give a user a new password and role. The password is asked for (hidden), or read "
              "as the first line of stdin.",
    },
    "cli.users_list_help": {"da": "Vis brugerne og deres roller.", "en": "List the users and their roles."},
    "cli.users_remove_help": {"da": "Fjern en bruger.", "en": "Remove a user."},
    "cli.users_name": {"da": "Brugerens navn, som sporet viser det.", "en": "The user's name, as the trail shows it."},
    "cli.users_role": {"da": "læser eller sagsbehandler.", "en": "læser (reader) or sagsbehandler (case officer)."},
    "cli.password_prompt": {"da": "Adgangskode", "en": "Password"},
    "cli.password_again": {"da": "Adgangskode igen", "en": "Password again"},
    "cli.password_mismatch": {"da": "De to adgangskoder er ikke ens; intet er skrevet.",
                              "en": "The two passwords differ; nothing was written."},
    "cli.user_added": {"da": "{name} tilføjet som {role} i {path}.", "en": "{name} added as {role} to {path}."},
    "cli.user_replaced": {"da": "{name} har fået ny adgangskode og rollen {role} i {path}.",
                          "en": "{name} has a new password and the role {role} in {path}."},
    "cli.user_removed": {"da": "{name} fjernet fra {path}.", "en": "{name} removed from {path}."},
    "cli.user_unknown": {"da": "{name} står ikke i {path}.", "en": "{name} is not in {path}."},
    "cli.no_users": {"da": "Ingen brugere i {path}.", "en": "No users in {path}."},
}
