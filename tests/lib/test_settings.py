from __future__ import annotations

from pathlib import Path

from lib.settings import Settings, env_names, load_settings


def test_precedence_environment_then_secrets_then_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("OPENAI_IMAGE_MODEL=from-dotenv\nOPENAI_BASE_URL=http://dotenv\nSTUDIO_ENGINE=azure\n")
    settings = load_settings(
        environ={"OPENAI_IMAGE_MODEL": "from-env"},
        secrets={"OPENAI_IMAGE_MODEL": "from-secrets", "OPENAI_BASE_URL": "http://secrets"},
        dotenv_path=dotenv,
    )
    assert settings.openai_model == "from-env"
    assert settings.openai_base_url == "http://secrets"
    assert settings.engine == "azure"


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    settings = load_settings(environ={}, secrets={}, dotenv_path=tmp_path / "missing.env")
    assert settings == Settings()
    assert settings.engine == "auto"
    assert not settings.openai_configured and not settings.azure_configured


def test_types_are_converted_and_bad_values_fall_back() -> None:
    settings = load_settings(
        environ={
            "OPENAI_TIMEOUT": "soon",
            "OPENAI_MAX_RETRIES": "0",
            "AZURE_OPENAI_USE_ENTRA_ID": "yes",
            "STUDIO_DATA_DIR": "/tmp/x",
            "OPENAI_API_KEY": "  ",
        },
        dotenv_path=None,
    )
    assert settings.openai_timeout == Settings().openai_timeout
    assert settings.openai_max_retries == 0
    assert settings.azure_use_entra_id is True
    assert settings.data_dir == Path("/tmp/x")
    assert settings.openai_api_key is None  # blank means unset


def test_keys_never_appear_in_repr() -> None:
    settings = Settings(openai_api_key="sk-secret-1", azure_api_key="az-secret-2", teacher_passcode="owl")
    text = repr(settings)
    assert "sk-secret-1" not in text and "az-secret-2" not in text and "owl" not in text
    assert set(settings.secrets) == {"sk-secret-1", "az-secret-2", "owl"}


def test_every_setting_has_an_environment_name_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [name for name in env_names().values() if f"`{name}`" not in readme]
    assert missing == []
