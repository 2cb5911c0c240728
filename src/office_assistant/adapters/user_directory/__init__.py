"""UserDirectory adapters: Slack `users.info`, and a DynamoDB cache in front of it."""
