"""Write a JSON copy of Zendesk's OpenAPI file with our overlay applied: `python build_spec.py SPEC OVERLAY OUT`.

The overlay (overlay.yaml) follows the OpenAPI Overlay 1.0 idea of `actions` with `target` and
`update`, with `target` given as a list of keys instead of a JSONPath. `update` is merged deeply into
the target: mappings merge key by key, anything else (lists, scalars) replaces what was there.
"""

import json
import sys

import yaml


class SpecLoader(yaml.CSafeLoader):  # pylint: disable=too-many-ancestors
    """PyYAML loader for Zendesk's file: unquoted `=` scalars and dates stay plain strings."""


def construct_plain(loader, node):
    """Keep the scalar's text as it is."""
    return loader.construct_scalar(node)


SpecLoader.add_constructor("tag:yaml.org,2002:value", construct_plain)
SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_plain)


def merge(target, update):
    """Deep-merge `update` into the mapping `target`."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value


def locate(document, keys):
    """The mapping at a key path, created when missing."""
    node = document
    for key in keys:
        node = node.setdefault(key, {})
    return node


def apply_overlay(document, overlay):
    """Apply every action of the overlay to the document."""
    for action in overlay["actions"]:
        merge(locate(document, action["target"]), action["update"])
    return document


def main(spec_path, overlay_path, out_path):
    """Load, apply, write."""
    with open(spec_path, encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=SpecLoader)  # nosec B506 - SpecLoader is a SafeLoader
    with open(overlay_path, encoding="utf-8") as stream:
        overlay = yaml.safe_load(stream)
    with open(out_path, "w", encoding="utf-8") as stream:
        json.dump(apply_overlay(document, overlay), stream)


if __name__ == "__main__":
    main(*sys.argv[1:])
