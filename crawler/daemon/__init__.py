"""The long-running daemon (`compoundwatch run`): scheduled crawls in child
processes, serial analysis, the outbox and the digest. See docs/architecture.md."""
