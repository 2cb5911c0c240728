"""A loopback Telegram Bot API: sendMessage, sendMessageDraft, editMessageText, sendChatAction,
sendAudio/sendVoice/sendDocument, getMe and getFile, with the Bot API's answers."""

from __future__ import annotations

import html
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply, multipart_parts

if TYPE_CHECKING:
    from office_assistant_local.standins.recorder import RecordedRequest

DEFAULT_TOKEN = "123456789:loopback-token"
DEFAULT_BOT_USERNAME = "office_assistant_bot"
MAX_MESSAGE_CHARS = 4096
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the Bot API's limit for files a bot sends
PARSE_ERROR = "Bad Request: can't parse entities"
# The tags Bot API HTML accepts (https://core.telegram.org/bots/api#html-style).
SUPPORTED_TAGS = frozenset("b strong i em u ins s strike del span tg-spoiler a tg-emoji code pre blockquote".split())
_METHOD_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)(?P<attrs>\s[^<>]*)?>")


@dataclass(frozen=True)
class TelegramSend:
    """One sendMessage the server accepted; `args` is the whole request (query and body)."""

    chat_id: str
    text: str
    message_id: int
    parse_mode: str | None = None
    reply_to_message_id: int | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TelegramUpload:
    """One sendAudio / sendVoice / sendDocument the server accepted, with the file it carried."""

    method: str
    chat_id: str
    filename: str
    content: bytes
    message_id: int
    caption: str = ""
    args: dict[str, Any] = field(default_factory=dict)


# method → the multipart field that carries the file
MEDIA_METHODS = {"sendaudio": "audio", "sendvoice": "voice", "senddocument": "document"}


@dataclass(frozen=True)
class TelegramStreamCall:
    """One accepted sendMessageDraft or editMessageText: which draft or message, its text, and when (wall)."""

    method: str
    chat_id: str
    target_id: int  # draft_id or message_id
    text: str
    at: float


@dataclass(frozen=True)
class _File:
    file_id: str
    path: str
    content: bytes


def _ok(result: Any) -> Reply:
    return Reply(200, {"ok": True, "result": result})


def _error(error_code: int, description: str) -> Reply:
    return Reply(error_code, {"ok": False, "error_code": error_code, "description": description})


def html_text(text: str) -> str:
    """The text of a parse_mode=HTML message after entity parsing; ValueError (Telegram's wording) if malformed."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    while (start := text.find("<", position)) != -1:
        plain.append(text[position:start])
        offset = len(text[:start].encode())
        tag = _TAG.match(text, start)
        if tag is None:
            raise ValueError(f'{PARSE_ERROR}: Unsupported start tag "" at byte offset {offset}')
        name = tag["name"].lower()
        if name not in SUPPORTED_TAGS:
            raise ValueError(f'{PARSE_ERROR}: Unsupported start tag "{name}" at byte offset {offset}')
        if not tag["close"]:
            open_tags.append(name)
        elif not open_tags or open_tags[-1] != name:
            expected = f"</{open_tags[-1]}>" if open_tags else "nothing"
            raise ValueError(
                f'{PARSE_ERROR}: Unmatched end tag at byte offset {offset}, expected "{expected}", found "</{name}>"'
            )
        else:
            open_tags.pop()
        position = tag.end()
    plain.append(text[position:])
    if open_tags:
        raise ValueError(f'{PARSE_ERROR}: Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return html.unescape("".join(plain))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TelegramLoopback(RecordingServer):
    """Bot API methods under ``/bot<token>/``; an unknown token gets 401 Unauthorized, as from Telegram.

    sendMessage checks the text (non-empty, at most 4096 characters after entity parsing) and, for
    parse_mode HTML, that tags are supported and balanced, answering 400 "can't parse entities" otherwise.
    `fail_next` makes the next requests fail with a given error, to drive a client's error paths.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = DEFAULT_BOT_USERNAME,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1
        self._sends: list[TelegramSend] = []
        self._message_ids: dict[str, itertools.count[int]] = {}
        self._files: dict[str, _File] = {}
        self._failures: list[Reply] = []
        self._uploads: list[TelegramUpload] = []
        self._stream_calls: list[TelegramStreamCall] = []

    @property
    def bot(self) -> dict[str, Any]:
        """The bot's User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": "Office Assistant", "username": self.bot_username}

    def sent(self, chat_id: str | int | None = None) -> list[TelegramSend]:
        """Messages sent so far (to `chat_id`, when given), oldest first."""
        with self._lock:
            return [s for s in self._sends if chat_id is None or s.chat_id == str(chat_id)]

    def uploads(self, chat_id: str | int | None = None) -> list[TelegramUpload]:
        """Files sent so far (to `chat_id`, when given), oldest first."""
        with self._lock:
            return [u for u in self._uploads if chat_id is None or u.chat_id == str(chat_id)]

    def stream_calls(self, chat_id: str | int | None = None) -> list[TelegramStreamCall]:
        """The drafts and edits accepted so far (in `chat_id`, when given), oldest first."""
        with self._lock:
            return [c for c in self._stream_calls if chat_id is None or c.chat_id == str(chat_id)]

    def fail_next(self, count: int = 1, error_code: int = 400, description: str = "Bad Request") -> None:
        """Answer the next `count` Bot API calls with this error instead of handling them."""
        with self._lock:
            self._failures.extend([_error(error_code, description)] * count)

    def add_file(self, file_id: str, content: bytes, path: str) -> None:
        """Make `file_id` resolvable through getFile and downloadable at /file/bot<token>/<path>."""
        with self._lock:
            self._files[file_id] = _File(file_id, path, content)

    def handle(self, request: RecordedRequest) -> Reply:
        if download := _FILE_PATH.match(request.path):
            return self._download(download["token"], download["path"])
        call = _METHOD_PATH.match(request.path)
        if call is None:
            return _error(404, "Not Found")
        if call["token"] != self.token:
            return _error(401, "Unauthorized")
        with self._lock:
            if self._failures:
                return self._failures.pop(0)
        args: dict[str, Any] = dict(request.query)
        if isinstance(request.body, dict):
            args.update(request.body)
        handlers = {
            "sendmessage": self._send_message,
            "sendmessagedraft": self._send_message_draft,
            "editmessagetext": self._edit_message_text,
            "sendchataction": self._send_chat_action,
            "getme": lambda _args: _ok(self.bot | {"can_join_groups": True, "supports_inline_queries": False}),
            "getfile": self._get_file,
        }
        method = call["method"].lower()
        if method in MEDIA_METHODS:
            return self._send_media(method, request)
        handler = handlers.get(method)
        return handler(args) if handler else _error(404, "Not Found: method not found")

    def _chat(self, chat_id: str) -> dict[str, Any]:
        numeric = _int_or_none(chat_id)
        if numeric is not None and numeric > 0:
            return {"id": numeric, "type": "private", "first_name": "Loopback"}
        return {"id": numeric if numeric is not None else chat_id, "type": "supergroup", "title": "Loopback group"}

    def _send_message(self, args: dict[str, Any]) -> Reply:
        chat_id = str(args.get("chat_id") or "")
        if not chat_id:
            return _error(400, "Bad Request: chat_id is empty")
        text = self._entity_text(args)
        if isinstance(text, Reply):
            return text
        raw_text, parse_mode = str(args.get("text") or ""), args.get("parse_mode") or None
        reply_to = _int_or_none(args.get("reply_to_message_id"))
        if reply_to is None and isinstance(args.get("reply_parameters"), dict):
            reply_to = _int_or_none(args["reply_parameters"].get("message_id"))
        with self._lock:
            message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1001)))
            self._sends.append(TelegramSend(chat_id, raw_text, message_id, parse_mode, reply_to, dict(args)))
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = {"message_id": reply_to, "chat": self._chat(chat_id), "date": 0}
        return _ok(message)

    def _send_media(self, method: str, request: RecordedRequest) -> Reply:
        """sendAudio / sendVoice / sendDocument with the file uploaded as multipart/form-data."""
        parts = multipart_parts(request)
        fields = {
            name: value.decode("utf-8", errors="replace") for name, (filename, value) in parts.items() if not filename
        }
        field_name = MEDIA_METHODS[method]
        chat_id = fields.get("chat_id", "")
        if not chat_id:
            return _error(400, "Bad Request: chat_id is empty")
        if field_name not in parts or not parts[field_name][1]:
            return _error(400, f"Bad Request: there is no {field_name} in the request")
        filename, content = parts[field_name]
        if len(content) > MAX_UPLOAD_BYTES:
            return _error(413, "Request Entity Too Large")
        with self._lock:
            message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1001)))
            upload = TelegramUpload(
                method, chat_id, filename or field_name, content, message_id, fields.get("caption", ""), fields
            )
            self._uploads.append(upload)
        media = {"file_id": f"loopback-{message_id}", "file_unique_id": f"u{message_id}", "file_size": len(content)}
        message = {"message_id": message_id, "from": self.bot, "chat": self._chat(chat_id), "date": int(time.time())}
        return _ok(message | {field_name: media})

    def _entity_text(self, args: dict[str, Any]) -> str | Reply:
        """The text after entity parsing, or the 400 Telegram answers for it (bad HTML, empty, too long)."""
        raw_text = str(args.get("text") or "")
        parse_mode = args.get("parse_mode") or None
        if parse_mode is not None and str(parse_mode).upper() == "HTML":
            try:
                text = html_text(raw_text)
            except ValueError as exc:
                return _error(400, str(exc))
        else:
            text = raw_text
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > MAX_MESSAGE_CHARS:
            return _error(400, "Bad Request: message is too long")
        return text

    def _send_message_draft(self, args: dict[str, Any]) -> Reply:
        """Bot API 9.3: a draft in a private chat (a positive chat id here); draft_id must be non-zero."""
        chat_id, draft_id = str(args.get("chat_id") or ""), _int_or_none(args.get("draft_id"))
        if not chat_id:
            return _error(400, "Bad Request: chat_id is empty")
        if self._chat(chat_id)["type"] != "private":
            return _error(400, "Bad Request: draft can be sent only to private chats")
        if not draft_id:
            return _error(400, "Bad Request: draft_id must be non-zero")
        text = self._entity_text(args)
        if isinstance(text, Reply):
            return text
        with self._lock:
            self._stream_calls.append(TelegramStreamCall("sendMessageDraft", chat_id, draft_id, text, time.time()))
        return _ok(True)

    def _edit_message_text(self, args: dict[str, Any]) -> Reply:
        chat_id, message_id = str(args.get("chat_id") or ""), _int_or_none(args.get("message_id"))
        text = self._entity_text(args)
        if isinstance(text, Reply):
            return text
        raw_text, parse_mode = str(args.get("text") or ""), args.get("parse_mode") or None
        with self._lock:
            index = next(
                (i for i, s in enumerate(self._sends) if s.chat_id == chat_id and s.message_id == message_id), None
            )
            if index is None:
                return _error(400, "Bad Request: message to edit not found")
            sent = self._sends[index]
            if sent.text == raw_text and sent.parse_mode == parse_mode:
                return _error(
                    400,
                    "Bad Request: message is not modified: specified new message content and reply markup are "
                    "exactly the same as a current content and reply markup of the message",
                )
            self._sends[index] = TelegramSend(
                chat_id, raw_text, sent.message_id, parse_mode, sent.reply_to_message_id, sent.args | dict(args)
            )
            call = TelegramStreamCall("editMessageText", chat_id, sent.message_id, text, time.time())
            self._stream_calls.append(call)
        return _ok({"message_id": sent.message_id, "from": self.bot, "chat": self._chat(chat_id), "text": text})

    def _send_chat_action(self, args: dict[str, Any]) -> Reply:
        if not args.get("chat_id"):
            return _error(400, "Bad Request: chat_id is empty")
        if not args.get("action"):
            return _error(400, "Bad Request: action is empty")
        return _ok(True)

    def _get_file(self, args: dict[str, Any]) -> Reply:
        with self._lock:
            file = self._files.get(str(args.get("file_id") or ""))
        if file is None:
            return _error(400, "Bad Request: invalid file_id")
        return _ok(
            {
                "file_id": file.file_id,
                "file_unique_id": f"u-{file.file_id}",
                "file_size": len(file.content),
                "file_path": file.path,
            }
        )

    def _download(self, token: str, path: str) -> Reply:
        if token != self.token:
            return _error(401, "Unauthorized")
        with self._lock:
            file = next((f for f in self._files.values() if f.path == path), None)
        if file is None:
            return _error(404, "Not Found")
        return Reply(200, None, {"Content-Type": "application/octet-stream"}, raw=file.content)
