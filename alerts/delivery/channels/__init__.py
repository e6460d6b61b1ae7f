"""One module per channel (SMTP, Apprise, the Atom file) behind base.Transport."""
