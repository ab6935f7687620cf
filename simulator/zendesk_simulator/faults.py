"""Injected failures: error statuses, slow responses and dropped connections."""

import dataclasses

FAULT_STATUSES = (429, 500, 503)


class FaultError(ValueError):
    """A fault specification the control API refuses."""


@dataclasses.dataclass
class Fault:
    """Fail the next `count` requests matching method and normalised path (every `every`-th one only, if set)."""

    method: str = "*"
    path: str = "*"
    status: int = None
    retry_after: str = None
    count: int = 1
    every: int = None
    delay: float = None
    drop: bool = False
    seen: int = 0

    def matches(self, method, path):
        """Whether a request (normalised path) falls under this fault."""
        return self.method in ("*", method) and self.path in ("*", path)

    def to_dict(self):
        """The fault as the control API shows it."""
        return dataclasses.asdict(self)


def positive_int(spec, name, default):
    """Read an optional integer >= 1 from a fault specification."""
    value = spec.get(name, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise FaultError(f"{name} must be an integer >= 1")
    return value


def parse_fault(spec):
    """Build a Fault from the JSON body of `POST /_sim/faults`, or raise FaultError."""
    if not isinstance(spec, dict):
        raise FaultError("a fault is a JSON object")
    unknown = set(spec) - {field.name for field in dataclasses.fields(Fault) if field.name != "seen"}
    if unknown:
        raise FaultError(f"unknown fault fields: {sorted(unknown)}")
    status, delay, drop = spec.get("status"), spec.get("delay"), bool(spec.get("drop", False))
    if status is not None and status not in FAULT_STATUSES:
        raise FaultError(f"status must be one of {FAULT_STATUSES}")
    if delay is not None and (not isinstance(delay, (int, float)) or delay < 0):
        raise FaultError("delay must be a number of seconds >= 0")
    if status is None and delay is None and not drop:
        raise FaultError("a fault needs a status, a delay or drop")
    retry_after = spec.get("retry_after")
    return Fault(method=str(spec.get("method", "*")).upper(), path=spec.get("path", "*"), status=status,
                 retry_after=None if retry_after is None else str(retry_after), count=positive_int(spec, "count", 1),
                 every=positive_int(spec, "every", None), delay=delay, drop=drop)


class Faults:
    """The active faults, consumed in the order they were added."""

    def __init__(self):
        self.active = []

    def add(self, spec):
        """Add a fault from its JSON specification; return it."""
        fault = parse_fault(spec)
        self.active.append(fault)
        return fault

    def clear(self):
        """Remove every fault."""
        self.active = []

    def take(self, method, path):
        """Return the fault to apply to this request (using up one of its count), or None."""
        for fault in self.active:
            if not fault.matches(method, path):
                continue
            fault.seen += 1
            if fault.every and fault.seen % fault.every:
                continue
            fault.count -= 1
            if fault.count == 0:
                self.active.remove(fault)
            return fault
        return None
