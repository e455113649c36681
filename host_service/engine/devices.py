"""DeviceCatalog: this host's devices, each with the driver its config names."""

from collections.abc import Iterator, Mapping
from pathlib import Path

from host_service.config import ConfigError, HostConfig
from host_service.drivers import Device, DriverFactory, DriverSettingsError
from host_service.drivers.visual import VisualChecks
from host_service.errors import NotFoundError


class DeviceCatalog:
    def __init__(self, host_name: str, devices: list[Device]) -> None:
        self.host_name = host_name
        self._devices = {device.id: device for device in devices}

    @classmethod
    def build(
        cls,
        config: HostConfig,
        config_path: Path,
        factories: Mapping[str, DriverFactory],
        latency_scale: float,
    ) -> "DeviceCatalog":
        """Every device with its driver built; ConfigError naming the file, device and setting."""
        devices = []
        visual = VisualChecks(config.library_path)  # one per host: references, tesseract
        for index, device_config in enumerate(config.devices):
            where = f"{config_path}: devices[{index}] ({device_config.id})"
            factory = factories.get(device_config.driver)
            if factory is None:
                raise ConfigError(
                    f"{where}: driver: unknown driver {device_config.driver!r}; "
                    f"known: {sorted(factories)}"
                )
            try:
                driver = factory(device_config.settings, config_path.parent, latency_scale)
            except DriverSettingsError as exc:
                raise ConfigError(f"{where}: settings.{exc.setting}: {exc.message}") from exc
            devices.append(Device(device_config, driver, visual=visual))
        return cls(config.host_name, devices)

    def __iter__(self) -> Iterator[Device]:
        return iter(self._devices.values())

    def __len__(self) -> int:
        return len(self._devices)

    def ids(self) -> list[str]:
        return list(self._devices)

    def get(self, device_id: str) -> Device:
        device = self._devices.get(device_id)
        if device is None:
            raise NotFoundError(
                f"no device {device_id!r} on host {self.host_name}; known: {self.ids()}",
                code="device_not_found",
            )
        return device
