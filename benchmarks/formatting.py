"""How the benchmark scripts print times and tables."""


def format_time(seconds):
    """Milliseconds with three significant figures or so: `823 ms`, `53.1 ms`, `0.340 ms`."""
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 1:
        return f"{ms:.1f} ms"
    return f"{ms:.3f} ms"


def markdown_table(header, rows):
    """A Markdown table: `header` is the first row's cells, each of `rows` a list of cells."""
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
