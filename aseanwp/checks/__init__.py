"""The checks of SPEC 2.4 on one report file, run as its rows stream past.

The plan is compiled once into per-indicator lookups so that the row loop does dictionary lookups and one regular
expression per cell. Valid rows are handed to an ``Emitter`` (the cross-file checks, the data set of ``report``);
nothing keeps a row object.

Modules, each importing only those listed before it: ``emitter`` (what valid rows are handed to), ``sink``
(the per-file findings cap), ``header`` (column names and structure findings), ``layout`` (the plan compiled per
header), ``common_cells`` and ``duplicates`` (shared by the row checks), ``indicator_rows`` and ``action_rows``
(the row checks), ``file`` (``check_file``: one file from end to end).
"""

from aseanwp.checks.action_rows import ACTION_STATUSES
from aseanwp.checks.emitter import Emitted, Emitter
from aseanwp.checks.file import check_file
from aseanwp.checks.indicator_rows import FLAGS

__all__ = ["ACTION_STATUSES", "FLAGS", "Emitted", "Emitter", "check_file"]
