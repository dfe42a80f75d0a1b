"""The synthetic rosters the tests use (`scdi.connector.roster.synthetic`, also behind the demo and the benchmarks)."""

from scdi.connector.roster.synthetic import (  # noqa: F401
    CONDITIONAL,
    RosterData,
    make_roster,
    make_sessions,
    nfd,
    required_filler,
    respelled,
    rewrite_headers,
    strip_diacritics,
    write_csv_folder,
    write_xlsx,
)
