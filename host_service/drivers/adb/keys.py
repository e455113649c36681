"""Remote keys by the names TV testcases use, as Android key codes."""

TV_KEYCODES = {
    "UP": "KEYCODE_DPAD_UP",
    "DOWN": "KEYCODE_DPAD_DOWN",
    "LEFT": "KEYCODE_DPAD_LEFT",
    "RIGHT": "KEYCODE_DPAD_RIGHT",
    "OK": "KEYCODE_DPAD_CENTER",
    "BACK": "KEYCODE_BACK",
    "HOME": "KEYCODE_HOME",
    "MENU": "KEYCODE_MENU",
    "GUIDE": "KEYCODE_GUIDE",
    "INFO": "KEYCODE_INFO",
    "POWER": "KEYCODE_POWER",
    "CH_UP": "KEYCODE_CHANNEL_UP",
    "CH_DOWN": "KEYCODE_CHANNEL_DOWN",
    "VOL_UP": "KEYCODE_VOLUME_UP",
    "VOL_DOWN": "KEYCODE_VOLUME_DOWN",
    "MUTE": "KEYCODE_VOLUME_MUTE",
    "PLAY_PAUSE": "KEYCODE_MEDIA_PLAY_PAUSE",
}
# What a `key` param may be: a TV key name or any raw Android key code.
KEY_PATTERN = "^(" + "|".join(TV_KEYCODES) + "|KEYCODE_[A-Z0-9_]+)$"


def keycode(key: str) -> str:
    return TV_KEYCODES.get(key, key)
