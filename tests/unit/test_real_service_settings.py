"""Which settings a local run takes from the environment to reach real OpenAI and Weaviate."""

from __future__ import annotations

from office_assistant_local.environment import real_service_settings


def test_an_empty_environment_keeps_every_local_stand_in() -> None:
    assert real_service_settings({}) == {}


def test_an_openai_key_without_base_url_means_openai_itself_with_images_off() -> None:
    chosen = real_service_settings({"OA_OPENAI_API_KEY": "sk-test"})

    assert chosen == {"openai_api_key": "sk-test", "openai_base_url": None, "image_input": "off"}


def test_images_stay_on_when_asked_for() -> None:
    chosen = real_service_settings({"OA_OPENAI_API_KEY": "sk-test", "OA_IMAGE_INPUT": "on"})

    assert chosen["image_input"] == "on"


def test_weaviate_and_embedding_settings_are_taken_and_parsed() -> None:
    chosen = real_service_settings(
        {
            "OA_MESSAGE_STORE": "weaviate",
            "OA_WEAVIATE_URL": "http://localhost:8080",
            "OA_WEAVIATE_LEGACY_PAIR": "true",
            "OA_EMBEDDINGS": "openai",
            "OA_EMBEDDING_DIMENSIONS": "1536",
        }
    )

    assert chosen == {
        "message_store": "weaviate",
        "weaviate_url": "http://localhost:8080",
        "weaviate_legacy_pair": True,
        "embeddings": "openai",
        "embedding_dimensions": 1536,
    }


def test_platform_and_aws_settings_are_never_taken_from_the_environment() -> None:
    chosen = real_service_settings(
        {"OA_SLACK_BOT_TOKEN": "xoxb-real", "OA_AWS_ENDPOINT_URL": "https://dynamodb.eu-west-1.amazonaws.com"}
    )

    assert chosen == {}
