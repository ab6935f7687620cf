# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP layer: a small, careful way to call the Zendesk Support API.

One ``requests.Session`` per instance (connection reuse across pages), JSON in and out,
bounded retries that never repeat a POST Zendesk may have processed, cursor pagination as a
generator, and one exception type whose text never carries a header or a secret.
"""

from __future__ import annotations

import email.utils
import random
import time
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

try:
    import requests
    from requests.auth import AuthBase, HTTPBasicAuth
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:  # pragma: no cover - reported by the module through missing_required_lib
    requests = None

USER_AGENT_TEMPLATE = "obscura.zendesk/%s (Ansible collection)"
PAGE_SIZE = 100
RETRY_STATUSES = frozenset((429, 503))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE"))
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
REDACTED = "********"


class ZendeskError(Exception):
    """A failed Zendesk call: HTTP status (None when no answer came), Zendesk's error fields, method and path."""

    def __init__(self, method, path, status=None, error=None, description=None, details=None, retry_after=None):
        self.method = method
        self.path = path
        self.status = status
        self.error = error
        self.description = description
        self.details = details
        self.retry_after = retry_after
        super().__init__(self.summary())

    def summary(self):
        """One line: what was called, what came back, what Zendesk said."""
        where = "%s %s" % (self.method, self.path)
        if self.status is None:
            return "%s failed: %s" % (where, self.description)
        said = ": ".join(part for part in (self.error, self.description) if part)
        text = "%s returned HTTP %s" % (where, self.status)
        if said:
            text += " (%s)" % said
        details = format_details(self.details)
        if details:
            text += "; " + details
        return text


def format_details(details):
    """Flatten Zendesk's ``details`` ({field: [{description, error}]}) into ``field: text`` phrases."""
    if not isinstance(details, dict):
        return ""
    phrases = []
    for field, problems in sorted(details.items()):
        for problem in problems if isinstance(problems, list) else [problems]:
            if isinstance(problem, dict):
                problem = problem.get("description") or problem.get("error") or ""
            phrases.append("%s: %s" % (field, problem))
    return "; ".join(phrases)


def parse_error_body(response):
    """Return (error, description, details) from a JSON or plain-text Zendesk error body."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return None, text[:500] or None, None
    if not isinstance(body, dict):
        return None, str(body)[:500], None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return first.get("code"), first.get("title") or first.get("detail"), body.get("details")
    error = body.get("error")
    if isinstance(error, dict):  # e.g. {"error": {"title": ..., "message": ...}}
        return error.get("title"), error.get("message"), body.get("details")
    # OAuth endpoints (/oauth/tokens, invalid Bearer tokens) answer {"error": ..., "error_description": ...}.
    description = body.get("description") or body.get("error_description") or body.get("message")
    return error, description, body.get("details")


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def exception_chain(exc):
    """``exc`` and the exceptions behind it (``reason``, a wrapped first argument, the cause), outermost first."""
    seen = set()
    while isinstance(exc, BaseException) and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        reason = getattr(exc, "reason", None)
        nested = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = reason if isinstance(reason, BaseException) else nested or exc.__cause__ or exc.__context__


def request_never_sent(exc):
    """True when a connection error happened before the request reached Zendesk (safe to repeat a POST)."""
    return any(isinstance(cause, (requests.exceptions.ConnectTimeout, NewConnectionError, ConnectTimeoutError))
               for cause in exception_chain(exc))


def root_cause_text(exc):
    """The innermost exception's text: 'Connection refused' rather than urllib3's whole chain."""
    *dummy, innermost = exception_chain(exc)
    # urllib3 prefixes "<urllib3.connection.HTTPConnection object at 0x...>: "; keep the human part.
    return str(innermost).split(">: ", 1)[-1]


class RetryPolicy:
    """Bounded retries: ``retries`` repeats at most, backoff with full jitter, a cap on the total wait."""

    def __init__(self, retries=5, backoff=1.0, max_backoff=30.0, max_total_wait=120.0, sleep=time.sleep, rand=random.random):
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_total_wait = max_total_wait
        self.sleep = sleep
        self.rand = rand

    def delay(self, attempt, retry_after=None):
        """Seconds before repeat number ``attempt`` (1-based): Retry-After if given, else jittered backoff."""
        if retry_after is not None:
            return retry_after
        return self.rand() * min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))


def user_agent(version=None):
    """The User-Agent header naming the collection's version (``unknown`` when the caller did not say)."""
    return USER_AGENT_TEMPLATE % (version or "unknown")


class BearerAuth(AuthBase if requests else object):
    """``Authorization: Bearer <token>`` for one request, overriding the ZendeskApi's own credentials."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = "Bearer %s" % self.token
        return request


class NoAuth(AuthBase if requests else object):
    """No ``Authorization`` header for one request: the grant endpoint takes the OAuth client's credentials in the body,
    and must not see the ZendeskApi's own (a foreign Bearer token there is a refused security scheme)."""

    def __call__(self, request):
        request.headers.pop("Authorization", None)
        return request


class ZendeskApi:
    """Access to one Zendesk account (``base_url``) through one HTTP connection pool (a requests.Session).

    ``auth`` is ('bearer', token), ('basic', (user, password)) or ('none', None): the last for the
    OAuth grant endpoint, which takes the OAuth client's credentials in the body; call use_bearer() after it.
    """

    def __init__(self, base_url, auth, secrets=(), validate_certs=True, ca_path=None, timeout=30, retry=None, version=None):
        if requests is None:
            raise RuntimeError("the Python library 'requests' is required")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._secrets = tuple(s for s in secrets if s)
        # The client-credentials token this run opened and authenticates with (a _grant.GrantedToken), or None.
        self.granted = None
        # How far Zendesk's clock is ahead of this host's (from the Date header of its last answer), or None.
        self._skew = None
        self.http = requests.Session()
        self.http.headers.update({"Accept": "application/json", "User-Agent": user_agent(version)})
        # Passed with every request: a session-level setting would lose to REQUESTS_CA_BUNDLE.
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        kind, value = auth
        if kind == "bearer":
            self.use_bearer(value)
        elif kind == "basic":
            self.http.auth = HTTPBasicAuth(*value)

    def use_bearer(self, token):
        """Authenticate every later call with this OAuth access token (also redacted from errors)."""
        self.add_secret(token)
        self.http.auth = None
        self.http.headers["Authorization"] = "Bearer %s" % token

    def use_granted(self, granted):
        """Authenticate every later call with the run's own client-credentials token, remembered as ``granted``."""
        self.granted = granted
        self.use_bearer(granted.token)

    def server_now(self):
        """Zendesk's time now, by the ``Date`` header of its last answer; None before any answer.

        A token's ``expires_at`` is Zendesk's time, so expiry is judged by Zendesk's clock, not this host's.
        """
        return None if self._skew is None else datetime.now(timezone.utc) + self._skew

    def _note_server_time(self, response):
        """Remember how far Zendesk's clock (the answer's ``Date``) is from this host's."""
        try:
            when = email.utils.parsedate_to_datetime(response.headers.get("Date") or "")
        except (TypeError, ValueError, IndexError):
            return
        if when is not None:
            self._skew = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)) - datetime.now(timezone.utc)

    def close(self):
        """Release the pooled connections."""
        self.http.close()

    def redact(self, text):
        """``text`` with every credential this ZendeskApi knows replaced by asterisks."""
        text = str(text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def url_for(self, path):
        """Absolute URL for an API path (``/api/v2/...``) or a link Zendesk returned on the same origin."""
        if path.startswith(("http://", "https://")):
            self._check_same_origin(path)
            return path
        return self.base_url + path

    def _check_same_origin(self, url):
        """Refuse to send our credentials to a host other than the configured one."""
        ours, theirs = urlsplit(self.base_url), urlsplit(url)
        if (ours.scheme, ours.netloc) != (theirs.scheme, theirs.netloc):
            raise ZendeskError("GET", urlsplit(url).path, description=(
                "Zendesk returned a pagination link to another origin (%s://%s); refusing to follow it "
                "with credentials for %s://%s" % (theirs.scheme, theirs.netloc, ours.scheme, ours.netloc)))

    def add_secret(self, value):
        """Redact ``value`` too from every error this ZendeskApi raises."""
        if value:
            self._secrets += (value,)

    def request(self, method, path, params=None, json=None, auth=None, expect=(200, 201, 204)):
        """Send one API call with retries; return the decoded JSON body (None for an empty one).

        Raises ZendeskError for any status outside ``expect`` and for connection failures.
        """
        method = method.upper()
        url = self.url_for(path)
        shown_path = urlsplit(url).path
        # Zendesk wants a JSON content type on writes, even those without a body.
        headers = {"Content-Type": "application/json"} if method in WRITE_METHODS else None
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.http.request(method, url, params=params, json=json, headers=headers, auth=auth,
                                             timeout=self.timeout, verify=self.verify)
            except requests.exceptions.RequestException as exc:
                error = self._connection_error(method, shown_path, exc)
                may_repeat = method in IDEMPOTENT_METHODS or request_never_sent(exc)
                waited = self._wait_or_raise(error, attempt, waited, may_repeat, None)
                continue
            self._note_server_time(response)
            if response.status_code in expect:
                return self._decode(method, shown_path, response)
            error = self._http_error(method, shown_path, response)
            may_repeat = response.status_code in RETRY_STATUSES and (method != "POST" or response.status_code == 429)
            waited = self._wait_or_raise(error, attempt, waited, may_repeat, error.retry_after)

    def _wait_or_raise(self, error, attempt, waited, may_repeat, retry_after):
        """Sleep before the next attempt, or raise ``error`` when retrying is not allowed or not affordable."""
        if not may_repeat or attempt > self.retry.retries:
            raise error
        delay = self.retry.delay(attempt, retry_after)
        if waited + delay > self.retry.max_total_wait:
            raise error
        self.retry.sleep(delay)
        return waited + delay

    def _decode(self, method, path, response):
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ZendeskError(method, path, response.status_code, description="the response is not JSON") from None

    def _http_error(self, method, path, response):
        error, description, details = parse_error_body(response)
        return ZendeskError(
            method, path, response.status_code,
            error=self.redact(error) if error else None,
            description=self.redact(description) if description else None,
            details=self._redact_details(details),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )

    def _redact_details(self, details):
        if not isinstance(details, dict):
            return None
        return {self.redact(k): self.redact(v) if not isinstance(v, list) else [self._redact_item(i) for i in v] for k, v in details.items()}

    def _redact_item(self, item):
        if isinstance(item, dict):
            return {k: self.redact(v) for k, v in item.items()}
        return self.redact(item)

    def _connection_error(self, method, path, exc):
        """A ZendeskError for a request that got no HTTP answer; names the kind of failure, not the URL's secrets."""
        if isinstance(exc, requests.exceptions.SSLError):
            what = "TLS verification failed (set ca_path to the CA bundle that signed the server, or fix the URL)"
        elif isinstance(exc, requests.exceptions.Timeout):
            what = "no answer within %s seconds (timeout)" % self.timeout
        elif isinstance(exc, requests.exceptions.ConnectionError):
            what = "could not connect to %s or the connection was dropped" % self.base_url
        else:
            what = type(exc).__name__
        return ZendeskError(method, path, description="%s: %s" % (what, self.redact(root_cause_text(exc))))

    def get(self, path, params=None, **kwargs):
        """GET ``path`` and return its JSON body."""
        return self.request("GET", path, params=params, **kwargs)

    def get_if_present(self, path, key):
        """``key`` of the JSON body of GET ``path``, or None when Zendesk answers 404 (gone, or never there)."""
        try:
            return self.get(path)[key]
        except ZendeskError as err:
            if err.status == 404:
                return None
            raise

    def delete_if_present(self, path, auth=None, gone=(404,)):
        """DELETE ``path``: True when it was deleted, False when Zendesk answered a status of ``gone`` (already gone)."""
        try:
            self.request("DELETE", path, auth=auth, expect=(200, 204))
        except ZendeskError as err:
            if err.status in gone:
                return False
            raise
        return True

    def paginate(self, path, key, params=None):
        """Yield the objects under ``key`` of every page of a list endpoint, one request per page.

        Uses cursor pagination (``page[size]``; follows ``links.next`` while ``meta.has_more``),
        and falls back to offset pagination (``next_page``) for endpoints that only offer it.
        Stopping the iteration stops the requests.
        """
        query = dict(params or {})
        query["page[size]"] = PAGE_SIZE
        page = self.get(path, params=query) or {}
        while True:
            yield from page.get(key) or []
            next_url = _next_page_url(page)
            if not next_url:
                return
            page = self.get(urljoin(self.base_url + "/", next_url)) or {}


def _next_page_url(page):
    """The next page's URL from a cursor (``meta.has_more`` + ``links.next``) or offset (``next_page``) page."""
    meta = page.get("meta")
    if isinstance(meta, dict) and "has_more" in meta:
        links = page.get("links") or {}
        return links.get("next") if meta.get("has_more") else None
    return page.get("next_page")
