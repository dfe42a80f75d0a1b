"""A stateful DHIS2 Web API double on loopback, built from dhis2-core's behaviour.

The sandbox never imports the connector; tests, `scdi demo` and rehearsals reach it over HTTP.
"""
