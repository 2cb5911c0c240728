"""The chat's files in the media bucket, and sending a file into the chat: shared by the file tools.

Keys carry the chat only as a hash (as the Route step's image keys do), so a key never holds user-chosen text
except the file name, which is reduced to safe characters first.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING

from office_assistant.domain.errors import ToolServiceError

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.ports import ChatPlatform
    from office_assistant.tools.spec import ToolContext

logger = logging.getLogger(__name__)

KINDS = ("files", "images")  # what the assistant sent, what users sent (stored by the Route step)


def chat_prefix(message: InboundMessage, kind: str = "files") -> str:
    chat = hashlib.sha256(message.conversation_key.encode()).hexdigest()[:16]
    return f"{kind}/{message.platform.value}/{chat}/"


def safe_filename(name: str, extension: str) -> str:
    """`name` reduced to letters, digits, dot, dash and underscore, ending in `extension`."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:80] or "file"
    return stem if stem.lower().endswith(extension) else f"{stem}{extension}"


def platform_of(context: ToolContext) -> ChatPlatform:
    platforms = context.ports.platforms
    platform = platforms.by_name.get(context.message.platform.value) if platforms is not None else None
    if platform is None:
        raise ToolServiceError(f"no {context.message.platform.value} connection is configured")
    return platform


def keep_copy(context: ToolContext, filename: str, data: bytes, content_type: str) -> None:
    """Store what is sent under the chat's files, so list_chat_files shows it; a failure only loses the copy."""
    bucket = context.ports.media_bucket
    if bucket is None:
        return
    key = f"{chat_prefix(context.message)}{context.message.message_id}-{filename}"
    try:
        bucket.put(key, data, content_type)
    except Exception:
        logger.exception("sent file not kept in the media bucket", extra={"key": key})
