"""Route step: embed the message once, pick its route; the embedding is reused by Relevance and Respond."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from office_assistant.domain.errors import EmbeddingError
from office_assistant.domain.routes import RoutedMessage

if TYPE_CHECKING:
    from office_assistant.domain.messages import InboundMessage
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import Embedder, Platforms, RouteClassifier
    from office_assistant.services.media import MediaService
    from office_assistant.services.names import NameResolver
    from office_assistant.services.pii import PiiPolicy

logger = logging.getLogger(__name__)


class RoutingService:
    def __init__(
        self,
        book: RouteBook,
        embedder: Embedder,
        classifier: RouteClassifier,
        media: MediaService | None = None,
        platforms: Platforms | None = None,
        pii: PiiPolicy | None = None,
        names: NameResolver | None = None,
    ) -> None:
        self.book = book
        self.embedder = embedder
        self.classifier = classifier
        self.media = media
        self.platforms = platforms
        self.pii = pii
        self.names = names

    def route(self, message: InboundMessage) -> RoutedMessage:
        """The Route step: show the typing indicator, put names in, work the media in, redact it, classify it.

        The returned `message` is the prepared one (transcripts and document text appended, images in the
        bucket, personal data replaced by placeholders where the PII policy applies), so storage, embeddings,
        logs and the model all see that text; media failures and redactions arrive as notes.
        """
        if message.reply_expected and self.platforms is not None:
            if platform := self.platforms.by_name.get(message.platform.value):
                platform.show_typing(message)
        notes: tuple[str, ...] = ()
        if self.names is not None:
            message = self.names.resolve(message)
        if self.media is not None:
            prepared = self.media.prepare(message)
            message, notes = prepared.message, prepared.notes
        if self.pii is not None:
            message, pii_notes = self.pii.apply(message)
            notes = (*notes, *pii_notes)
        routed = self.classify(message)
        return replace(routed, notes=(*notes, *routed.notes), message=message)

    def classify(self, message: InboundMessage) -> RoutedMessage:
        """Route a message; with no text there is nothing to embed and the default route is used.

        An embedder or classifier failure is not the user's problem: the message goes on with the default route
        and a note, as the legacy did with its "unknown_route", and keeps what `route` already worked into it
        (names, transcripts, document text, stored images) instead of failing the step, whose Catch would pass
        on the raw message.
        """
        text = message.text.strip()
        if not text:
            return RoutedMessage(self.book.default, None, None, None)
        try:
            embedding = tuple(float(x) for x in self.embedder.embed([text])[0])
        except EmbeddingError as error:
            logger.warning("embedding failed, using the default route: %s", error)
            return RoutedMessage(
                self.book.default, None, None, None, ("routing failed: the text could not be embedded",)
            )
        try:
            matched, confidence = self.classifier.classify(embedding)
        except Exception as error:  # noqa: BLE001 - any classifier fault degrades to the default route
            logger.warning("route classifier failed, using the default route: %s", type(error).__name__)
            return RoutedMessage(self.book.default, None, None, embedding, ("routing failed",))
        return RoutedMessage(self.book.get(matched), matched, confidence, embedding)
