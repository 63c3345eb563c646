"""Progress of mkdocs' own part of `gapmap build` (core.progress): a bar while it converts the
Markdown of every page, another while it writes their HTML. Mixed into the plugin; these hooks
report and change nothing."""

from __future__ import annotations

from gapmap.core import progress


class PageProgress:
    """mkdocs plugin hooks that only draw progress."""

    _tally = None
    _total = 0

    def _next(self, label: str | None) -> None:
        if self._tally is not None:
            self._tally.close()
        self._tally = progress.tally(label, self._total) if label else None

    def on_nav(self, nav, config, files):
        self._total = len(files.documentation_pages())
        self._next("converting pages")
        return nav

    def _advance(self, value):
        if self._tally is not None:
            self._tally.advance()
        return value

    def on_pre_page(self, page, config, files):
        return self._advance(page)

    def on_env(self, env, config, files):
        self._next("writing pages")
        return env

    def on_post_page(self, output, page, config):
        return self._advance(output)

    def on_post_build(self, config):
        self._next(None)

    def on_build_error(self, error):
        self._next(None)
