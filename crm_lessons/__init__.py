"""crm_lessons: the helper package of the CRM analytics course.

One module per topic of the 10C framework (see :mod:`crm_lessons.framework`),
plus the shared pieces every lesson uses: :mod:`~crm_lessons.schema` (table and
column names), :mod:`~crm_lessons.datasets` (course and CDNOW data),
:mod:`~crm_lessons.exercises` (self-checks), :mod:`~crm_lessons.plotting`
(house style) and :mod:`~crm_lessons.lifetimes_compat` (lifetimes on today's
pandas, numpy and matplotlib).

Modules are imported on demand, so ``import crm_lessons`` is cheap.

Examples
--------
>>> import crm_lessons
>>> crm_lessons.__version__
'0.1.0'
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
