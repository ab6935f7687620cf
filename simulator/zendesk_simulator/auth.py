"""Who is calling: Zendesk's three credential kinds, or nobody."""

import base64
import binascii
import dataclasses

from . import errors

ROLE_RANK = {"end-user": 0, "agent": 1, "admin": 2}


@dataclasses.dataclass
class Identity:
    """The caller: auth kind (`password`, `api_token`, `bearer`, `anonymous`), user and Bearer token."""

    kind: str
    user: object = None
    token: object = None

    @property
    def user_id(self):
        """The caller's user id (None when anonymous or not authenticated)."""
        return self.user.id if self.user else None

    def has_role(self, role):
        """Whether the caller's role is at least `role`."""
        return self.user is not None and ROLE_RANK[self.user.role] >= ROLE_RANK[role]

    def has_scope(self, access, resource=None):
        """Whether a Bearer caller's scopes grant `access` (read/write), broadly or on `resource`."""
        scopes = self.token.scopes
        return access in scopes or (resource is not None and f"{resource}:{access}" in scopes)


def credential_kind(header):
    """Classify an Authorization header without checking it (for the request log)."""
    scheme = (header or "").partition(" ")[0]
    if not header:
        return "anonymous"
    if scheme.lower() == "bearer":
        return "bearer"
    if scheme.lower() == "basic":
        username = decode_basic(header)[0]
        return "api_token" if username and username.endswith("/token") else "password"
    return "anonymous"


def decode_basic(header):
    """Split a Basic header into (username, password); (None, None) if malformed."""
    try:
        text = base64.b64decode(header.partition(" ")[2].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    username, colon, password = text.partition(":")
    return (username, password) if colon else (None, None)


def authenticate(tenant, header):
    """Return the caller's Identity, or raise 401 for credentials Zendesk would refuse."""
    kind = credential_kind(header)
    if kind == "anonymous":
        if header:
            raise errors.unauthorized()
        return Identity("anonymous")
    if kind == "bearer":
        token = tenant.check_bearer(header.partition(" ")[2].strip())
        return Identity(kind, tenant.users[token.user_id], token)
    username, password = decode_basic(header)
    if kind == "api_token":
        user = tenant.check_api_token(username[:-len("/token")], password)
    else:
        user = tenant.check_password(username, password) if username else None
    if user is None:
        raise errors.unauthorized()
    return Identity(kind, user)
