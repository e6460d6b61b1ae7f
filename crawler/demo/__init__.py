"""The offline demonstration: bundled news sites on loopback, a local mail
sink, and a run that plays the story forward phase by phase."""
