"""The GOV.UK Design System pieces every app's pages use: the form kit, the template tags and
the service navigation. It knows nothing of the record; any app may build on it."""
