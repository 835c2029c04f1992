"""README.md's Python examples run in order, as a reader pastes them, and print what their comments say.

All ```python blocks run one after the other in one namespace (```bash blocks
are for the shell and are left out), in a scratch directory.  A comment on a
`print(` line says what that line prints:

    print(o)          # Value(data=0.7071067811865477, grad=1.0)
    print(x1.grad)    # -1.4999999999999993: in floats, ...

is the printed line, word for word, then optionally an explanation after a
space, a colon or a parenthesis.  A comment starting with "... " is one line
among several printed: the line, spaces aside, is exactly the rest of the
comment, or starts with it when the comment ends with " ...":

    print(step)       # ... x1.grad += w1.data * v1.grad = -3.0000 * 0.5000 = -1.5000
    print(table)      # ... x1 leaf 2.0000 -1.5000 ✓ ...

Each top-level statement is run on its own, and its comments are checked
against what it printed.  A statement that prints must say what it prints.
"""

import ast
import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
EXPLANATION_STARTS = (" ", ":", "(", ",")


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def statements(block):
    """(source lines, code object) for each top-level statement of a block."""
    lines = block.splitlines()
    for node in ast.parse(block).body:
        source = lines[node.lineno - 1 : node.end_lineno]
        yield source, compile(ast.Module([node], type_ignores=[]), "README.md", "exec")


def claims(source_lines):
    """The comments of the statement's `print(` lines."""
    return [
        line.split("# ", 1)[1].strip()
        for line in source_lines
        if line.strip().startswith("print(") and "# " in line
    ]


def squeeze(text):
    return " ".join(text.split())


def elided_problem(claim, printed):
    """What is wrong with a '... ' comment against the statement's lines, or None."""
    wanted = squeeze(claim[len("... "):])
    if wanted.endswith(" ..."):
        wanted = wanted[: -len(" ...")]
        found = any(squeeze(line).startswith(wanted) for line in printed)
    else:
        found = any(squeeze(line) == wanted for line in printed)
    return None if found else f"no printed line reads {claim!r}"


def exact_problem(claims_, printed):
    """What is wrong with the other comments, one per printed line in order, or None."""
    if len(claims_) != len(printed):
        return f"prints {len(printed)} lines {printed}, the comments say {len(claims_)}: {claims_}"
    for claim, line in zip(claims_, printed):
        if not (claim == line or (line and claim.startswith(line) and claim[len(line)] in EXPLANATION_STARTS)):
            return f"prints {line!r}, the comment says {claim!r}"
    return None


def run_readme(text):
    """Run every python block in order; return the problems found and how many claims were checked."""
    namespace, problems, checked = {}, [], 0
    for number, block in enumerate(python_blocks(text), start=1):
        for source, code in statements(block):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(code, namespace)
            lines = printed.getvalue().splitlines()
            said = claims(source)
            where = f"block {number}, `{source[0].strip()}`"
            if lines and not said:
                problems.append(f"{where} prints {lines[:3]} but no comment says what")
            exact = [claim for claim in said if not claim.startswith("... ")]
            found = [exact_problem(exact, lines)] if exact else []
            found += [elided_problem(claim, lines) for claim in said if claim.startswith("... ")]
            problems += [f"{where}: {problem}" for problem in found if problem]
            checked += len(said)
    return problems, checked


def test_every_python_block_runs_in_order_and_prints_what_its_comments_say(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write files (model.save)
    text = README.read_text(encoding="utf-8")
    assert len(python_blocks(text)) >= 3
    problems, checked = run_readme(text)
    assert not problems, "\n".join(problems)
    assert checked >= 8


def test_the_checker_catches_a_wrong_comment():
    wrong = '```python\nprint(1.5)  # 1.50\nprint("a\\nb")  # ... c\nprint(2)\n```\n'
    problems, _ = run_readme(wrong)
    assert len(problems) == 3, problems


def test_bash_blocks_are_left_out():
    text = "```bash\nexit 1\n```\n```python\nprint(3)  # 3\n```\n"
    assert run_readme(text) == ([], 1)


def test_to_torch_says_how_to_install_torch():
    text = README.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if "to_torch()" in p)
    assert "pip install torch==2.13.0" in paragraph and "CPU" in paragraph
