"""The deterministic default tenant: users, their secrets, the seed OAuth clients and tokens.

Everything here is a test fixture: `GET /_sim/info` returns it, secrets included.
"""

SEED_TIME = "2026-01-01T00:00:00Z"

ADMIN_ID = 1001
ADMIN2_ID = 1002
AGENT_ID = 1003
END_USER_ID = 1004
SUSPENDED_ID = 1005

# (id, email local part, role, suspended)
USER_ROWS = (
    (ADMIN_ID, "admin", "admin", False),
    (ADMIN2_ID, "admin2", "admin", False),
    (AGENT_ID, "agent", "agent", False),
    (END_USER_ID, "enduser", "end-user", False),
    (SUSPENDED_ID, "suspended", "admin", True),
)


def email_of(local_part):
    """Return the seed e-mail address for a local part."""
    return f"{local_part}@example.com"


def password_of(local_part):
    """Return the seed password of a user (no ':' so Basic auth stays unambiguous)."""
    return f"sim-pw-{local_part}"


def api_token_of(local_part):
    """Return the seed API token of a user."""
    return f"sim-api-token-{local_part}-0123456789abcdef"


ADMIN_EMAIL = email_of("admin")
ADMIN_PASSWORD = password_of("admin")
ADMIN_API_TOKEN = api_token_of("admin")
AGENT_EMAIL = email_of("agent")
AGENT_PASSWORD = password_of("agent")
AGENT_API_TOKEN = api_token_of("agent")
END_USER_EMAIL = email_of("enduser")
END_USER_PASSWORD = password_of("enduser")
END_USER_API_TOKEN = api_token_of("enduser")
SUSPENDED_EMAIL = email_of("suspended")
SUSPENDED_PASSWORD = password_of("suspended")
SUSPENDED_API_TOKEN = api_token_of("suspended")

BOOTSTRAP_CLIENT_ID = 1
BOOTSTRAP_CLIENT_NAME = "Zendesk simulator bootstrap"
BOOTSTRAP_CLIENT_IDENTIFIER = "simulator_bootstrap"
MY_APP_CLIENT_ID = 2
MY_APP_CLIENT_NAME = "OAuth client for my app"
MY_APP_CLIENT_IDENTIFIER = "my_app"

BOOTSTRAP_ADMIN_TOKEN_ID = 9001
BOOTSTRAP_ADMIN_OAUTH_TOKEN = "simadmin" + "e613e2147341323d3cb1150781b3dae937a6c816a1b12f5bf1f87ef9"
BOOTSTRAP_AGENT_TOKEN_ID = 9002
BOOTSTRAP_AGENT_OAUTH_TOKEN = "simagent" + "fd6bcf0350ed7d3af8225d985ae7590a9ebb2a260ad33fc1546db801"
BOOTSTRAP_SCOPES = ("read", "write")

# Fixed client secrets of the seed clients (64 characters, like Zendesk's).
BOOTSTRAP_CLIENT_SECRET = "simbootstrapsecret" + "0" * 46
MY_APP_CLIENT_SECRET = "simmyappsecret" + "0" * 50
