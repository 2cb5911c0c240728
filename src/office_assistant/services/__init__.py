"""Use cases, one per module: intake, routing, history, relevance, auxiliary, respond."""
