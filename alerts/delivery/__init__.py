"""Delivery: the outbox, the messages it composes (email, digest, Atom, Apprise),
their rendering and the channels that carry them. Reads what detection wrote;
never analyses."""
