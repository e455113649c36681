"""Remote keys as keyboard keys: how a TV app built as a web page is driven."""

TV_KEYS = {
    "UP": "ArrowUp",
    "DOWN": "ArrowDown",
    "LEFT": "ArrowLeft",
    "RIGHT": "ArrowRight",
    "OK": "Enter",
    "BACK": "Escape",
    "HOME": "Home",
}
# A TV key name, or a Playwright key (`a`, `Tab`, `F5`, `Control+A`).
KEY_PATTERN = r"^([A-Za-z0-9]+(\+[A-Za-z0-9]+)*|.)$"


def keyboard_key(key: str) -> str:
    return TV_KEYS.get(key, key)
