"""A loopback Slack Web API: answers the methods the assistant calls as Slack does, and keeps what was posted."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from office_assistant_local.standins.recorder import RecordingServer, Reply

if TYPE_CHECKING:
    from collections.abc import Mapping

    from office_assistant_local.standins.recorder import RecordedRequest

DEFAULT_TOKEN = "xoxb-loopback-token"
DEFAULT_BOT_USER_ID = "U0LOOPBOT"
DEFAULT_BOT_ID = "B0LOOPBOT"
TEAM_ID = "T0LOOP"


@dataclass(frozen=True)
class SlackPost:
    """One chat.postMessage the server accepted; `args` is the whole request body."""

    channel: str
    text: str
    ts: str
    thread_ts: str | None = None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SlackStreamCall:
    """One accepted chat.startStream / appendStream / stopStream / update: the text it added, and when (wall)."""

    method: str
    channel: str
    ts: str
    text: str
    at: float


def _chunk_text(args: dict[str, Any]) -> str:
    """The markdown a stream call adds: `markdown_text`, plus the text of its `markdown_text` chunks."""
    chunks = args.get("chunks") or []
    if isinstance(chunks, str):
        chunks = json.loads(chunks)
    parts = [str(args.get("markdown_text") or "")]
    parts += [str(c.get("text") or "") for c in chunks if isinstance(c, dict) and c.get("type") == "markdown_text"]
    return "".join(parts)


def _ok(**fields: Any) -> Reply:
    return Reply(200, {"ok": True, **fields})


def _error(error: str, status: int = 200) -> Reply:
    """Slack reports most failures as HTTP 200 with ok=false and an error code."""
    return Reply(status, {"ok": False, "error": error})


MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000


def _blocks_error(blocks: Any) -> str | None:
    """Slack's `invalid_blocks` for more than 50 blocks or a section text over 3000 characters; else None."""
    if blocks is None:
        return None
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return "invalid_blocks_format"
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            return "invalid_blocks"
        text = block.get("text")
        if block["type"] == "section":
            if not isinstance(text, dict) or not 1 <= len(str(text.get("text") or "")) <= MAX_SECTION_TEXT:
                return "invalid_blocks"
    return None


@dataclass
class SlackChannel:
    """A channel of the loopback workspace; the bot is a member of every channel it knows."""

    id: str
    name: str
    is_private: bool = False
    purpose: str = ""
    members: set[str] = field(default_factory=set)

    def as_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_private": self.is_private,
            "is_member": True,
            "is_archived": False,
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "num_members": len(self.members),
        }


@dataclass(frozen=True)
class SlackUpload:
    """One file shared through files.getUploadURLExternal → upload → files.completeUploadExternal."""

    channel: str
    file_id: str
    filename: str
    title: str
    content: bytes
    thread_ts: str | None = None


class SlackLoopback(RecordingServer):
    """chat.postMessage / chat.update / chat.delete / auth.test / users.info / reactions, the workspace methods
    users.list, conversations.list/create/invite/setPurpose, and the external file upload
    (files.getUploadURLExternal, the upload URL, files.completeUploadExternal, files.info), with Slack's answers
    and errors. `lose_answer("files.completeUploadExternal")` shares the file and loses the answer.

    Chat streams: chat.startStream (a reply in a thread; in a channel it needs recipient_user_id and
    recipient_team_id), chat.appendStream and chat.stopStream; a stream that was stopped answers
    `message_not_in_streaming_state`. `stream_calls()` lists the accepted stream calls and updates with the time
    each arrived.

    Point slack_sdk at it with ``WebClient(token=DEFAULT_TOKEN, base_url=server.api_url)``. Requests with no
    token get ``not_authed``, any other token ``invalid_auth``, as Slack answers them.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        users: Mapping[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.token = token
        self.bot_user_id = bot_user_id
        self.users = dict(users or {"U0ALICE": "Alice Example", "U0BOB": "Bob Example"})
        self.users.setdefault(bot_user_id, "Office Assistant")
        self._posts: list[SlackPost] = []
        self._texts: dict[tuple[str, str], str] = {}
        self._counter = itertools.count(1)
        self._files: dict[str, bytes] = {}
        self._reactions: dict[tuple[str, str], set[str]] = {}
        self.channels: dict[str, SlackChannel] = {
            "C0GENERAL": SlackChannel("C0GENERAL", "general", purpose="Company-wide", members={"U0ALICE", "U0BOB"}),
            "C0SALES": SlackChannel("C0SALES", "sales", purpose="Deals and leads", members={"U0ALICE"}),
        }
        self._pending_uploads: dict[str, tuple[str, int, bytes | None]] = {}  # file id → (filename, length, bytes)
        self._uploads: list[SlackUpload] = []
        self._streaming: set[tuple[str, str]] = set()
        self._stream_calls: list[SlackStreamCall] = []

    @property
    def api_url(self) -> str:
        """The base URL for slack_sdk (it joins method names onto it, so it ends with a slash)."""
        return f"{self.url}/api/"

    def posted(self, channel: str | None = None) -> list[SlackPost]:
        """Messages posted so far (in `channel`, when given), oldest first."""
        with self._lock:
            return [post for post in self._posts if channel is None or post.channel == channel]

    def stream_calls(self, channel: str | None = None) -> list[SlackStreamCall]:
        """The stream calls and chat.update calls accepted so far (in `channel`, when given), oldest first."""
        with self._lock:
            return [call for call in self._stream_calls if channel is None or call.channel == channel]

    def text_of(self, channel: str, ts: str) -> str | None:
        """The current text of a posted message (after chat.update), None once deleted or never posted."""
        with self._lock:
            return self._texts.get((channel, ts))

    def add_file(self, file_id: str, name: str, content: bytes) -> str:
        """Serve `content` at a `url_private` that needs the bot token, as files.slack.com does; returns the URL."""
        with self._lock:
            self._files[f"/files-pri/{TEAM_ID}-{file_id}/{name}"] = content
        return f"{self.url}/files-pri/{TEAM_ID}-{file_id}/{name}"

    def uploads(self, channel: str | None = None) -> list[SlackUpload]:
        """Files shared so far (in `channel`, when given), oldest first."""
        with self._lock:
            return [u for u in self._uploads if channel is None or u.channel == channel]

    def reactions(self) -> dict[tuple[str, str], set[str]]:
        """The reactions the bot currently has on each (channel, ts)."""
        with self._lock:
            return {key: set(names) for key, names in self._reactions.items() if names}

    def handle(self, request: RecordedRequest) -> Reply:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if request.path.startswith("/files-pri/"):
            return self._download(request.path, given)
        if request.path.startswith("/upload/v1/"):
            return self._receive_upload(request.path.rsplit("/", 1)[-1], request.raw_body)
        method = request.path.rstrip("/").rsplit("/", 1)[-1]
        args: dict[str, Any] = dict(request.query)
        if isinstance(request.body, dict):
            args.update(request.body)
        given = given or str(args.get("token", ""))
        if not given:
            return _error("not_authed")
        if given != self.token:
            return _error("invalid_auth")
        handlers = {
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.startStream": self._start_stream,
            "chat.appendStream": self._append_stream,
            "chat.stopStream": self._stop_stream,
            "chat.delete": self._delete,
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "reactions.add": self._reaction_add,
            "reactions.remove": self._reaction_remove,
            **self._workspace_methods(),
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._file_info,
        }
        handler = handlers.get(method)
        return handler(args) if handler else _error("unknown_method", 404)

    def _start_stream(self, args: dict[str, Any]) -> Reply:
        channel, thread_ts = str(args.get("channel") or ""), str(args.get("thread_ts") or "")
        if not channel:
            return _error("channel_not_found")
        if not thread_ts:
            return _error("invalid_arguments")  # streams are replies in a thread
        if not channel.startswith("D") and not (args.get("recipient_user_id") and args.get("recipient_team_id")):
            return _error("missing_recipient_team_id" if args.get("recipient_user_id") else "missing_recipient_user_id")
        text = _chunk_text(args)
        with self._lock:
            ts = self._next_ts()
            self._posts.append(SlackPost(channel, text, ts, thread_ts, dict(args)))
            self._texts[(channel, ts)] = text
            self._streaming.add((channel, ts))
            self._stream_calls.append(SlackStreamCall("chat.startStream", channel, ts, text, time.time()))
        return _ok(channel=channel, ts=ts)

    def _append_stream(self, args: dict[str, Any], method: str = "chat.appendStream") -> Reply:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        text = _chunk_text(args)
        if method == "chat.appendStream" and not text:
            return _error("invalid_arguments")
        with self._lock:
            if (channel, ts) not in self._texts:
                return _error("message_not_found")
            if (channel, ts) not in self._streaming:
                return _error("message_not_in_streaming_state")
            self._texts[(channel, ts)] += text
            self._replace_post(channel, ts, self._texts[(channel, ts)], {})
            if method == "chat.stopStream":
                self._streaming.discard((channel, ts))
            self._stream_calls.append(SlackStreamCall(method, channel, ts, text, time.time()))
        return _ok(channel=channel, ts=ts)

    def _stop_stream(self, args: dict[str, Any]) -> Reply:
        return self._append_stream(args, "chat.stopStream")

    def _replace_post(self, channel: str, ts: str, text: str, args: dict[str, Any]) -> None:
        """Keep `posted()` showing a message's current text (after a stream or chat.update); caller holds the lock."""
        for index, post in enumerate(self._posts):
            if post.channel == channel and post.ts == ts:
                self._posts[index] = SlackPost(channel, text, ts, post.thread_ts, post.args | args)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._counter):06d}"

    def _post_message(self, args: dict[str, Any]) -> Reply:
        channel, text = str(args.get("channel") or ""), str(args.get("text") or "")
        if not channel:
            return _error("channel_not_found")
        if not text and not args.get("blocks") and not args.get("attachments"):
            return _error("no_text")
        if len(text) > 40_000:
            return _error("msg_too_long")
        if (blocks_error := _blocks_error(args.get("blocks"))) is not None:
            return _error(blocks_error)
        thread_ts = str(args["thread_ts"]) if args.get("thread_ts") else None
        with self._lock:
            ts = self._next_ts()
            self._posts.append(SlackPost(channel, text, ts, thread_ts, dict(args)))
            self._texts[(channel, ts)] = text
        message = {"type": "message", "user": self.bot_user_id, "bot_id": DEFAULT_BOT_ID, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        return _ok(channel=channel, ts=ts, message=message)

    def _reaction_add(self, args: dict[str, Any]) -> Reply:
        key, name = (str(args.get("channel") or ""), str(args.get("timestamp") or "")), str(args.get("name") or "")
        if not all(key) or not name:
            return _error("invalid_arguments")
        with self._lock:
            names = self._reactions.setdefault(key, set())
            if name in names:
                return _error("already_reacted")
            names.add(name)
        return _ok()

    def _reaction_remove(self, args: dict[str, Any]) -> Reply:
        key, name = (str(args.get("channel") or ""), str(args.get("timestamp") or "")), str(args.get("name") or "")
        with self._lock:
            if name not in self._reactions.get(key, set()):
                return _error("no_reaction")
            self._reactions[key].discard(name)
        return _ok()

    def _download(self, path: str, token: str) -> Reply:
        """url_private: without the bot token Slack answers with its login page (HTML, 200), here a 403."""
        if token != self.token:
            return Reply(403, None, {"Content-Type": "text/html"}, raw=b"<html>login</html>")
        with self._lock:
            content = self._files.get(path)
        if content is None:
            return Reply(404, None, {"Content-Type": "text/html"}, raw=b"<html>not found</html>")
        return Reply(200, None, {"Content-Type": "application/octet-stream"}, raw=content)

    def _upload_url(self, args: dict[str, Any]) -> Reply:
        """files.getUploadURLExternal: a one-time URL on this server (files.slack.com in Slack) for the bytes."""
        filename = str(args.get("filename") or "")
        try:
            length = int(args.get("length") or 0)
        except ValueError:
            return _error("invalid_arg_name")
        if not filename or length < 1:
            return _error("invalid_arguments")
        file_id = f"F0UP{next(self._counter):06d}"
        with self._lock:
            self._pending_uploads[file_id] = (filename, length, None)
        return _ok(upload_url=f"{self.url}/upload/v1/{file_id}", file_id=file_id)

    def _receive_upload(self, file_id: str, content: bytes) -> Reply:
        with self._lock:
            pending = self._pending_uploads.get(file_id)
            if pending is None:
                return Reply(404, None, {"Content-Type": "text/plain"}, raw=b"not found")
            self._pending_uploads[file_id] = (pending[0], pending[1], content)
        return Reply(200, None, {"Content-Type": "text/plain"}, raw=f"OK - {len(content)}".encode())

    def _complete_upload(self, args: dict[str, Any]) -> Reply:
        """files.completeUploadExternal: shares each uploaded file in channel_id (and thread_ts) when given."""
        try:
            files = json.loads(str(args.get("files") or ""))
        except ValueError:
            return _error("invalid_json")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        channel = str(args.get("channel_id") or "")
        thread_ts = str(args["thread_ts"]) if args.get("thread_ts") else None
        shared = []
        with self._lock:
            for entry in files:
                file_id = str(entry.get("id") or "") if isinstance(entry, dict) else ""
                filename, _length, content = self._pending_uploads.get(file_id) or ("", 0, None)
                if content is None:
                    return _error("file_not_found")
                title = str(entry.get("title") or filename)
                if channel:
                    self._uploads.append(SlackUpload(channel, file_id, filename, title, content, thread_ts))
                shared.append({"id": file_id, "name": filename, "title": title, "size": len(content)})
                del self._pending_uploads[file_id]
        return _ok(files=shared)

    def _file_info(self, args: dict[str, Any]) -> Reply:
        """files.info: an uploaded file with its `shares` (public channels; thread replies with their thread_ts)."""
        file_id = str(args.get("file") or "")
        with self._lock:
            shared = [u for u in self._uploads if u.file_id == file_id]
            pending = self._pending_uploads.get(file_id)
        if not shared and (pending is None or pending[2] is None):
            return _error("file_not_found")
        shares: dict[str, list[dict[str, Any]]] = {}
        for upload in shared:
            share = {"thread_ts": upload.thread_ts} if upload.thread_ts else {}
            shares.setdefault(upload.channel, []).append(share)
        name = shared[0].filename if shared else (pending or ("",))[0]
        return _ok(file={"id": file_id, "name": name, "shares": {"public": shares} if shares else {}})

    def _update(self, args: dict[str, Any]) -> Reply:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        with self._lock:
            if (channel, ts) not in self._texts:
                return _error("message_not_found")
            text = str(args.get("text") or "")
            if (blocks_error := _blocks_error(args.get("blocks"))) is not None:
                return _error(blocks_error)
            self._texts[(channel, ts)] = text
            self._replace_post(channel, ts, text, {k: v for k, v in args.items() if k in {"text", "blocks"}})
            self._stream_calls.append(SlackStreamCall("chat.update", channel, ts, text, time.time()))
        return _ok(channel=channel, ts=ts, text=text, message={"text": text, "user": self.bot_user_id})

    def _delete(self, args: dict[str, Any]) -> Reply:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        with self._lock:
            if self._texts.pop((channel, ts), None) is None:
                return _error("message_not_found")
        return _ok(channel=channel, ts=ts)

    def _auth_test(self, args: dict[str, Any]) -> Reply:
        return _ok(
            url="https://loopback.slack.com/",
            team="Loopback",
            user="assistant",
            team_id=TEAM_ID,
            user_id=self.bot_user_id,
            bot_id=DEFAULT_BOT_ID,
            is_enterprise_install=False,
        )

    # --- the workspace methods the model's Slack tools call -----------------------------------------------------

    def _workspace_methods(self) -> dict[str, Any]:
        return {
            "users.list": self._users_list,
            "conversations.list": self._conversations_list,
            "conversations.create": self._conversations_create,
            "conversations.invite": self._conversations_invite,
            "conversations.setPurpose": self._conversations_set_purpose,
        }

    @staticmethod
    def _page(items: list[dict[str, Any]], args: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
        """One page of `items` by Slack's cursor pagination (the cursor is the next offset here)."""
        start = int(str(args.get("cursor") or "0") or 0)
        limit = int(args.get("limit") or 100)
        end = start + max(1, min(limit, 1000))
        return items[start:end], (str(end) if end < len(items) else "")

    def _users_list(self, args: dict[str, Any]) -> Reply:
        members = [self._user(user_id, name) for user_id, name in sorted(self.users.items())]
        page, cursor = self._page(members, args)
        return _ok(members=page, response_metadata={"next_cursor": cursor})

    def _conversations_list(self, args: dict[str, Any]) -> Reply:
        with self._lock:
            channels = [c.as_slack() for c in self.channels.values()]
        page, cursor = self._page(channels, args)
        return _ok(channels=page, response_metadata={"next_cursor": cursor})

    def _conversations_create(self, args: dict[str, Any]) -> Reply:
        name = str(args.get("name") or "")
        if not name or len(name) > 80 or not all(ch.islower() or ch.isdigit() or ch in "-_" for ch in name):
            return _error("invalid_name_specials" if name else "invalid_name_required")
        private = str(args.get("is_private", "")).lower() in {"1", "true"}
        with self._lock:
            if any(c.name == name for c in self.channels.values()):
                return _error("name_taken")
            channel = SlackChannel(f"C0{len(self.channels) + 1:06d}", name, is_private=private)
            self.channels[channel.id] = channel
            return _ok(channel=channel.as_slack())

    def _conversations_invite(self, args: dict[str, Any]) -> Reply:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        with self._lock:
            channel = self.channels.get(str(args.get("channel") or ""))
            if channel is None:
                return _error("channel_not_found")
            if not users:
                return _error("no_user")
            if unknown := [u for u in users if u not in self.users]:
                return Reply(200, {"ok": False, "error": "user_not_found", "errors": [{"user": unknown[0]}]})
            if already := [u for u in users if u in channel.members]:
                return Reply(200, {"ok": False, "error": "already_in_channel", "errors": [{"user": already[0]}]})
            channel.members.update(users)
            return _ok(channel=channel.as_slack())

    def _conversations_set_purpose(self, args: dict[str, Any]) -> Reply:
        with self._lock:
            channel = self.channels.get(str(args.get("channel") or ""))
            if channel is None:
                return _error("channel_not_found")
            purpose = str(args.get("purpose") or "")
            if len(purpose) > 250:
                return _error("too_long")
            channel.purpose = purpose
        return _ok(purpose=purpose)

    def _user(self, user_id: str, real_name: str) -> dict[str, Any]:
        display_name = real_name.split()[0]
        return {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": display_name.lower(),
            "deleted": False,
            "real_name": real_name,
            "is_bot": user_id == self.bot_user_id,
            "profile": {"real_name": real_name, "display_name": display_name},
        }

    def _users_info(self, args: dict[str, Any]) -> Reply:
        user_id = str(args.get("user") or "")
        real_name = self.users.get(user_id)
        if real_name is None:
            return _error("user_not_found")
        display_name = real_name.split()[0]
        return _ok(
            user={
                "id": user_id,
                "team_id": TEAM_ID,
                "name": display_name.lower(),
                "deleted": False,
                "real_name": real_name,
                "is_bot": False,
                "profile": {"real_name": real_name, "display_name": display_name},
            }
        )
