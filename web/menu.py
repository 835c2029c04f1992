"""The menu at the top of every page, linking the four parts of the site; and the site's icon."""

import html

PAGES = (
    ("index.html", "Step through the tanh neuron"),
    ("expression.html", "Your own expression"),
    ("train.html", "Watch a network learn"),
    ("lessons/index.html", "The lessons"),
)
PLACEHOLDER = "<!-- menu -->"


def menu(current, depth):
    """The menu as HTML; `depth` is how many folders below the site's root the page is."""
    up = "../" * depth
    links = []
    for href, title in PAGES:
        here = ' aria-current="page"' if href == current else ""
        links.append(f'<a href="{up}{href}"{here}>{html.escape(title)}</a>')
    return f'<nav class="menu"><b>stepgrad</b> {" ".join(links)}</nav>'


def with_menu(page, current, depth):
    """`page` with its menu placeholder replaced by the menu, and the site's icon linked in its head."""
    if PLACEHOLDER not in page:
        raise ValueError(f"{current}: no {PLACEHOLDER} to put the menu in")
    if "</head>" not in page:
        raise ValueError(f"{current}: no </head> to link the icon in")
    icon = f'<link rel="icon" href="{"../" * depth}favicon.svg" type="image/svg+xml">\n</head>'
    return page.replace(PLACEHOLDER, menu(current, depth), 1).replace("</head>", icon, 1)
