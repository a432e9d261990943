"""The no-code CRM health check: a small local web app (``python -m crm_lessons.app``)."""
