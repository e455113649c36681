"""Navigation through the example tree of the simulated TV: plan, walk, verify, recover."""

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import LIBRARY, HostFactory, RunningHost, fake, simulated
from tests.helpers import finished, start

NAV = "/host/navigation/execute/simtv"


async def navigate(host: RunningHost, device_id: str = "tv-1", **target: Any) -> dict[str, Any]:
    execution_id = await start(host.client, NAV, {"device_id": device_id, **target})
    view = await finished(host.client, execution_id)
    assert view["status"] == "completed", view
    result: dict[str, Any] = view["result"]
    return result


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


async def test_from_unknown_position_through_the_nested_submenu(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        result = await navigate(host, target_node_id="settings_display_resolution")
        assert result["success"] is True
        assert result["start_found_by"] == "verified_entry"
        assert ids(result["path"]) == [
            "home",
            "settings",
            "settings_display",
            "settings_display_resolution",
        ]
        assert [s["success"] for s in result["steps"]] == [True, True, True]
        assert result["already_at_target"] is False
        assert result["replans"] == 0
        assert result["final_node"] == {"id": "settings_display_resolution", "label": "Resolution"}
        device = (await host.client.get("/host/devices/tv-1")).json()
        assert device["details"]["screen"] == "settings_display_resolution"
        assert device["current_node"] == "settings_display_resolution"
        assert device["details"]["positions"] == {"simtv": "settings_display_resolution"}


async def test_already_at_target_is_a_success_without_steps(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        # The device shows the guide, but nothing tracked it: the target is probed first.
        body = {
            "device_id": "tv-1",
            "actions": [{"command": "press_key", "params": {"key": "GUIDE"}}],
        }
        await finished(host.client, await start(host.client, "/host/action/executeBatch", body))
        result = await navigate(host, target_node_label="TV Guide")
        assert result["success"] is True
        assert result["already_at_target"] is True
        assert result["start_found_by"] == "verified_target"
        assert result["steps"] == []
        again = await navigate(host, target_node_id="guide")
        assert again["already_at_target"] is True


async def test_tracked_position_is_the_start_and_an_action_makes_it_stale(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        await navigate(host, target_node_id="guide")
        result = await navigate(host, target_node_id="recordings")
        assert result["start_found_by"] == "tracked"
        assert ids(result["path"]) == ["guide", "recordings"]

        body = {
            "device_id": "tv-1",
            "actions": [{"command": "press_key", "params": {"key": "HOME"}}],
        }
        await finished(host.client, await start(host.client, "/host/action/executeBatch", body))
        assert (await host.client.get("/host/devices/tv-1")).json()["current_node"] is None
        result = await navigate(host, target_node_id="apps")
        assert result["start_found_by"] == "verified_entry"
        assert ids(result["path"]) == ["home", "apps"]


async def test_weighted_alternative_launches_the_app_from_far_away(
    host_factory: HostFactory,
) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        await navigate(host, target_node_id="settings_network_wifi")
        result = await navigate(host, target_node_id="app_streamflix")
        assert ids(result["path"]) == ["settings_network_wifi", "app_streamflix"]
        assert result["steps"][0]["actions"][0]["command"] == "launch_app"
        # From home, two key presses (weight 2) beat launching the app (2.5).
        await navigate(host, target_node_id="home")
        result = await navigate(host, target_node_id="app_streamflix")
        assert ids(result["path"]) == ["home", "apps", "app_streamflix"]


async def test_action_node_is_passed_and_never_rested_on(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        result = await navigate(host, target_node_id="record_programme")
        assert result["success"] is True
        assert ids(result["path"]) == [
            "home",
            "live_tv",
            "channel_info",
            "record_programme",
            "live_tv",
        ]
        assert result["final_node"]["id"] == "live_tv"
        assert (await host.client.get("/host/devices/tv-1")).json()["current_node"] == "live_tv"
        # Going back to channel info takes INFO, not the action node's detour.
        result = await navigate(host, target_node_id="guide")
        assert "record_programme" not in ids(result["path"])


async def test_recovers_after_a_key_press_lands_on_the_wrong_screen(
    host_factory: HostFactory,
) -> None:
    faults = {"seed": 3, "wrong_screen_rate": 0.5}
    async with host_factory([simulated("tv-1", faults=faults)], library_path=LIBRARY) as host:
        result = await navigate(host, target_node_id="settings_display_resolution", max_replans=10)
        assert result["success"] is True, result
        assert result["replans"] >= 1
        strayed = [s for s in result["steps"] if not s["success"]]
        assert strayed
        assert all(s["landed_on"] for s in strayed)
        assert len(result["plans"]) == result["replans"] + 1
        device = (await host.client.get("/host/devices/tv-1")).json()
        assert device["details"]["screen"] == "settings_display_resolution"


async def test_gives_up_after_max_replans(host_factory: HostFactory) -> None:
    faults = {"seed": 3, "wrong_screen_rate": 1.0}
    async with host_factory([simulated("tv-1", faults=faults)], library_path=LIBRARY) as host:
        result = await navigate(host, target_node_id="settings_display_resolution", max_replans=1)
        assert result["success"] is False
        assert result["replans"] == 1
        assert "gave up after 1 re-plans" in result["message"]


def _island_library(tmp_path: Path) -> Path:
    tree = yaml.safe_load((LIBRARY / "trees" / "simtv.yaml").read_text())
    tree["id"] = "island"
    tree["global_edges"] = []
    tree["edges"] = [e for e in tree["edges"] if "settings" not in (e["source"] + e["target"])]
    (tmp_path / "lib" / "trees").mkdir(parents=True)
    (tmp_path / "lib" / "trees" / "island.yaml").write_text(yaml.safe_dump(tree))
    return tmp_path / "lib"


async def test_unreachable_target_fails_with_the_reason(
    host_factory: HostFactory, tmp_path: Path
) -> None:
    async with host_factory(library_path=_island_library(tmp_path)) as host:
        body = {"device_id": "tv-1", "target_node_id": "settings_about"}
        view = await finished(
            host.client, await start(host.client, "/host/navigation/execute/island", body)
        )
        assert view["status"] == "completed"
        assert view["result"]["success"] is False
        assert view["result"]["message"] == "no path from 'home' to 'settings_about'"


async def test_live_steps_show_each_edge(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        execution_id = await start(
            host.client, NAV, {"device_id": "tv-1", "target_node_id": "recordings"}
        )
        view = await finished(host.client, execution_id)
        assert [(s["label"], s["state"]) for s in view["steps"]] == [
            ("Home -> TV Guide", "passed"),
            ("TV Guide -> Recordings", "passed"),
        ]
        assert all(s["duration_ms"] >= 0 for s in view["steps"])


async def test_unknown_tree_or_node_is_404_and_bad_target_422(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        missing_tree = await host.client.post(
            "/host/navigation/execute/nope", json={"device_id": "tv-1", "target_node_id": "home"}
        )
        assert missing_tree.status_code == 404
        assert missing_tree.json()["error"] == "tree_not_found"
        missing_node = await host.client.post(
            NAV, json={"device_id": "tv-1", "target_node_label": "Nowhere"}
        )
        assert missing_node.status_code == 404
        assert missing_node.json()["error"] == "node_not_found"
        both = await host.client.post(
            NAV, json={"device_id": "tv-1", "target_node_id": "home", "target_node_label": "Home"}
        )
        assert both.status_code == 422
        listing = (await host.client.get("/host/executions")).json()
        assert listing["total"] == 0


async def test_tree_with_commands_the_device_lacks_is_422(host_factory: HostFactory) -> None:
    async with host_factory([fake("d1")], library_path=LIBRARY) as host:
        response = await host.client.post(NAV, json={"device_id": "d1", "target_node_id": "guide"})
        assert response.status_code == 422
        locs = [d["loc"] for d in response.json()["details"]]
        assert ["body", "tree", "simtv", "edges", 0, "actions", 0, "command"] in locs


async def test_device_in_standby_cannot_be_located(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        body = {"device_id": "tv-1", "actions": [{"command": "power_off"}]}
        await finished(host.client, await start(host.client, "/host/action/executeBatch", body))
        result = await navigate(host, target_node_id="guide")
        assert result["success"] is False
        assert result["message"] == "cannot tell where the device is in tree 'simtv'"
        assert result["final_node"] is None


async def test_inline_tree_is_validated_and_used(host_factory: HostFactory, tmp_path: Path) -> None:
    tree = yaml.safe_load(_island_library(tmp_path).joinpath("trees", "island.yaml").read_text())
    async with host_factory() as host:  # no library at all
        body = {"device_id": "tv-1", "target_node_id": "recordings", "tree": tree}
        view = await finished(
            host.client, await start(host.client, "/host/navigation/execute/island", body)
        )
        assert ids(view["result"]["path"]) == ["home", "guide", "recordings"]
        wrong_id = await host.client.post("/host/navigation/execute/other", json=body)
        assert wrong_id.status_code == 422
        assert wrong_id.json()["details"][0]["loc"] == ["body", "tree", "id"]
        tree["nodes"][0]["type"] = "screen"  # no entry node left
        no_entry = await host.client.post("/host/navigation/execute/island", json=body)
        assert no_entry.status_code == 422
        assert "exactly one entry node" in no_entry.json()["details"][0]["msg"]


async def test_untracked_device_off_the_entry_is_located(host_factory: HostFactory) -> None:
    async with host_factory(library_path=LIBRARY) as host:
        keys = [{"command": "press_key", "params": {"key": k}} for k in ("GUIDE", "RIGHT")]
        body = {"device_id": "tv-1", "actions": keys}
        await finished(host.client, await start(host.client, "/host/action/executeBatch", body))
        result = await navigate(host, target_node_id="live_tv")
        assert result["success"] is True
        assert result["start_found_by"] == "located"
        path = ids(result["path"])
        # Two paths cost 2 (BACK then OK, or HOME then OK): either is the cheapest.
        assert path[0] == "recordings"
        assert path[-1] == "live_tv"
        assert len(path) == 3
