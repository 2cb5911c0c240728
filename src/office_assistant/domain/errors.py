"""Errors the domain and services raise on purpose."""


class OfficeAssistantError(Exception):
    """Base of every error raised on purpose by office-assistant."""


class ChatModelError(OfficeAssistantError):
    """The chat model could not produce a reply."""


class PlatformPostError(OfficeAssistantError):
    """A reply could not be delivered to Slack or Telegram."""


class DeliveryUnknownError(PlatformPostError):
    """A post whose answer was lost after the platform may have delivered it (a timeout, a 5xx, a dropped
    connection once the request went out): sending it again, or something in its place, may show it twice."""


class RoutesFileError(OfficeAssistantError):
    """The routes file is missing or malformed."""


class ErpError(OfficeAssistantError):
    """The ERP could not be reached or refused the request."""


class ModelServerError(OfficeAssistantError):
    """The local chat model server could not be started or did not become ready."""


class MediaError(OfficeAssistantError):
    """An attachment could not be fetched, stored, transcribed or read; the message goes on with a note."""


class PiiError(OfficeAssistantError):
    """A text could not be checked for personal data (detector missing, failing or unreachable)."""


class EmbeddingError(OfficeAssistantError):
    """Texts could not be embedded (the embeddings service failed or answered something unusable)."""


class SettingsError(OfficeAssistantError, ValueError):
    """A setting's environment variable holds a value its field does not accept; the message names the variable."""


class ToolServiceError(OfficeAssistantError):
    """A service a model tool acts through (web search, a web page, weather, Slack, a renderer) failed or refused."""


class FetchRefusedError(ToolServiceError):
    """A URL the browse tool will not fetch: not http(s), a non-public address (also after a redirect), too big."""
