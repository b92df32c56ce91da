"""Who changed the record: one row per write a service makes on someone's behalf.

The record's own tables say what is true; this log says who recorded it and when, so a
booking, a rearrangement or an outcome can always be traced to a person. Like the access log
it is insert-only, and it carries ids, never names or case details.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecordChange(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="record_changes"
    )
    # Kept as text too, so the trail survives the account being removed.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30)
    # The service that wrote, in its own words: "book_initial_conference", "record_outcome".
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    # Codes and dates only (an outcome code, a new date), never personal data.
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("record changes are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("record changes are never deleted")
