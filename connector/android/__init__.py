"""What DHIS2 Android Capture would do for one user: the SDK's login, metadata download and
tracker download replayed over HTTP (`replay`), checked against the rules the SDK's own code
applies (`checks`), reported as findings that name the SDK class that fails (`report`)."""
