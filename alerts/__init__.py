"""Analysis and delivery: seed claims and entities, number/date/place parsing,
relevance, claim matching, figure changes and raids (pure functions), and the
alert outbox with its email, digest and feed channels. Depends on store."""
