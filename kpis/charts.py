"""The KPI pages' charts are drawn by the project's one chart module, send_tracker.charts; this
name is kept for the modules that import it from here."""

from send_tracker.charts import TARGET_STYLE, LineChart, SeriesInput, line_chart

__all__ = ["TARGET_STYLE", "LineChart", "SeriesInput", "line_chart"]
