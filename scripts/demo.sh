#!/usr/bin/env bash
# The main job: start the built-in sandbox, deploy the metadata package and show the result.
source "$(dirname "$0")/bootstrap.sh"
exec scdi demo "$@"
