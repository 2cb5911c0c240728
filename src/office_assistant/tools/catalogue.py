"""Every tool the model can be offered, and the legacy assistant's 28 tool names they cover together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_assistant.tools import (
    ask_reasoning_model,
    browse_web_page,
    calculate,
    find_place,
    list_chat_files,
    message_at_time,
    messages_between,
    mute_status,
    odoo_create_record,
    odoo_delete_record,
    odoo_find_products,
    odoo_models,
    odoo_post_record,
    odoo_print_record,
    odoo_search_records,
    odoo_update_record,
    search_chat_history,
    send_file,
    send_pdf,
    send_voice,
    set_mute,
    slack_create_channel,
    slack_invite_to_channel,
    slack_list_channels,
    slack_list_users,
    slack_post_message,
    slack_set_channel_purpose,
    weather_forecast,
    web_search,
)

if TYPE_CHECKING:
    from office_assistant.tools.spec import ToolSpec

TOOLS: tuple[ToolSpec, ...] = tuple(
    module.TOOL
    for module in (
        set_mute,
        mute_status,
        search_chat_history,
        message_at_time,
        messages_between,
        web_search,
        browse_web_page,
        find_place,
        weather_forecast,
        calculate,
        ask_reasoning_model,
        odoo_models,
        odoo_search_records,
        odoo_find_products,
        odoo_print_record,
        odoo_create_record,
        odoo_update_record,
        odoo_post_record,
        odoo_delete_record,
        slack_list_users,
        slack_list_channels,
        slack_post_message,
        slack_create_channel,
        slack_invite_to_channel,
        slack_set_channel_purpose,
        send_pdf,
        send_file,
        list_chat_files,
        send_voice,
    )
)
TOOLS_BY_NAME: dict[str, ToolSpec] = {tool.name: tool for tool in TOOLS}

LEGACY_TOOL_NAMES: tuple[str, ...] = (
    "google_search",
    "browse_internet",
    "get_coordinates",
    "get_weather_data",
    "get_message_by_sort_id",
    "get_messages_in_range",
    "get_embedding",
    "send_slack_message",
    "get_users",
    "send_audio_to_slack",
    "send_file_to_slack",
    "send_as_pdf",
    "list_files",
    "get_channels",
    "ask_openai_o1",
    "manage_mute_status",
    "solve_maths",
    "odoo_get_mapped_models",
    "odoo_create_record",
    "odoo_fetch_records",
    "odoo_update_record",
    "odoo_delete_record",
    "odoo_print_record",
    "odoo_post_record",
    "search_and_format_products",
    "set_slack_channel_description",
    "create_slack_channel",
    "invite_users_to_slack_channel",
)
"""legacy-behaviour.md §5, in its order."""

REQUIREMENTS: dict[str, str] = {
    "erp": "Odoo: OA_ODOO_SECRET_ID (deployed) or OA_ODOO_URL/DB/LOGIN/PASSWORD",
    "erp_writes:create": "'create' in OA_ODOO_WRITES (default create,update,post)",
    "erp_writes:update": "'update' in OA_ODOO_WRITES (default create,update,post)",
    "erp_writes:post": "'post' in OA_ODOO_WRITES (default create,update,post)",
    "erp_writes:delete": "'delete' in OA_ODOO_WRITES (not in the default)",
    "web_search": "OA_GOOGLE_SEARCH_SECRET_ID (deployed) or OA_GOOGLE_SEARCH_API_KEY + OA_GOOGLE_SEARCH_ENGINE_ID",
    "web_pages": "OA_BROWSE=true (the default)",
    "weather": "OA_OPEN_METEO_URL and OA_OPEN_METEO_GEOCODING_URL (public Open-Meteo by default; '-' turns off)",
    "workspace": "Slack bot token (OA_SLACK_BOT_TOKEN_SECRET_ID or OA_SLACK_BOT_TOKEN)",
    "slack_actions:create_channel": "'create_channel' in OA_SLACK_ACTIONS (default create_channel,invite,set_purpose)",
    "slack_actions:invite": "'invite' in OA_SLACK_ACTIONS (default create_channel,invite,set_purpose)",
    "slack_actions:set_purpose": "'set_purpose' in OA_SLACK_ACTIONS (default create_channel,invite,set_purpose)",
    "post_channels": "OA_SLACK_POST_CHANNELS: the channel ids a tool may post to besides the current chat",
    "media_bucket": "the media bucket (OA_MEDIA_BUCKET)",
    "pdf": "the PDF renderer (ReportLab, always present)",
    "speech": "text-to-speech (OpenAI tts through OA_OPENAI_API_KEY; absent offline)",
    "reasoning": "OA_REASONING_MODEL (e.g. o3-mini; '' turns off)",
    "uploads": "a platform adapter that uploads files (ChatPlatform.send_file)",
    "audio_uploads": "a platform adapter that posts audio (ChatPlatform.send_audio)",
}
"""What each `requires` entry needs configured, as the catalogue prints it."""
