"""`make bench`: API economy and speed of obscura.zendesk, measured against the simulator."""
