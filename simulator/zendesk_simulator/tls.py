"""A throw-away certificate authority and server certificate for `--https` (via trustme)."""

import os
import ssl

import trustme

SERVER_NAMES = ("localhost", "127.0.0.1", "::1")


def server_context(directory):
    """Return (server SSLContext, path of the CA certificate PEM written into `directory`)."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*SERVER_NAMES).configure_cert(context)
    ca_path = os.path.join(directory, "zendesk-simulator-ca.pem")
    authority.cert_pem.write_to_path(ca_path)
    return context, ca_path
