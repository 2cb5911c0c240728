"""Auxiliary branch: mute state and, on routes that need it, the ERP's model map."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from office_assistant.domain.context import AuxiliaryFindings
from office_assistant.domain.errors import ErpError

if TYPE_CHECKING:
    from office_assistant.domain.routes import RouteBook
    from office_assistant.ports import ErpClient, StateTable

logger = logging.getLogger(__name__)


class AuxiliaryService:
    def __init__(self, state: StateTable, erp: ErpClient | None, book: RouteBook) -> None:
        self.state = state
        self.erp = erp
        self.book = book

    def findings(self, chat_key: str, route_name: str | None) -> AuxiliaryFindings:
        """Mute state (a failure here fails the branch) plus ERP models; an ERP outage is only a note."""
        settings = self.book.get(route_name).settings
        muted = self.state.is_muted(chat_key)
        if not settings.needs_erp:
            return AuxiliaryFindings(muted=muted)
        if self.erp is None:
            return AuxiliaryFindings(muted=muted, notes=("the ERP is not configured",))
        try:
            return AuxiliaryFindings(muted=muted, erp_models=self.erp.mapped_models())
        except ErpError as error:
            logger.warning("ERP model map unavailable: %s", error)
            return AuxiliaryFindings(muted=muted, notes=("the ERP is unreachable right now",))
