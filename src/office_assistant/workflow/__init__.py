"""The workflow: its one ASL definition, the typed payload of every state, and the task ↔ handler map."""
