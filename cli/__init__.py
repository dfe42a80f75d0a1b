"""`scdi`: the administrators' command line, a thin layer over scdi.connector."""
