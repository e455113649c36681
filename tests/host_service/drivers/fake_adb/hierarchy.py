"""`uiautomator dump` XML for a frame of the scripted Android TV, laid out as it is drawn."""

from xml.sax.saxutils import quoteattr

from host_service.drivers.simulated.renderer import HEIGHT, WIDTH, Frame, tile_box

_FLAGS = (
    'checkable="false" checked="false" enabled="true" scrollable="false" '
    'long-clickable="false" password="false" selected="false"'
)


def _node(
    index: int, cls: str, package: str, bounds: tuple[int, int, int, int], **attrs: str
) -> str:
    left, top, right, bottom = bounds
    focused = attrs.pop("focused", "false")
    clickable = attrs.pop("clickable", "false")
    return (
        f'<node index="{index}" text={quoteattr(attrs.get("text", ""))} '
        f'resource-id={quoteattr(attrs.get("resource_id", ""))} class="{cls}" '
        f'package="{package}" content-desc={quoteattr(attrs.get("content_desc", ""))} '
        f'clickable="{clickable}" focusable="{clickable}" focused="{focused}" {_FLAGS} '
        f'bounds="[{left},{top}][{right},{bottom}]"'
    )


def hierarchy_xml(frame: Frame, package: str) -> str:
    head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
    if frame.standby:
        return head + "</hierarchy>"
    children = [
        _node(
            0,
            "android.widget.TextView",
            package,
            (60, 28, 900, 90),
            text=frame.title,
            resource_id=f"{package}:id/title",
        )
        + " />"
    ]
    for row, text in enumerate(frame.texts):
        top = 160 + row * 58
        children.append(
            _node(row + 1, "android.widget.TextView", package, (60, top, 560, top + 44), text=text)
            + " />"
        )
    for index, element in enumerate(frame.elements):
        children.append(
            _node(
                len(children),
                "android.view.View",
                package,
                tile_box(index),
                resource_id=f"{package}:id/{element}",
                content_desc=element.replace("_", " "),
                clickable="true",
                focused="true" if element == frame.focus else "false",
            )
            + " />"
        )
    root = _node(0, "android.widget.FrameLayout", package, (0, 0, WIDTH, HEIGHT)) + ">"
    return head + root + "".join(children) + "</node></hierarchy>"
