"""What differs between DHIS2 releases, in one table shared by the connector and the sandbox."""
