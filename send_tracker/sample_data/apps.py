from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    """The sample case (Oxfordshire's papers and the demo built on them) as data, and its loader."""

    name = "send_tracker.sample_data"
    label = "sample_data"
    verbose_name = "Sample data"
