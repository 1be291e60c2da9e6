"""The HTML report of meeting records (`html`, with charts from `svg`) and the terminal
summary of `referat analyse` (`summary`)."""

from referat.report.html import render_case, render_meeting, render_report
from referat.report.record import ReportError
from referat.report.summary import print_summary, summary_rows

__all__ = ["render_meeting", "render_report", "render_case", "summary_rows", "print_summary", "ReportError"]
