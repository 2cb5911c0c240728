"""Load the routes file (routes, utterances, per-route settings, threshold) into a RouteBook, or say what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from office_assistant.domain.errors import RoutesFileError
from office_assistant.domain.routes import Route, RouteBook, RouteSettings

_Count = Annotated[int, Field(ge=0)]
_Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _SettingsEntry(_Strict):
    """Every setting is required on every route: nothing is inherited, so a route reads the same as it runs."""

    summary_len: _Count
    full_text_len: _Count
    relevant: _Count
    system_prompt: list[_Text]
    assistant_prompt: list[_Text]
    model: _Text
    temperature: Annotated[float, Field(ge=0.0, le=2.0, strict=False)]
    max_tokens: Annotated[int, Field(gt=0)]
    needs_erp: bool
    tools: list[_Text] = Field(default_factory=list)  # absent: the route offers no tools

    @model_validator(mode="after")
    def _tools_exist(self) -> _SettingsEntry:
        from office_assistant.tools.catalogue import TOOLS_BY_NAME

        if unknown := sorted(set(self.tools) - set(TOOLS_BY_NAME)):
            raise ValueError(f"unknown tools {unknown}; the tools are: {', '.join(TOOLS_BY_NAME)}")
        return self


class _DefaultEntry(_Strict):
    name: _Text
    settings: _SettingsEntry


class _RouteEntry(_Strict):
    name: _Text
    utterances: Annotated[list[_Text], Field(min_length=1)]
    settings: _SettingsEntry


class _RoutesFile(_Strict):
    score_threshold: Annotated[float, Field(gt=0.0, le=1.0, strict=False)]
    prompts: dict[str, str]
    default: _DefaultEntry
    routes: Annotated[list[_RouteEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _names_and_prompts_resolve(self) -> _RoutesFile:
        names = [route.name for route in self.routes]
        if duplicates := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"route names must be unique, repeated: {duplicates}")
        if self.default.name in names:
            raise ValueError(f"the default route {self.default.name!r} must not also be a routed route")
        owners = [(self.default.name, self.default.settings)] + [(r.name, r.settings) for r in self.routes]
        for owner, settings in owners:
            if unknown := sorted(set(settings.system_prompt + settings.assistant_prompt) - set(self.prompts)):
                raise ValueError(f"route {owner!r} names prompts that are not in 'prompts': {unknown}")
        return self


def _settings(entry: _SettingsEntry, prompts: dict[str, str]) -> RouteSettings:
    return RouteSettings(
        summary_len=entry.summary_len,
        full_text_len=entry.full_text_len,
        relevant=entry.relevant,
        system_prompt="\n\n".join(prompts[name] for name in entry.system_prompt),
        assistant_prompt="\n\n".join(prompts[name] for name in entry.assistant_prompt),
        model=entry.model,
        temperature=entry.temperature,
        max_tokens=entry.max_tokens,
        needs_erp=entry.needs_erp,
        tools=tuple(entry.tools),
    )


def parse_route_book(raw: str, source: str = "<routes>") -> RouteBook:
    """Build a RouteBook from the routes file's JSON text; `source` names it in error messages."""
    try:
        document = _RoutesFile.model_validate_json(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or '<top>'}: {issue['msg']}" for issue in error.errors()
        )
        raise RoutesFileError(f"routes file {source} is malformed: {problems}") from error
    routes = tuple(
        Route(name=r.name, settings=_settings(r.settings, document.prompts), utterances=tuple(r.utterances))
        for r in document.routes
    )
    default = Route(name=document.default.name, settings=_settings(document.default.settings, document.prompts))
    return RouteBook(routes=routes, default=default, score_threshold=document.score_threshold)


def load_route_book(path: Path | str) -> RouteBook:
    """Read and validate the routes file at `path`."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RoutesFileError(f"routes file {path} does not exist") from error
    except (OSError, UnicodeDecodeError) as error:
        raise RoutesFileError(f"routes file {path} cannot be read: {error}") from error
    return parse_route_book(raw, str(path))
