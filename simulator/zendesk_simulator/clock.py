"""The simulator's clock: real time, shifted or frozen through the control API."""

import datetime

UTC = datetime.timezone.utc


def iso(moment):
    """Format a datetime the way Zendesk does (ISO-8601, seconds, `Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text):
    """Parse an ISO-8601 timestamp (`Z` or offset); naive times count as UTC."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Clock:
    """Wall-clock time plus an offset, or a frozen moment once `set` was called."""

    def __init__(self):
        self.frozen = None
        self.offset = 0.0

    def now(self):
        """Return the simulated current time."""
        if self.frozen is not None:
            return self.frozen
        return datetime.datetime.now(UTC) + datetime.timedelta(seconds=self.offset)

    def set(self, moment):
        """Freeze the clock at `moment`."""
        self.frozen = moment

    def advance(self, seconds):
        """Move the clock forward (frozen or not)."""
        if self.frozen is not None:
            self.frozen += datetime.timedelta(seconds=seconds)
        else:
            self.offset += seconds

    def to_dict(self):
        """Serialise for the state file."""
        return {"frozen": iso(self.frozen) if self.frozen else None, "offset": self.offset}

    @classmethod
    def from_dict(cls, data):
        """Restore from the state file."""
        clock = cls()
        clock.frozen = parse_iso(data["frozen"]) if data.get("frozen") else None
        clock.offset = data.get("offset", 0.0)
        return clock
