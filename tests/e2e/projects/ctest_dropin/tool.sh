# Helper of the ctest_dropin project: `sh tool.sh ACTION ARGS...`.
case "$1" in
  exit) exit "$2" ;;
  say) echo "$2"; exit "$3" ;;
  hang) exec sleep 300 ;;
  env) echo "greeting: $DROPIN_GREETING"; test "$DROPIN_GREETING" = "hello world" ;;
  cwd) pwd; test -f marker ;;
  setup) mkdir -p "$2" && rm -f "$2/cleaned" && echo ready > "$2/ready" ;;
  require) cat "$2/ready" ;;
  cleanup) rm -f "$2/ready" && echo cleaned > "$2/cleaned" ;;
  hold) mkdir "$2" || { echo "$2 is held by another test"; exit 1; }
        sleep 0.4; rmdir "$2" ;;
  *) echo "tool.sh: unknown action $1"; exit 2 ;;
esac
