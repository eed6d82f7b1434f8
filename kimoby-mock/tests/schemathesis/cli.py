"""schemathesis's command line, with a workaround for a CPython 3.11 bug.

Hypothesis describes the lambdas in schemathesis's strategies by parsing the
source file they come from with `ast.parse`. On CPython 3.11 that call now and
then fails with `SystemError: AST constructor recursion depth mismatch` (seen
once in about ten runs of run.sh, on a file schemathesis parses every run),
which schemathesis reports as a runtime error of the operation being tested.
The description is only a label, so here a parse that fails that way is tried
once more with the garbage collector paused, and if it fails again it is
reported to Hypothesis as unparsable source, which gives the label
`<unknown>`. Nothing the tests send or check depends on it.
"""

import ast
import gc
import re
import sys

_parse = ast.parse


def _parse_working_around_the_recursion_depth_bug(*args, **kwargs):
    try:
        return _parse(*args, **kwargs)
    except SystemError as error:
        if "recursion depth mismatch" not in str(error):
            raise
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(*args, **kwargs)
    except SystemError as error:
        if "recursion depth mismatch" not in str(error):
            raise
        raise SyntaxError(f"not parsed: {error}") from error
    finally:
        if was_enabled:
            gc.enable()


ast.parse = _parse_working_around_the_recursion_depth_bug

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch)

if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\.pyw|\.exe)?$", "", sys.argv[0])
    sys.exit(schemathesis())
