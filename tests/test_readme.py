"""README.md's first example prints what its comments say."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_first_example_prints_what_its_comments_say():
    example = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(example, {})
    commented = [line.split("# ", 1)[1] for line in example.splitlines() if line.startswith("print(") and "# " in line]
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(commented) >= 4
    for line, comment in zip(lines, commented):
        assert comment.startswith(line), f"prints {line!r}, the comment says {comment!r}"


def test_the_to_torch_example_says_how_to_install_torch():
    text = README.read_text(encoding="utf-8")
    block_end = text.index("```", text.index("model.to_torch()"))
    after = text[block_end:block_end + 300]
    assert "pip install torch==2.13.0" in after and "CPU" in after
