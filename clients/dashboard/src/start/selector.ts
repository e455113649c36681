// A device selector as the Start form holds it, and the devices of the lab it matches now.
import type { DeviceSelector, WatchDevice } from "../api/types";

export interface SelectorFields {
  model: string;
  driver: string;
  tags: string; // comma-separated: the device has all of them
  host: string;
}

export const NO_SELECTOR: SelectorFields = { model: "", driver: "", tags: "", host: "" };

export function tagList(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}

/** The request's `device_selector`: only the fields that were given. */
export function selectorOf(fields: SelectorFields): DeviceSelector {
  const selector: DeviceSelector = {};
  if (fields.model) selector.model = fields.model;
  if (fields.driver) selector.driver = fields.driver;
  if (fields.host) selector.host_name = fields.host;
  const tags = tagList(fields.tags);
  if (tags.length) selector.tags = tags;
  return selector;
}

/** Devices the selector matches, as the proxy matches them (every given field holds). */
export function matching(devices: WatchDevice[], selector: DeviceSelector): WatchDevice[] {
  return devices.filter(
    (d) =>
      (!selector.model || d.model === selector.model) &&
      (!selector.driver || d.driver === selector.driver) &&
      (!selector.host_name || d.host_name === selector.host_name) &&
      (selector.tags ?? []).every((tag) => (d.tags ?? []).includes(tag)),
  );
}

export function distinct(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}
