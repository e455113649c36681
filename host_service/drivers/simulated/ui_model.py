"""The UI model a simulated TV plays: screens, what they show, where keys lead."""

from pathlib import Path
from typing import Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Screen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    texts: list[str] = Field(default_factory=list)
    elements: list[str] = Field(default_factory=list)
    keys: dict[str, str] = Field(default_factory=dict, description="key -> next screen id")
    load_ms: int = Field(default=0, ge=0, description="Time before its content shows.")
    focus: str | None = Field(
        default=None, description="The element with the focus ring; the first one by default."
    )

    @model_validator(mode="after")
    def _focus_is_an_element(self) -> Self:
        if self.focus is not None and self.focus not in self.elements:
            raise ValueError(f"focus {self.focus!r} is not one of the elements {self.elements}")
        return self

    @property
    def focused(self) -> str | None:
        return self.focus if self.focus is not None else next(iter(self.elements), None)


class UiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    initial_screen: str
    screens: dict[str, Screen] = Field(min_length=1)
    global_keys: dict[str, str] = Field(default_factory=dict)
    apps: dict[str, str] = Field(default_factory=dict, description="app name -> its screen")
    keys: list[str] = Field(min_length=1, description="Every key of the remote.")

    @model_validator(mode="after")
    def _targets_exist(self) -> Self:
        targets = [self.initial_screen, *self.global_keys.values(), *self.apps.values()]
        for screen in self.screens.values():
            targets.extend(screen.keys.values())
        missing = sorted({t for t in targets if t not in self.screens})
        if missing:
            raise ValueError(f"unknown screens referenced: {missing}")
        keys = set(self.keys)
        used = set(self.global_keys) | {k for s in self.screens.values() for k in s.keys}
        if used - keys:
            raise ValueError(f"keys not on the remote: {sorted(used - keys)}")
        return self

    def next_screen(self, current: str, key: str) -> str:
        if key in self.global_keys:
            return self.global_keys[key]
        return self.screens[current].keys.get(key, current)

    def neighbours(self, screen: str) -> list[str]:
        return sorted(set(self.screens[screen].keys.values()) - {screen})


def load_ui_model(path: Path) -> UiModel:
    return UiModel.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
