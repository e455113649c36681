// WebTV: screens, their tiles and where each key leads, as the simulated TV's UI model
// (examples/ui/simtv.yaml) has them. The screen is the URL's hash (#/settings), so the
// browser's history and `url_matches` checks follow the navigation.
"use strict";

const SCREENS = {
  home: {
    title: "Home", texts: ["Welcome back"],
    tiles: [["live_tv", "Live TV"], ["guide", "Guide"], ["apps", "Apps"], ["settings", "Settings"],
            ["search", "Search"]],
  },
  search: { title: "Search", back: "home", texts: ["Type to search"], field: "search-field" },
  live_tv: {
    title: "Live TV", back: "home", loadMs: 300, texts: ["BBC One", "Now playing"],
    panel: "video-player", tiles: [["guide", "Guide"]],
  },
  guide: {
    title: "TV Guide", back: "home", loadMs: 200, texts: ["Today", "Tomorrow"],
    panel: "epg-grid", tiles: [["live_tv", "Watch"], ["recordings", "Recordings"]],
  },
  recordings: { title: "Recordings", back: "guide", texts: ["No recordings yet"] },
  apps: {
    title: "Apps", back: "home",
    tiles: [["app_streamflix", "StreamFlix"], ["app_tubeview", "TubeView"]],
  },
  app_streamflix: {
    title: "StreamFlix", back: "apps", loadMs: 500,
    texts: ["Continue watching", "Trending now"], panel: "hero-banner",
  },
  app_tubeview: { title: "TubeView", back: "apps", texts: ["Recommended", "Subscriptions"] },
  settings: {
    title: "Settings", back: "home",
    tiles: [["settings_display", "Display"], ["settings_network", "Network"],
            ["settings_about", "About"]],
  },
  settings_display: {
    title: "Display", back: "settings",
    tiles: [["settings_display_resolution", "Resolution"]],
  },
  settings_display_resolution: {
    title: "Resolution", back: "settings_display",
    tiles: [["set:1080p", "1080p"], ["set:2160p", "2160p"], ["set:Auto", "Auto"]],
  },
  settings_network: { title: "Network", back: "settings", texts: ["Wi-Fi", "Ethernet"] },
  settings_about: { title: "About", back: "settings", texts: ["Software version", "1.4.2"] },
};

const state = { resolution: "Auto", focus: 0, timer: null };

function screenId() {
  const id = location.hash.replace(/^#\//, "");
  return id in SCREENS ? id : "home";
}

function go(id) {
  // Drawn at once, not on the hashchange event: a key pressed right after lands on the
  // new screen, as on a TV.
  if (screenId() !== id) history.pushState(null, "", "#/" + id);
  draw();
}

function element(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function draw() {
  const id = screenId();
  const screen = SCREENS[id];
  const main = document.getElementById("screen");
  clearTimeout(state.timer);
  state.focus = 0;
  main.replaceChildren();
  main.dataset.screen = id;
  const header = element("header");
  header.append(element("h1", { id: "title" }, screen.title));
  main.append(header);
  document.title = "WebTV - " + screen.title;
  if (screen.loadMs) {
    main.append(element("p", { class: "loading" }, "Loading..."));
    state.timer = setTimeout(() => content(main, id, screen), screen.loadMs);
  } else {
    content(main, id, screen);
  }
}

function content(main, id, screen) {
  main.querySelector(".loading")?.remove();
  const texts = element("ul", { class: "texts" });
  (screen.texts || []).forEach((text) => texts.append(element("li", {}, text)));
  if (id === "settings_display_resolution") {
    texts.append(element("li", { id: "current-resolution" }, "Current: " + state.resolution));
  }
  main.append(texts);
  if (screen.panel) main.append(element("div", { class: "panel", id: screen.panel }));
  if (screen.field) {
    const field = element("input", { id: screen.field, class: "field", "aria-label": "Search" });
    const results = element("p", { class: "status", id: "results" });
    field.addEventListener("input", () => {
      results.textContent = field.value ? "Results for " + field.value : "";
    });
    main.append(field, results);
  }
  const tiles = element("div", { class: "tiles", id: "tiles" });
  (screen.tiles || []).forEach(([target, label]) => {
    const tile = element("button", { class: "tile", id: "tile-" + target.replace(":", "-"),
                                     "data-target": target }, label);
    tile.addEventListener("click", () => activate(target));
    tiles.append(tile);
  });
  main.append(tiles);
  main.append(element("p", { class: "status", id: "status", role: "status" }));
  focusTile(0);
}

function tiles() {
  return Array.from(document.querySelectorAll(".tile"));
}

function focusTile(index) {
  const all = tiles();
  if (!all.length) return;
  state.focus = Math.max(0, Math.min(all.length - 1, index));
  all.forEach((tile, i) => tile.classList.toggle("focused", i === state.focus));
  all[state.focus].focus();
}

function activate(target) {
  if (target.startsWith("set:")) {
    state.resolution = target.slice(4);
    document.getElementById("current-resolution").textContent = "Current: " + state.resolution;
    document.getElementById("status").textContent = "Resolution set to " + state.resolution;
  } else {
    go(target);
  }
}

const COLUMNS = 4;
document.addEventListener("keydown", (event) => {
  const screen = SCREENS[screenId()];
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -COLUMNS, ArrowDown: COLUMNS };
  if (event.key in moves) {
    focusTile(state.focus + moves[event.key]);
  } else if (event.key === "Enter") {
    const tile = tiles()[state.focus];
    if (tile) activate(tile.dataset.target);
  } else if (event.key === "Escape" || event.key === "Backspace") {
    if (screen.back) go(screen.back);
  } else if (event.key === "Home") {
    go("home");
  } else {
    return;
  }
  event.preventDefault();
});
function redrawIfMoved() {  // back, forward, or a URL typed with another hash
  if (document.getElementById("screen").dataset.screen !== screenId()) draw();
}
window.addEventListener("popstate", redrawIfMoved);
window.addEventListener("hashchange", redrawIfMoved);
draw();
