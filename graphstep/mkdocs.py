"""The MkDocs fence's public name: ``graphstep.mkdocs.fence_format`` and ``fence_validator``.

The fence lives in :mod:`graphstep.docs.fence`; this module keeps the names that users'
``mkdocs.yml`` files point to.
"""

from graphstep.docs.fence import CACHE_ENV, fence_format, fence_validator, split_fence

__all__ = ["fence_format", "fence_validator", "split_fence", "CACHE_ENV"]
