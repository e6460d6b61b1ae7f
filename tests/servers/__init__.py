"""Loopback HTTP servers for the tests, in one place (as Scrapy's tests/mockserver).

`loopback.serve(handler)` runs any `http.server` handler on a free port for
the length of a `with` block; `loopback.QuietHandler` keeps the request log
out of the test output. Sites with behaviour of their own: `pollsite` (a feed
with ETag and Cache-Control for the poller), `hostile_site` (named failure
modes: slow bodies, endless redirects, huge headers, broken encodings...).
"""
