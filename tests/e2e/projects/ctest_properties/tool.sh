# Helper of the ctest_properties project: `sh tool.sh ACTION ARGS...`.
fail() { echo "tool.sh: $*"; exit 1; }
case "$1" in
  # step LOG NAME SECONDS EXIT_CODE: logs its start, sleeps, logs its end, exits.
  step) mkdir -p "$(dirname "$2")" && echo "start $3" >> "$2"
        sleep "$4"
        echo "end $3" >> "$2"
        exit "$5" ;;
  make) sleep 0.5 && mkdir -p "$(dirname "$2")" && echo made > "$2" ;;
  env_modified)
    [ "$PROPS_SET" = "environment+modified" ] || fail "PROPS_SET='$PROPS_SET'"
    [ -z "${PROPS_DROPPED+set}" ] || fail "PROPS_DROPPED is set"
    [ -z "${PROPS_GONE+set}" ] || fail "PROPS_GONE is set"
    [ "$PROPS_INHERITED" = "/first:outer:/last" ] || fail "PROPS_INHERITED='$PROPS_INHERITED'"
    [ "$PROPS_LIST" = "a;b" ] || fail "PROPS_LIST='$PROPS_LIST'"
    [ "$PROPS_RESET" = "inherited" ] || fail "PROPS_RESET='$PROPS_RESET'"
    echo "environment as modified" ;;
  env_bad_entry)
    [ "$PROPS_OK" = "ok" ] || fail "PROPS_OK='$PROPS_OK'"
    [ -z "${PROPS_BAD+set}" ] || fail "PROPS_BAD is set" ;;
  *) fail "unknown action $1" ;;
esac
