"""What every part of cpqa stands on, below the record: the service's day (one clock), the
authority's configuration, the refusal a write raises, and the command line's plumbing
(errors, dates, database set-up). It uses nothing of cpqa's but the domain."""
