"""Interactive widgets for the lessons, one module per topic.

Every widget has a *headless twin*: a plain function taking the same inputs
and returning the table or figure the widget shows, so that the logic is
tested without a browser and a learner without a live kernel can still call it.
"""

from __future__ import annotations

import base64
import io

__all__ = ["StaticTwin"]


class StaticTwin:
    """Keep a widget's first figure and store it, as PNG, with the widget's output.

    JupyterLab shows the live widget; viewers without a kernel (GitHub,
    nbviewer, the course site) show this picture instead of a line of text
    such as ``VBox(children=...)``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import ipywidgets as w
    >>> twin = StaticTwin()
    >>> fig, ax = plt.subplots()
    >>> _ = twin.keep(fig)
    >>> box = twin.attach(w.VBox([]))
    >>> sorted(box._repr_mimebundle_())
    ['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
    >>> plt.close(fig)
    """

    def __init__(self) -> None:
        self.png: bytes | None = None

    def keep(self, fig):
        """Remember ``fig`` as PNG if it is the first figure; return it unchanged."""
        if self.png is None:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
            self.png = buf.getvalue()
        return fig

    def attach(self, box):
        """Add the kept PNG to ``box``'s display data; return ``box``."""
        png = self.png
        plain = box._repr_mimebundle_

        def bundle(**kwargs):
            data = plain(**kwargs) or {}
            if png:
                data["image/png"] = base64.b64encode(png).decode("ascii")
            return data

        box._repr_mimebundle_ = bundle
        box.static_png = png
        return box
