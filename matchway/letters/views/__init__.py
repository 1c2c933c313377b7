"""Letters pages, one module per audience: `applicant`, `writer` (secret link and preceptor
account), `coordinator`; `common` holds the download helpers they share.

Thin: parse → one service or selector → render. Letter rules live in `letters.services`.
"""
