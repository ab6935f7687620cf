"""Zendesk's two pagination styles: cursor (`page[size]`…) and offset (`page`, `per_page`)."""

import base64
import bisect
import binascii
import urllib.parse

from . import errors

MAX_PAGE_SIZE = 100
OFFSET_RECORD_LIMIT = 10000
CURSOR_KEYS = ("page[size]", "page[after]", "page[before]")


def record_id(record):
    """Sort key of every list: the record id."""
    return record.id


def encode_cursor(number):
    """Make an opaque cursor for a record id."""
    return base64.urlsafe_b64encode(f"id:{number}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """Return the record id inside a cursor, or raise 400."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = text.split(":", 1)
        if kind == "id":
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise errors.bad_request("InvalidPaginationParameter", "page[after] and page[before] must be cursors from a previous response")


def int_param(query, name, default):
    """Read a positive integer query parameter, or raise 400."""
    values = query.get(name)
    if not values:
        return default
    try:
        number = int(values[-1])
    except ValueError:
        number = 0
    if number < 1:
        raise errors.bad_request("InvalidPaginationParameter", f"{name} must be a positive integer")
    return number


def page_url(request, changes, drop):
    """Absolute URL of this list with some query parameters replaced and others removed."""
    query = {name: values for name, values in request.query.items() if name not in drop}
    query.update({name: [str(value)] for name, value in changes.items()})
    return f"{request.base_url}{request.path}?{urllib.parse.urlencode(query, doseq=True)}"


def paginate(request, records, key, render):
    """Body of one page of `records` (sorted by id) under `key`, in the style the request asks for."""
    choose = cursor_page if any(name in request.query for name in CURSOR_KEYS) else offset_page
    page, extras = choose(request, records)
    return {key: [render(record) for record in page], **extras}


def cursor_page(request, records):
    """One cursor page: `meta.has_more`, `meta.after_cursor`/`before_cursor`, `links.next`/`prev`."""
    size = int_param(request.query, "page[size]", MAX_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise errors.bad_request("InvalidPaginationParameter", f"page[size] must be less than or equal to {MAX_PAGE_SIZE}")
    if request.query.get("page[before]"):
        end = bisect.bisect_left(records, decode_cursor(request.query["page[before]"][-1]), key=record_id)
        page, has_more = records[max(end - size, 0):end], end > size
    else:
        after = request.query.get("page[after]")
        start = bisect.bisect_right(records, decode_cursor(after[-1]), key=record_id) if after else 0
        page, has_more = records[start:start + size], len(records) > start + size
    after_cursor = encode_cursor(page[-1].id) if page else None
    before_cursor = encode_cursor(page[0].id) if page else None
    drop = CURSOR_KEYS
    return page, {
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
        "links": {
            "next": page_url(request, {"page[size]": size, "page[after]": after_cursor}, drop) if after_cursor else None,
            "prev": page_url(request, {"page[size]": size, "page[before]": before_cursor}, drop) if before_cursor else None,
        },
    }


def offset_page(request, records):
    """One offset page: `next_page`, `previous_page`, `count`; 400 beyond the first 10,000 records."""
    number = int_param(request.query, "page", 1)
    per_page = min(int_param(request.query, "per_page", MAX_PAGE_SIZE), MAX_PAGE_SIZE)
    start = (number - 1) * per_page
    if start >= OFFSET_RECORD_LIMIT:
        raise errors.bad_request("InvalidPaginationParameter",
                                 f"Offset pagination is limited to the first {OFFSET_RECORD_LIMIT} records; use cursor pagination")
    page = records[start:start + per_page]
    has_next = start + per_page < len(records)
    return page, {
        "next_page": page_url(request, {"page": number + 1, "per_page": per_page}, ()) if has_next else None,
        "previous_page": page_url(request, {"page": number - 1, "per_page": per_page}, ()) if number > 1 else None,
        "count": len(records),
    }
