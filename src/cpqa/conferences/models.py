"""The conference workflow keeps no tables of its own: a conference is the record's (`cpqa.record.models`),
and the change log moved to the record too (migration 0002)."""
