"""The committed GOV.UK Frontend build: Arial, no GOV.UK font or crown, licence alongside."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

import cpqa.web

GOVUK = Path(cpqa.web.__file__).parent / "static" / "govuk"


def test_css_has_no_gds_transport_font() -> None:
    """The compiled CSS names Arial and never the GDS Transport font, and loads no font file."""
    css = (GOVUK / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "arial" in css.lower()


def test_no_font_files_or_crown_images_are_shipped() -> None:
    """No woff/woff2 fonts and none of GOV.UK's crown, crest or icon images are in static/."""
    static = GOVUK.parent
    names = [p.name for p in static.rglob("*") if p.is_file()]
    assert not [n for n in names if n.endswith((".woff", ".woff2"))]
    assert not [n for n in names if n.startswith(("govuk-crest", "govuk-icon", "govuk-opengraph"))]


def test_licence_and_version_note_sit_beside_the_build() -> None:
    """The MIT notice (Crown Copyright, GDS) and the version note are committed with the files."""
    licence = (GOVUK / "LICENSE-govuk-frontend.txt").read_text(encoding="utf-8")
    assert "Crown Copyright (Government Digital Service)" in licence
    assert "Permission is hereby granted, free of charge" in licence
    assert "govuk-frontend 6.6.0" in (GOVUK / "VERSION").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_every_static_file_the_base_template_loads_exists() -> None:
    """Each /static/ URL on the sign-in page resolves to a committed file."""
    page = Client().get(reverse("login")).content.decode()
    urls = sorted({part.split('"')[0] for part in page.split('"/static/')[1:]})
    assert "govuk/govuk-frontend.min.css" in urls and "web/init.mjs" in urls
    missing = [url for url in urls if finders.find(url) is None]
    assert not missing, f"static files not found: {missing}"
