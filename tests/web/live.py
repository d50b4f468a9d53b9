"""The live server and Chromium settings for browser tests live in ``testkit.live_server``."""
from testkit.live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer, free_port

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LiveServer", "free_port"]
