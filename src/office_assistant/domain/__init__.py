"""Pure domain model: messages, routes, gathered context and the conversation built from them."""
