"""Run a few lines of a student's stepgrad code and get the Value they call `out`.

    out = run_program('x = Value(2.0, label="x")\\nout = x * x + 1')

The text is run as the program it is, with `Value` and `math` at hand; it
is never pasted into other code.  Any error, the student's or the
engine's, becomes a `ProgramError` whose message is one readable line:
`line 2: NameError: name 'y' is not defined`.
"""

import math
import traceback

from .value import Value

FILENAME = "<your program>"
RESULT = "out"


class ProgramError(Exception):
    """The student's program failed; the message is one line saying where and why."""


def run_program(source, result=RESULT):
    """Run `source` and return the Value it leaves in the variable `result` ("out")."""
    namespace = {"Value": Value, "math": math, "__name__": "__main__"}
    try:
        code = compile(source, FILENAME, "exec")
        exec(code, namespace)
    except SyntaxError as error:
        raise ProgramError(f"line {error.lineno}: SyntaxError: {error.msg}") from None
    except Exception as error:
        message = " ".join(str(error).splitlines())
        raise ProgramError(f"{_where(error)}{type(error).__name__}: {message}") from None
    if result not in namespace:
        raise ProgramError(f"the program sets no `{result}`: end it with a line `{result} = ...`")
    out = namespace[result]
    if not isinstance(out, Value):
        raise ProgramError(f"`{result}` is {type(out).__name__} {out!r}, not a Value: build it from Values")
    return out


def _where(error):
    """`line N: ` for the deepest line of the student's program in the traceback, else ""."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == FILENAME]
    return f"line {lines[-1]}: " if lines else ""
