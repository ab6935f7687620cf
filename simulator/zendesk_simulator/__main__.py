"""Command line: `python -m zendesk_simulator [--host H] [--port P] [--https] [--state FILE] [--seed-clients N] [--ready-file FILE]
[--public-url URL]`."""

import argparse
import ipaddress
import os
import shutil
import signal
import sys
import tempfile
import threading

from .server import Simulator, SimulatorServer


def parse_args(argv):
    """Parse and check the command line (loopback hosts only)."""
    parser = argparse.ArgumentParser(prog="python -m zendesk_simulator", description="Zendesk Support API simulator (loopback only).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: pick a free one)")
    parser.add_argument("--https", action="store_true", help="serve HTTPS with a throw-away CA; prints ZENDESK_CA_PATH")
    parser.add_argument("--state", help="JSON file: loaded at start if present, saved after every write and at exit")
    parser.add_argument("--seed-clients", type=int, default=0, metavar="N", help="add N clients to the seed")
    parser.add_argument("--ready-file", help="also write the ZENDESK_* lines to this file once listening")
    parser.add_argument("--public-url", help="base URL for `url` fields and pagination links (when behind a proxy such as Prism); "
                        "default: from each request's Host header")
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error(f"--host {args.host} is not a loopback address; the simulator only listens on loopback")
    return args


def is_loopback(host):
    """Whether `host` is `localhost` or a loopback IP address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_atomically(path, text):
    """Write `text` so readers never see a partial file."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(tmp, path)


def announce(lines, ready_file):
    """Write the ZENDESK_* lines to the ready file, then print them (first on stdout): either means ready."""
    text = "".join(f"{line}\n" for line in lines)
    if ready_file:
        write_atomically(ready_file, text)
    sys.stdout.write(text)
    sys.stdout.flush()


def stop_on_signals(server):
    """SIGTERM/SIGINT stop serving (shutdown must run outside the serving thread)."""
    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def main(argv=None):
    """Run the simulator until SIGTERM/SIGINT."""
    args = parse_args(argv)
    try:
        sim = Simulator(args.seed_clients, args.state)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sys.exit(f"zendesk_simulator: cannot load --state {args.state}: {type(exc).__name__}: {exc}")
    ca_dir = tempfile.mkdtemp(prefix="zendesk-simulator-") if args.https else None
    context = None
    if args.https:
        from .tls import server_context  # pylint: disable=import-outside-toplevel  # trustme only for --https
        context, sim.ca_path = server_context(ca_dir)
    server = SimulatorServer((args.host, args.port), sim, context)
    host = f"[{args.host}]" if ":" in args.host else args.host
    sim.base_url = f"{server.scheme}://{host}:{server.server_address[1]}"
    sim.public_url = args.public_url.rstrip("/") if args.public_url else None
    sim.changed()
    stop_on_signals(server)
    announce([f"ZENDESK_URL={sim.base_url}"] + ([f"ZENDESK_CA_PATH={sim.ca_path}"] if args.https else []), args.ready_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        with sim.lock:
            sim.changed()
        if ca_dir:
            shutil.rmtree(ca_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
