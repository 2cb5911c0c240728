"""What the deployed functions' environment means beyond `office_assistant.settings.ENV_VARS`.

Secrets never travel as values: a function gets the *id* (ARN) of each Secrets Manager secret it may read
(`SECRET_ID_ENV_VARS`, defined in settings.py beside the other names), and the runtime reads the value with
Powertools Parameters.
"""

from __future__ import annotations

from office_assistant.settings import SECRET_ID_ENV_VARS

__all__ = ["DEPLOYED_MODE", "SECRET_ID_ENV_VARS"]

DEPLOYED_MODE = "aws"
"""Value of settings' `mode` variable in a deployed stack: production adapters, secrets from Secrets Manager."""
