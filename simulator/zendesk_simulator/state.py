"""The tenant: users, OAuth clients and OAuth tokens, with the rules Zendesk applies to them."""

import dataclasses
import json
import os
import re
import secrets
import tempfile
import threading

from . import errors, seed
from .clock import Clock, iso, parse_iso

CLIENT_KINDS = ("public", "confidential")
USER_ROLES = ("end-user", "agent", "admin")
UPDATABLE_CLIENT_FIELDS = ("name", "identifier", "kind", "company", "description", "redirect_uri")
FIRST_TOKEN_ID = 9001


@dataclasses.dataclass
class User:
    """A Zendesk user with its Basic-auth secrets."""

    id: int
    name: str
    email: str
    role: str
    suspended: bool
    password: str
    api_token: str
    active: bool = True


@dataclasses.dataclass
class Client:
    """A local OAuth client."""

    id: int
    name: str
    identifier: str
    user_id: int
    secret: str
    created_at: str
    updated_at: str
    kind: str = "public"
    company: str = None
    description: str = None
    redirect_uri: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Token:
    """An OAuth access token; `value` is the full secret, never shown after creation."""

    id: int
    value: str
    client_id: int
    user_id: int
    scopes: list
    created_at: str
    expires_at: str = None
    used_at: str = None
    revoked: bool = False

    @property
    def prefix(self):
        """The 10 characters Zendesk shows on reads."""
        return self.value[:10]


def new_secret():
    """Return a fresh 64-hex-character secret (client secret or access token)."""
    return secrets.token_hex(32)


def seed_users():
    """Build the seed users."""
    return {
        user_id: User(user_id, local.capitalize() + " (simulator)", seed.email_of(local), role, suspended,
                      seed.password_of(local), seed.api_token_of(local))
        for user_id, local, role, suspended in seed.USER_ROWS
    }


def seed_clients():
    """Build the two fixed seed OAuth clients."""
    return {
        seed.BOOTSTRAP_CLIENT_ID: Client(seed.BOOTSTRAP_CLIENT_ID, seed.BOOTSTRAP_CLIENT_NAME, seed.BOOTSTRAP_CLIENT_IDENTIFIER,
                                         seed.ADMIN_ID, seed.BOOTSTRAP_CLIENT_SECRET, seed.SEED_TIME, seed.SEED_TIME, "confidential"),
        seed.MY_APP_CLIENT_ID: Client(seed.MY_APP_CLIENT_ID, seed.MY_APP_CLIENT_NAME, seed.MY_APP_CLIENT_IDENTIFIER,
                                      seed.ADMIN_ID, seed.MY_APP_CLIENT_SECRET, seed.SEED_TIME, seed.SEED_TIME, "confidential"),
    }


def seed_tokens():
    """Build the bootstrap Bearer tokens of the admin and the agent."""
    scopes = list(seed.BOOTSTRAP_SCOPES)
    return {
        seed.BOOTSTRAP_ADMIN_TOKEN_ID: Token(seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN, seed.BOOTSTRAP_CLIENT_ID,
                                             seed.ADMIN_ID, scopes, seed.SEED_TIME),
        seed.BOOTSTRAP_AGENT_TOKEN_ID: Token(seed.BOOTSTRAP_AGENT_TOKEN_ID, seed.BOOTSTRAP_AGENT_OAUTH_TOKEN, seed.BOOTSTRAP_CLIENT_ID,
                                             seed.AGENT_ID, list(scopes), seed.SEED_TIME),
    }


def require_text(fields, name):
    """Return a required non-empty string field or raise Zendesk's 422."""
    value = fields.get(name)
    if value is None or value == "":
        raise errors.record_invalid(name, "BlankValue", f"{name.capitalize()}: cannot be blank")
    if not isinstance(value, str):
        raise errors.record_invalid(name, "InvalidValue", f"{name.capitalize()}: is invalid")
    return value


def check_client_fields(fields):
    """Validate the optional fields of a client body (kind, redirect_uri, strings)."""
    if "kind" in fields and fields["kind"] not in CLIENT_KINDS:
        raise errors.record_invalid("kind", "InvalidValue", "Kind: must be public or confidential")
    if "redirect_uri" in fields and not isinstance(fields["redirect_uri"], list):
        raise errors.record_invalid("redirect_uri", "InvalidValue", "Redirect uri: must be a list")
    for name in ("company", "description"):
        if fields.get(name) is not None and not isinstance(fields[name], str):
            raise errors.record_invalid(name, "InvalidValue", f"{name.capitalize()}: is invalid")


class Tenant:
    """All state of one simulated Zendesk account; callers hold `lock` around every use."""

    def __init__(self, seed_client_count=0):
        self.lock = threading.RLock()
        self.seed_client_count = seed_client_count
        self.reset()

    def reset(self):
        """Return to the deterministic seed (plus `seed_client_count` extra clients)."""
        self.clock = Clock()
        self.users = seed_users()
        self.clients = seed_clients()
        self.tokens = seed_tokens()
        self.tokens_by_value = {token.value: token for token in self.tokens.values()}
        self.index_identifiers()
        self.next_client_id = max(self.clients) + 1
        self.next_token_id = FIRST_TOKEN_ID + len(self.tokens)
        self.add_seeded_clients(self.seed_client_count)

    def now(self):
        """Return the simulated time as a Zendesk timestamp."""
        return iso(self.clock.now())

    # --- users and authentication -------------------------------------------------

    def user_by_email(self, email):
        """Return the user with this e-mail (case-insensitive) if they may sign in (active, not suspended), or None."""
        wanted = email.lower()
        for user in self.users.values():
            if user.email.lower() == wanted and self.user_can_sign_in(user):
                return user
        return None

    def check_password(self, email, password):
        """Return the user for `email:password` Basic auth, or None."""
        user = self.user_by_email(email)
        return user if user and secrets.compare_digest(user.password, password) else None

    def check_api_token(self, email, api_token):
        """Return the user for `email/token:api_token` Basic auth, or None."""
        user = self.user_by_email(email)
        return user if user and secrets.compare_digest(user.api_token, api_token) else None

    def check_bearer(self, value):
        """Return the live token for a Bearer value (marking it used).

        Raises 401 `invalid_token` when the value is no live token, 401 "Couldn't authenticate you" when the
        token's user may not sign in.
        """
        token = self.tokens_by_value.get(value)
        if token is None or not self.token_is_live(token):
            raise errors.invalid_token()
        if not self.user_can_sign_in(self.users[token.user_id]):
            raise errors.unauthorized()
        token.used_at = self.now()
        return token

    def token_is_live(self, token):
        """A token authenticates until it is revoked or its `expires_at` has passed."""
        return not token.revoked and not self.token_is_expired(token)

    def token_is_expired(self, token):
        """Whether the token's `expires_at` is in the simulated past."""
        return token.expires_at is not None and parse_iso(token.expires_at) <= self.clock.now()

    @staticmethod
    def user_can_sign_in(user):
        """Suspended and deleted (inactive) users authenticate with nothing: password, API token or OAuth token."""
        return user.active and not user.suspended

    def add_users(self, count, role="agent"):
        """Add `count` users ("Planted user 0001"…, planted-0001@example.com…) with `role`; return their ids."""
        if role not in USER_ROLES:
            raise ValueError(f"role must be one of {', '.join(USER_ROLES)}")
        first = max(self.users) + 1
        for user_id in range(first, first + count):
            local = f"planted-{user_id}"
            self.users[user_id] = User(user_id, f"Planted user {user_id}", seed.email_of(local), role, False,
                                       seed.password_of(local), seed.api_token_of(local))
        return list(range(first, first + count))

    def update_user(self, user_id, changes):
        """Change a user's `role`, `suspended` or `active` (deleted) flag, as an admin would in Zendesk."""
        user = self.users.get(user_id)
        if user is None:
            raise errors.record_not_found()
        unknown = set(changes) - {"role", "suspended", "active"}
        if unknown:
            raise ValueError(f"only role, suspended and active can change, not {', '.join(sorted(unknown))}")
        if "role" in changes and changes["role"] not in USER_ROLES:
            raise ValueError(f"role must be one of {', '.join(USER_ROLES)}")
        for name in ("suspended", "active"):
            if name in changes and not isinstance(changes[name], bool):
                raise ValueError(f"{name} must be true or false")
        for name, value in changes.items():
            setattr(user, name, value)
        return user

    def users_by_ids(self, user_ids, include_deleted=False):
        """The users with these ids in the order asked (unknown ids skipped; inactive ones only with include_deleted)."""
        found = (self.users.get(user_id) for user_id in dict.fromkeys(user_ids))
        return [user for user in found if user is not None and (include_deleted or user.active)]

    # --- OAuth clients --------------------------------------------------------------

    def client(self, client_id):
        """Return a client or raise 404."""
        try:
            return self.clients[client_id]
        except KeyError:
            raise errors.record_not_found() from None

    def check_identifier_free(self, identifier, client_id=None):
        """Raise Zendesk's 422 DuplicateValue if another client uses `identifier`."""
        if self.identifiers.get(identifier, client_id) != client_id:
            raise errors.record_invalid("identifier", "DuplicateValue", "Identifier: has already been taken")

    def index_identifiers(self):
        """Rebuild the identifier → client id index."""
        self.identifiers = {client.identifier: client.id for client in self.clients.values()}

    def create_client(self, fields, user_id, created_at=None):
        """Create a client from a request body; the caller becomes its `user_id` unless one is given.

        `created_at` (a Zendesk timestamp, default now) backdates the client, e.g. to before 2026-04-30.
        """
        name = require_text(fields, "name")
        identifier = require_text(fields, "identifier")
        check_client_fields(fields)
        self.check_identifier_free(identifier)
        now = created_at or self.now()
        client = Client(self.next_client_id, name, identifier, fields.get("user_id") or user_id, new_secret(), now, now,
                        fields.get("kind", "public"), fields.get("company"), fields.get("description"),
                        list(fields.get("redirect_uri") or []))
        self.clients[client.id] = client
        self.identifiers[identifier] = client.id
        self.next_client_id += 1
        return client

    def add_seeded_clients(self, count):
        """Add `count` clients named "Seeded client 00001"…, identifier `seeded_00001`…; return their ids."""
        numbers = [int(identifier[len("seeded_"):]) for identifier in self.identifiers if re.fullmatch(r"seeded_\d+", identifier)]
        first = max(numbers, default=0) + 1
        ids = []
        for number in range(first, first + count):
            client = self.create_client({"name": f"Seeded client {number:05d}", "identifier": f"seeded_{number:05d}",
                                         "kind": "confidential"}, seed.ADMIN_ID)
            ids.append(client.id)
        return ids

    def update_client(self, client_id, fields):
        """Apply a partial update to a client."""
        client = self.client(client_id)
        for name in ("name", "identifier"):
            if name in fields:
                require_text(fields, name)
        check_client_fields(fields)
        if "identifier" in fields:
            self.check_identifier_free(fields["identifier"], client_id)
        for name in UPDATABLE_CLIENT_FIELDS:
            if name in fields:
                setattr(client, name, fields[name])
        self.index_identifiers()
        client.updated_at = self.now()
        return client

    def delete_client(self, client_id):
        """Delete a client and revoke every token issued for it."""
        client = self.client(client_id)
        for token in self.tokens.values():
            if token.client_id == client.id:
                token.revoked = True
        del self.clients[client.id]
        del self.identifiers[client.identifier]

    def regenerate_secret(self, client_id):
        """Give a client a new secret."""
        client = self.client(client_id)
        client.secret = new_secret()
        client.updated_at = self.now()
        return client

    # --- OAuth tokens ---------------------------------------------------------------

    def create_token(self, user_id, client_id, scopes, expires_at=None, value=None):
        """Mint a token for `user_id` on an existing client (`value`: the full token, default 64 hex characters)."""
        self.client(client_id)
        token = Token(self.next_token_id, value or new_secret(), client_id, user_id, list(scopes), self.now(), expires_at)
        self.tokens[token.id] = token
        self.tokens_by_value[token.value] = token
        self.next_token_id += 1
        return token

    def visible_token(self, token_id):
        """Return a token the API can still show (live: neither revoked nor expired), or raise 404."""
        token = self.tokens.get(token_id)
        if token is None or not self.token_is_live(token):
            raise errors.record_not_found()
        return token

    def revoke_token(self, token):
        """Revoke a token: it no longer authenticates and disappears from the API."""
        token.revoked = True

    def listed_tokens(self, user_id=None, client_id=None, include_expired=False):
        """Tokens for the list endpoint, oldest first, optionally filtered by user and client."""
        return [
            token for token in self.tokens.values()
            if not token.revoked
            and (include_expired or not self.token_is_expired(token))
            and (user_id is None or token.user_id == user_id)
            and (client_id is None or token.client_id == client_id)
        ]

    def plant_tokens(self, count, user_ids, client_id, scopes, expires_at=None, value_prefix=""):
        """Mint `count` tokens spread round-robin over `user_ids` (a large account in one call); return their ids.

        `value_prefix` starts every value (like the common header of JWTs), so listed prefixes can collide.
        """
        for user_id in user_ids:
            if user_id not in self.users:
                raise ValueError(f"no user {user_id}")
        ids = []
        for index in range(count):
            token = self.create_token(user_ids[index % len(user_ids)], client_id, scopes, expires_at)
            if value_prefix:
                del self.tokens_by_value[token.value]
                token.value = value_prefix + token.value[len(value_prefix):]
                self.tokens_by_value[token.value] = token
            ids.append(token.id)
        return ids

    def plant_global_client_token(self, user_id, global_client_id, scopes):
        """A token of a global (multi-account) OAuth client: listed with that client's id, which no local client has."""
        if global_client_id in self.clients:
            raise ValueError(f"{global_client_id} is a local client id; pick an id no local client has")
        token = Token(self.next_token_id, new_secret(), global_client_id, user_id, list(scopes), self.now())
        self.tokens[token.id] = token
        self.tokens_by_value[token.value] = token
        self.next_token_id += 1
        return token

    # --- persistence ----------------------------------------------------------------

    def to_dict(self):
        """Everything needed to restore the tenant (secrets included: the file is a test fixture)."""
        return {
            "clock": self.clock.to_dict(),
            "seed_client_count": self.seed_client_count,
            "next_client_id": self.next_client_id,
            "next_token_id": self.next_token_id,
            # vars(), not dataclasses.asdict(): same flat fields, several times faster with 10,000 clients.
            "users": [vars(user) for user in self.users.values()],
            "clients": [vars(client) for client in self.clients.values()],
            "tokens": [vars(token) for token in self.tokens.values()],
        }

    def load_dict(self, data):
        """Replace the tenant with a saved one."""
        self.clock = Clock.from_dict(data["clock"])
        self.seed_client_count = data["seed_client_count"]
        self.next_client_id = data["next_client_id"]
        self.next_token_id = data["next_token_id"]
        self.users = {row["id"]: User(**row) for row in data["users"]}
        self.clients = {row["id"]: Client(**row) for row in data["clients"]}
        self.index_identifiers()
        self.tokens = {row["id"]: Token(**row) for row in data["tokens"]}
        self.tokens_by_value = {token.value: token for token in self.tokens.values()}

    def save(self, path):
        """Write the tenant atomically to `path` (mode 0600)."""
        directory = os.path.dirname(os.path.abspath(path))
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".zendesk-sim-state-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(self.to_dict()))  # one C-encoded string: json.dump() is far slower
        os.replace(tmp, path)

    def load(self, path):
        """Load the tenant from `path`."""
        with open(path, encoding="utf-8") as stream:
            self.load_dict(json.load(stream))
