"""The live server and Chromium settings for browser tests live in ``admin_web.testing``."""
from admin_web.testing import CHROMIUM, CHROMIUM_ARGS, LiveServer, free_port

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LiveServer", "free_port"]
