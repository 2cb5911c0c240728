"""Prepare and Route steps: work a message's media in, embed it once, pick its route; the embedding is reused by
Relevance and Respond."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from office_assistant.domain.errors import EmbeddingError
from office_assistant.domain.routes import RoutedMessage
from office_assistant.services.media import PreparedMessage
from office_assistant.workflow.payloads import Preparation

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

    def prepare(self, message: InboundMessage, media: bool = True) -> PreparedMessage:
        """Show the typing indicator, put names in, work the media in, redact: the message the rest of the
        workflow sees (transcripts and document text appended, images in the bucket, personal data replaced by
        placeholders where the PII policy applies), with media failures and redactions as notes.

        `media` False leaves the attachments alone: the Prepare step that works them in failed already, and
        trying again here would most likely fail the same way and cost the routing too.
        """
        if message.reply_expected and self.platforms is not None:
            if platform := self.platforms.by_name.get(message.platform.value):
                platform.show_typing(message)
        notes: tuple[str, ...] = ()
        if self.names is not None:
            message = self.names.resolve(message)
        if self.media is not None and media:
            prepared = self.media.prepare(message)
            message, notes = prepared.message, prepared.notes
        if self.pii is not None:
            message, pii_notes = self.pii.apply(message)
            notes = (*notes, *pii_notes)
        return PreparedMessage(message, notes)

    def route(self, message: InboundMessage, preparation: Preparation = Preparation.NONE) -> RoutedMessage:
        """The Route step: prepare the message as far as `preparation` says it is not yet, then classify it.

        The returned `message` is the prepared one, so storage, embeddings, logs and the model all see its text.
        """
        if preparation is not Preparation.DONE:
            prepared = self.prepare(message, media=preparation is Preparation.NONE)
            message, notes = prepared.message, prepared.notes
        else:
            notes = ()
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
